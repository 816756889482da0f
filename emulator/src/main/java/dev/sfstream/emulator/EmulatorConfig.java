package dev.sfstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an emulator configuration file (JSON) into a builder, for {@code sfstream emulator --config FILE}:
 *
 * <pre>{@code
 * {
 *   "port": 8080,
 *   "users": [{"username": "ci@acme.test", "password": "secret", "securityToken": ""}],
 *   "connectedApps": [{"clientId": "ci-app", "clientSecret": "s3cret", "runAs": "ci@acme.test",
 *                      "jwtCertificate": "certs/ci-app.crt"}],
 *   "longPollTimeout": "110s", "reconnectTimeout": "40s", "tokenLifetime": "2h",
 *   "concurrentClientLimit": 20, "dailyDeliveryLimit": 0,
 *   "retainedEventsPerChannel": 100000, "retainedEventBytes": 67108864, "replayBatchSize": 1000,
 *   "changeDataCapture": ["Account", "Contact"],
 *   "platformEvents": {"Order_Placed__e": ["OrderId__c", "Amount__c"]},
 *   "advertisedUrl": "http://emulator.test:8080",
 *   "pubSubPort": 7443, "pubSubPlaintext": false, "pubSubKeepaliveInterval": "30s", "pubSubIdleTimeout": "60s",
 *   "publishStreamIdleTimeout": "70s"
 * }
 * }</pre>
 *
 * Every key is optional. An unknown key or a bad value is an error that names the key and the file.
 */
