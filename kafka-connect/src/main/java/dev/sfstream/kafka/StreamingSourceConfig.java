package dev.sfstream.kafka;

import dev.sfstream.ChannelName;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.internal.Checks;
import dev.sfstream.pubsub.PubSubTransport;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of the Salesforce streaming source connector and its tasks: their names, documentation, defaults and
 * per-setting checks ({@link #CONFIG_DEF}), and typed access to a parsed configuration. Checks that span several
 * settings (which credential flow, what it still needs) live in {@link CredentialSettings}, and run from
 * {@link SalesforceStreamingSourceConnector#validate(Map)} so that their errors are attached to the setting at fault;
 * likewise the transport's ({@link TransportSettings}: which channels the Pub/Sub API serves, TLS for its endpoint).
 *
 * <p>Secrets ({@code salesforce.client.secret}, {@code salesforce.password}, {@code salesforce.refresh.token},
 * {@code salesforce.access.token}) are {@link Type#PASSWORD} settings: Connect hides them in its REST answers and
 * logs, and {@link #toString()} shows none. Immutable and thread-safe.
 */
public final class StreamingSourceConfig extends AbstractConfig {
    /** The login URL: production by default, {@code https://test.salesforce.com} for a sandbox, a My Domain. */
    public static final String LOGIN_URL = "salesforce.login.url";
    /** The connected app's consumer key. */
    public static final String CLIENT_ID = "salesforce.client.id";
    /** The connected app's consumer secret. */
    public static final String CLIENT_SECRET = "salesforce.client.secret";
    /** The user of the username-password and JWT bearer flows. */
    public static final String USERNAME = "salesforce.username";
    /** The user's password, with the security token appended when the org needs one. */
    public static final String PASSWORD = "salesforce.password";
    /** A refresh token of the connected app. */
    public static final String REFRESH_TOKEN = "salesforce.refresh.token";
    /** A PKCS#8 PEM private key file for the JWT bearer flow. */
    public static final String JWT_KEY_FILE = "salesforce.jwt.key.file";
    /** An access token obtained elsewhere (with {@link #INSTANCE_URL}); it cannot be renewed. */
    public static final String ACCESS_TOKEN = "salesforce.access.token";
    /** The instance URL of {@link #ACCESS_TOKEN}. */
    public static final String INSTANCE_URL = "salesforce.instance.url";
    /** The Streaming API version. */
    public static final String API_VERSION = "salesforce.api.version";
    /** The channels to stream. */
    public static final String CHANNELS = "salesforce.channels";
    /** The Kafka topic of a channel, with {@code ${channel}} for the sanitized channel name. */
    public static final String TOPIC_TEMPLATE = "kafka.topic.template";
    /** Where a channel with no stored offset starts: {@code latest} or {@code all}. */
    public static final String INITIAL_REPLAY = "salesforce.initial.replay";
    /** What happens when Salesforce refuses a stored replay ID: {@code fail}, {@code latest} or {@code all}. */
    public static final String INVALID_REPLAY = "salesforce.invalid.replay";
    /** The most records one {@code poll()} returns. */
    public static final String BATCH_SIZE = "batch.size";
    /** How long one {@code poll()} waits for the first event. */
    public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
    /** The record value: {@code map} (a schemaless map) or {@code json} (a string). */
    public static final String VALUE_FORMAT = "value.format";
    /** The API events come through: {@code bayeux} (the Streaming API, the default) or {@code pubsub}. */
    public static final String TRANSPORT = "salesforce.transport";
    /** The Pub/Sub API endpoint, {@code host:port}. */
    public static final String PUBSUB_ENDPOINT = "salesforce.pubsub.endpoint";
    /** How the Pub/Sub API connection is secured: {@code verify}, {@code plaintext} or {@code trust-any}. */
    public static final String PUBSUB_TLS = "salesforce.pubsub.tls";
    /** A PEM file of the certificates to verify the Pub/Sub endpoint against instead of the JDK's trust store. */
    public static final String PUBSUB_TRUSTED_CERTIFICATES = "salesforce.pubsub.trusted.certificates";

    /** The keys whose values are secrets. */
    static final Set<String> SECRETS = Set.of(CLIENT_SECRET, PASSWORD, REFRESH_TOKEN, ACCESS_TOKEN);

    private static final String CREDENTIALS_GROUP = "Salesforce credentials";
    private static final String STREAMING_GROUP = "Salesforce streaming";
    private static final String TRANSPORT_GROUP = "Salesforce transport";
    private static final String KAFKA_GROUP = "Kafka records";

    /** The setting definitions, shared by the connector and its tasks. */
    public static final ConfigDef CONFIG_DEF = definition();

    /**
     * Parses and checks a configuration.
     *
     * @throws ConfigException naming the setting that is missing or wrong
     */
    public StreamingSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(LOGIN_URL, Type.STRING, LoginHost.PRODUCTION.url().toString(), new LoginUrlValidator(),
                Importance.HIGH, "Where to log in: https://login.salesforce.com (production and Developer Edition, "
                        + "the default), https://test.salesforce.com (sandboxes) or a My Domain such as "
                        + "https://acme.my.salesforce.com. Plain http is accepted for loopback hosts only.",
                CREDENTIALS_GROUP, ++order, Width.LONG, "Login URL");
        def.define(CLIENT_ID, Type.STRING, null, Importance.HIGH, "The connected app's consumer key. Needed by "
                        + "every OAuth flow.", CREDENTIALS_GROUP, ++order, Width.LONG, "Client ID");
        def.define(CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH, "The connected app's consumer secret: "
                        + "with " + USERNAME + " and " + PASSWORD + " (username-password flow), alone with "
                        + CLIENT_ID + " (client credentials flow), or optionally with " + REFRESH_TOKEN + ".",
                CREDENTIALS_GROUP, ++order, Width.LONG, "Client secret");
        def.define(USERNAME, Type.STRING, null, Importance.HIGH, "The Salesforce user, for the username-password "
                        + "flow (with " + PASSWORD + ") and the JWT bearer flow (with " + JWT_KEY_FILE + ").",
                CREDENTIALS_GROUP, ++order, Width.MEDIUM, "Username");
        def.define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "The user's password, with the security token "
                        + "appended when the org asks for one.", CREDENTIALS_GROUP, ++order, Width.MEDIUM,
                "Password");
        def.define(REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH, "A refresh token of the connected app "
                        + "(refresh token flow, with " + CLIENT_ID + ").", CREDENTIALS_GROUP, ++order, Width.LONG,
                "Refresh token");
        def.define(JWT_KEY_FILE, Type.STRING, null, Importance.HIGH, "Path on the worker of the PKCS#8 PEM private "
                        + "key whose certificate is uploaded to the connected app (JWT bearer flow, with "
                        + CLIENT_ID + " and " + USERNAME + ").", CREDENTIALS_GROUP, ++order, Width.LONG,
                "JWT key file");
        def.define(ACCESS_TOKEN, Type.PASSWORD, null, Importance.MEDIUM, "An access token obtained elsewhere, with "
                        + INSTANCE_URL + ". It cannot be renewed: prefer an OAuth flow for a long-running "
                        + "connector.", CREDENTIALS_GROUP, ++order, Width.LONG, "Access token");
        def.define(INSTANCE_URL, Type.STRING, null, Importance.MEDIUM, "The instance URL of " + ACCESS_TOKEN
                        + ", such as https://acme.my.salesforce.com.", CREDENTIALS_GROUP, ++order, Width.LONG,
                "Instance URL");

        order = 0;
        def.define(CHANNELS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ChannelsValidator(), Importance.HIGH,
                "The channels to stream, comma-separated: /topic/<PushTopic> (optionally filtered, "
                        + "/topic/Name?Field='value'), /event/<Name>__e, /data/ChangeEvents, /data/<Type>ChangeEvent "
                        + "or /u/<generic>. Channels are spread over at most tasks.max tasks; each channel is in "
                        + "exactly one.", STREAMING_GROUP, ++order, Width.LONG, "Channels");
        def.define(API_VERSION, Type.STRING, "64.0", new ApiVersionValidator(), Importance.LOW,
                "The Streaming API version (37.0 or later).", STREAMING_GROUP, ++order, Width.SHORT,
                "API version");
        def.define(INITIAL_REPLAY, Type.STRING, "latest", ConfigDef.CaseInsensitiveValidString.in("latest", "all"),
                Importance.MEDIUM, "Where a channel starts when Connect holds no offset for it: latest (only events "
                        + "published from now on) or all (every event Salesforce still retains, then new ones).",
                STREAMING_GROUP, ++order, Width.SHORT, "Initial replay");
        def.define(INVALID_REPLAY, Type.STRING, "all", ConfigDef.CaseInsensitiveValidString.in("fail", "latest",
                        "all"), Importance.MEDIUM, "What a task does when Salesforce refuses the stored replay ID "
                        + "(it fell out of the 24 h or 72 h retention window): fail (the task fails and the offset "
                        + "stays), latest (go on with new events; the events in between are lost) or all (go on "
                        + "with every retained event; nothing retained is lost). Every case is logged as a warning.",
                STREAMING_GROUP, ++order, Width.SHORT, "Invalid replay");

        order = 0;
        def.define(TRANSPORT, Type.STRING, "bayeux", ConfigDef.CaseInsensitiveValidString.in("bayeux", "pubsub"),
                Importance.MEDIUM, "The API events come through: bayeux (the Streaming API over CometD, every "
                        + "channel kind, the default) or pubsub (Salesforce's gRPC Pub/Sub API: platform events "
                        + "/event/... and change events /data/... only; PushTopics /topic/... and generic channels "
                        + "/u/... exist only on the Streaming API). Records look the same either way.",
                TRANSPORT_GROUP, ++order, Width.SHORT, "Transport");
        def.define(PUBSUB_ENDPOINT, Type.STRING, PubSubTransport.DEFAULT_ENDPOINT, new EndpointValidator(),
                Importance.LOW, "The Pub/Sub API endpoint, host:port (port 7443 when left out): "
                        + PubSubTransport.DEFAULT_ENDPOINT + " (the default), " + PubSubTransport.EU_ENDPOINT
                        + " to keep data in transit within the EU, or a local emulator's. With " + TRANSPORT
                        + "=pubsub only.", TRANSPORT_GROUP, ++order, Width.MEDIUM, "Pub/Sub endpoint");
        def.define(PUBSUB_TLS, Type.STRING, "verify", ConfigDef.CaseInsensitiveValidString.in("verify", "plaintext",
                        "trust-any"), Importance.LOW, "How the Pub/Sub API connection is secured: verify (TLS with "
                        + "the server's certificate checked against the JDK's trust store or "
                        + PUBSUB_TRUSTED_CERTIFICATES + ", the default); plaintext or trust-any (TLS without any "
                        + "certificate check) are for a loopback endpoint only, such as a local emulator. With "
                        + TRANSPORT + "=pubsub only.", TRANSPORT_GROUP, ++order, Width.SHORT, "Pub/Sub TLS");
        def.define(PUBSUB_TRUSTED_CERTIFICATES, Type.STRING, null, Importance.LOW, "Path on the worker of a PEM "
                        + "file of the certificates to verify the Pub/Sub endpoint against instead of the JDK's "
                        + "trust store (a private CA, or an emulator's certificate); the host name is still checked. "
                        + "With " + TRANSPORT + "=pubsub and " + PUBSUB_TLS + "=verify only.", TRANSPORT_GROUP,
                ++order, Width.LONG, "Pub/Sub trusted certificates");

        order = 0;
        def.define(TOPIC_TEMPLATE, Type.STRING, "salesforce.${channel}", new TopicTemplateValidator(),
                Importance.HIGH, "The Kafka topic of a channel's records. ${channel} stands for the channel name "
                        + "made a legal topic name: '/' becomes '.', other characters Kafka does not allow become "
                        + "'_', leading separators are dropped (/topic/Leads gives salesforce.topic.Leads). A name "
                        + "over 249 characters is cut and given a hash suffix.", KAFKA_GROUP, ++order, Width.LONG,
                "Topic template");
        def.define(VALUE_FORMAT, Type.STRING, "map", ConfigDef.CaseInsensitiveValidString.in("map", "json"),
                Importance.MEDIUM, "The record value, the message as Salesforce sent it (channel and data): map "
                        + "(a schemaless map, for the JsonConverter with schemas.enable=false and the like) or json "
                        + "(the JSON text as a string, for the StringConverter).", KAFKA_GROUP, ++order,
                Width.SHORT, "Value format");
        def.define(BATCH_SIZE, Type.INT, 500, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "The most records one poll returns.", KAFKA_GROUP, ++order, Width.SHORT, "Batch size");
        def.define(POLL_TIMEOUT_MS, Type.LONG, 1000L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                "How long one poll waits for the first event before it returns nothing, in milliseconds.",
                KAFKA_GROUP, ++order, Width.SHORT, "Poll timeout");
        return def;
    }

    // ---------------------------------------------------------------- typed access

    /** The credential settings, to build the authenticator from. */
    CredentialSettings credentials() {
        return new CredentialSettings(getString(LOGIN_URL), getString(CLIENT_ID), secret(CLIENT_SECRET),
                getString(USERNAME), secret(PASSWORD), secret(REFRESH_TOKEN), getString(JWT_KEY_FILE),
                secret(ACCESS_TOKEN), getString(INSTANCE_URL));
    }

    private String secret(String key) {
        return getPassword(key) == null ? null : getPassword(key).value();
    }

    /** The transport settings, to build the transport from. */
    TransportSettings transportSettings() {
        return new TransportSettings(getString(TRANSPORT), originals().containsKey(PUBSUB_ENDPOINT)
                ? getString(PUBSUB_ENDPOINT) : null, originals().containsKey(PUBSUB_TLS) ? getString(PUBSUB_TLS)
                : null, getString(PUBSUB_TRUSTED_CERTIFICATES));
    }

    /** The Streaming API version, such as {@code 64.0}. */
    public String apiVersion() {
        return getString(API_VERSION);
    }

    /** The channels, checked, in the configured order. */
    public List<String> channels() {
        return List.copyOf(getList(CHANNELS));
    }

    /** The topic names of the channels. */
    public TopicNames topicNames() {
        return new TopicNames(getString(TOPIC_TEMPLATE));
    }

    /** Where a channel with no stored offset starts. */
    public ReplayFrom initialReplay() {
        return getString(INITIAL_REPLAY).equalsIgnoreCase("all") ? ReplayFrom.ALL_EVENTS : ReplayFrom.NEW_EVENTS;
    }

    /** What a task does when Salesforce refuses a stored replay ID. */
    public ReplayFallback invalidReplay() {
        return switch (getString(INVALID_REPLAY).toLowerCase(Locale.ROOT)) {
            case "fail" -> ReplayFallback.FAIL;
            case "latest" -> ReplayFallback.NEW_EVENTS;
            default -> ReplayFallback.ALL_EVENTS;
        };
    }

    /** The record value format. */
    public ValueFormat valueFormat() {
        return getString(VALUE_FORMAT).equalsIgnoreCase("json") ? ValueFormat.JSON : ValueFormat.MAP;
    }

    /** The most records one poll returns. */
    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    /** How long one poll waits for the first event. */
    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    /** The shape of a record's value. */
    public enum ValueFormat {
        /** A schemaless {@code Map}, converted from the message with Jackson. */
        MAP,
        /** The message's JSON text, with {@code Schema.STRING_SCHEMA}. */
        JSON
    }

    /** The settings as given, secrets hidden. */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>();
        values().forEach((k, v) -> shown.put(k, SECRETS.contains(k) && v != null ? "[hidden]" : v));
        return "StreamingSourceConfig" + shown;
    }

    // ---------------------------------------------------------------- per-setting checks

    /** Checks the login URL with the client's own rules (absolute http(s), plain http to loopback only). */
    private static final class LoginUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                throw new ConfigException(name, value, "give a login URL such as https://login.salesforce.com");
            }
            try {
                LoginHost.of(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "an https URL (http for loopback hosts)";
        }
    }

    /** Checks each channel name with {@link ChannelName#of}, and that there is at least one and none twice. */
    private static final class ChannelsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                throw new ConfigException(name, value, "give at least one channel, such as /topic/LeadUpdates");
            }
            Set<String> seen = new HashSet<>();
            for (Object channel : list) {
                try {
                    ChannelName.of(channel == null ? null : channel.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (!seen.add(channel.toString())) {
                    throw new ConfigException(name, value, "channel " + channel + " is listed twice");
                }
            }
        }

        @Override
        public String toString() {
            return "/topic/..., /event/...__e, /data/... or /u/... channel names";
        }
    }

    /** Checks the API version as the client does: {@code NN.0}, 37.0 or later. */
    private static final class ApiVersionValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Checks.streamingApiVersion(value == null ? null : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "NN.0, 37.0 or later";
        }
    }

    /** Checks a Pub/Sub endpoint with the transport's own rules: {@code host:port}, no scheme or path. */
    private static final class EndpointValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                PubSubTransport.builder().endpoint(value == null ? null : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "host:port";
        }
    }

    /** Checks that the template's own text is legal in a topic name. */
    private static final class TopicTemplateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                new TopicNames(value == null ? null : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "letters, digits, '.', '_', '-' and ${channel}";
        }
    }
}