public final class EmulatorConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("host", "port", "users", "connectedApps", "tokenLifetime",
            "longPollTimeout", "reconnectTimeout", "concurrentClientLimit", "dailyDeliveryLimit",
            "retainedEventsPerChannel", "retainedEventBytes", "replayBatchSize", "queryPageSize", "changeDataCapture",
            "platformEvents", "dataFile", "advertisedUrl", "pubSubPort", "pubSubPlaintext", "pubSubKeepaliveInterval",
            "pubSubIdleTimeout", "publishStreamIdleTimeout");
    /** The Pub/Sub API's port from the command line and its configuration file unless they name one. */
    public static final int DEFAULT_PUBSUB_PORT = 7443;

    private EmulatorConfig() {
    }

    /**
     * A builder from command-line options, without an advertised URL: {@link #fromOptions(Path, Integer, String,
     * Path, String)}.
     */
    public static Emulator.Builder fromOptions(Path config, Integer port, String host, Path data) {
        return fromOptions(config, port, host, data, null);
    }

    /**
     * A builder from command-line options, as {@code sfstream emulator} and {@link EmulatorMain#main} take them: the
     * configuration file first, then the options given explicitly, which win. Port 8080 when neither names one.
     *
     * @param config the configuration file, or {@code null}
     * @param port the port, or {@code null}
     * @param host the address to listen on, or {@code null}
     * @param data the data file that keeps the org across restarts, or {@code null}
     * @param advertisedUrl the URL to hand out instead of the address each client used, or {@code null}
     * @throws IllegalArgumentException naming the file and the key, or the setting, that is wrong
     */
    public static Emulator.Builder fromOptions(Path config, Integer port, String host, Path data,
            String advertisedUrl) {
        return fromOptions(config, port, host, data, advertisedUrl, null);
    }

    /**
     * A builder from command-line options, as {@link #fromOptions(Path, Integer, String, Path, String)}, with the
     * Pub/Sub API's port ({@code null}: the configuration's, else {@value #DEFAULT_PUBSUB_PORT}, or a free one when
     * {@code port} is 0; 0 for a free one).
     */
    public static Emulator.Builder fromOptions(Path config, Integer port, String host, Path data,
            String advertisedUrl, Integer pubSubPort) {
        Emulator.Builder builder = Emulator.builder().port(8080).quiet(true);
        PubSubSettings pubSub = PubSubSettings.defaults().port(DEFAULT_PUBSUB_PORT);
        if (config != null) {
            pubSub = apply(config, builder, pubSub);
        }
        if (pubSubPort != null) {
            pubSub = pubSub.port(pubSubPort);
        } else if (port != null && port == 0 && pubSub.port() == DEFAULT_PUBSUB_PORT) {
            pubSub = pubSub.port(0); // "any free port" for the emulator means for both of its servers
        }
        builder.pubSub(pubSub);
        if (port != null) {
            builder.port(port);
        }
        if (host != null) {
            builder.host(host);
        }
        if (data != null) {
            builder.dataFile(data);
        }
        if (advertisedUrl != null) {
            builder.advertisedUrl(advertisedUrl);
        }
        return builder;
    }

    /**
     * Applies a configuration file to a builder.
     *
     * @throws IllegalArgumentException naming the file and the key that is wrong
     */
    public static Emulator.Builder apply(Path file, Emulator.Builder builder) {
        builder.pubSub(apply(file, builder, PubSubSettings.defaults()));
        return builder;
    }

    /** Applies a configuration file to a builder; returns the Pub/Sub settings, {@code pubSub} with the file's. */
    private static PubSubSettings apply(Path file, Emulator.Builder builder, PubSubSettings pubSub) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the emulator configuration: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + firstLine(e) + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": the emulator configuration must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": unknown key '" + e.getKey() + "'; known keys: " + KEYS);
            }
        }
        try {
            if (root.has("host")) {
                builder.host(text(root, "host"));
            }
            if (root.has("port")) {
                builder.port(integer(root, "port"));
            }
            for (JsonNode u : root.path("users")) {
                builder.user(new EmulatorUser(required(u, "username"), required(u, "password"),
                        u.path("securityToken").asText(""), u.path("firstName").asText(""),
                        u.path("lastName").asText("")));
            }
            for (JsonNode a : root.path("connectedApps")) {
                PublicKey key = a.hasNonNull("jwtCertificate")
                        ? publicKey(file.toAbsolutePath().getParent(), a.get("jwtCertificate").asText()) : null;
                builder.connectedApp(new ConnectedApp(required(a, "clientId"), required(a, "clientSecret"), key,
                        a.path("runAs").asText(null)));
            }
            if (root.has("tokenLifetime")) {
                builder.tokenLifetime(duration(root, "tokenLifetime"));
            }
            if (root.has("longPollTimeout")) {
                builder.longPollTimeout(duration(root, "longPollTimeout"));
            }
            if (root.has("reconnectTimeout")) {
                builder.reconnectTimeout(duration(root, "reconnectTimeout"));
            }
            if (root.has("concurrentClientLimit")) {
                builder.concurrentClientLimit(integer(root, "concurrentClientLimit"));
            }
            if (root.has("dailyDeliveryLimit")) {
                builder.dailyDeliveryLimit(integer(root, "dailyDeliveryLimit"));
            }
            if (root.has("retainedEventsPerChannel")) {
                builder.retainedEventsPerChannel(integer(root, "retainedEventsPerChannel"));
            }
            if (root.has("retainedEventBytes")) {
                builder.retainedEventBytes(wholeNumber(root, "retainedEventBytes"));
            }
            if (root.has("replayBatchSize")) {
                builder.replayBatchSize(integer(root, "replayBatchSize"));
            }
            if (root.has("queryPageSize")) {
                builder.queryPageSize(integer(root, "queryPageSize"));
            }
            if (root.has("changeDataCapture")) {
                List<String> types = new ArrayList<>();
                root.get("changeDataCapture").forEach(t -> types.add(t.asText()));
                builder.changeDataCapture(types.toArray(new String[0]));
            }
            if (root.has("platformEvents")) {
                JsonNode events = root.get("platformEvents");
                if (!events.isObject()) {
                    throw new IllegalArgumentException("'platformEvents' must be an object: event name to an array of "
                            + "field names, such as {\"Order_Placed__e\": [\"OrderId__c\", \"Amount__c\"]}");
                }
                for (Map.Entry<String, JsonNode> event : events.properties()) {
                    if (!event.getValue().isArray()) {
                        throw new IllegalArgumentException("platformEvents." + event.getKey()
                                + " must be an array of field names");
                    }
                    List<String> fields = new ArrayList<>();
                    for (JsonNode f : event.getValue()) {
                        if (!f.isTextual()) {
                            throw new IllegalArgumentException("platformEvents." + event.getKey()
                                    + ": field names are strings, got " + f);
                        }
                        fields.add(f.asText());
                    }
                    builder.platformEvent(event.getKey(), fields.toArray(new String[0]));
                }
            }
            if (root.has("advertisedUrl")) {
                builder.advertisedUrl(text(root, "advertisedUrl"));
            }
            if (root.has("dataFile")) {
                builder.dataFile(file.toAbsolutePath().getParent().resolve(text(root, "dataFile")));
            }
            return pubSub(root, pubSub);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static PubSubSettings pubSub(JsonNode root, PubSubSettings pubSub) {
        PubSubSettings s = pubSub;
        if (root.has("pubSubPort")) {
            s = s.port(integer(root, "pubSubPort"));
        }
        if (root.has("pubSubPlaintext")) {
            if (!root.get("pubSubPlaintext").isBoolean()) {
                throw new IllegalArgumentException("'pubSubPlaintext' must be true or false");
            }
            s = s.plaintext(root.get("pubSubPlaintext").asBoolean());
        }
        if (root.has("pubSubKeepaliveInterval")) {
            s = s.keepaliveInterval(duration(root, "pubSubKeepaliveInterval"));
        }
        if (root.has("pubSubIdleTimeout")) {
            s = s.idleTimeout(duration(root, "pubSubIdleTimeout"));
        }
        if (root.has("publishStreamIdleTimeout")) {
            s = s.publishStreamIdleTimeout(duration(root, "publishStreamIdleTimeout"));
        }
        return s;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (!n.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return n.asText();
    }

    private static int integer(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (!n.canConvertToInt()) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number");
        }
        return n.asInt();
    }

    private static long wholeNumber(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number");
        }
        return n.asLong();
    }

    private static String required(JsonNode node, String key) {
        if (!node.hasNonNull(key) || node.get(key).asText().isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' is required in " + node);
        }
        return node.get(key).asText();
    }

    /** A duration as seconds (a number) or text: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    static Duration duration(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n.isNumber()) {
            return Duration.ofMillis((long) (n.asDouble() * 1000));
        }
        String v = n.asText().trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + key + "' must be a duration such as 10s, 2m or 1h, got '"
                    + n.asText() + "'");
        }
    }

    /** A public key from an X.509 certificate or public key, as a PEM file path (relative to the config) or PEM text. */
    static PublicKey publicKey(Path base, String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            Path path = base == null ? Path.of(value) : base.resolve(value);
            try {
                pem = Files.readString(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read jwtCertificate " + path);
            }
        }
        try {
            if (pem.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            }
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwtCertificate is neither an X.509 certificate nor an RSA public key "
                    + "in PEM");
        }
    }
}
