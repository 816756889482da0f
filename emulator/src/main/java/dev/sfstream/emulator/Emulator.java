package dev.sfstream.emulator;

import dev.sfstream.emulator.internal.DmlException;
import dev.sfstream.emulator.internal.EmulatorServer;
import dev.sfstream.emulator.internal.Exposure;
import dev.sfstream.emulator.internal.InstanceUrl;
import dev.sfstream.emulator.internal.Logins;
import dev.sfstream.emulator.internal.PlatformEventSchema;
import dev.sfstream.emulator.internal.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A local Salesforce org: OAuth, the REST calls around the Streaming API, the Streaming API itself on the CometD
 * server library over real HTTP, and the gRPC Pub/Sub API on the same events ({@link #pubSub()}). A streaming client cannot tell it from a Developer Edition org for
 * anything the Streaming API touches, so tests and demos need no Salesforce account.
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.builder().port(0).build().start()) {
 *     String url = emulator.url();   // log in at url + "/services/oauth2/token"
 *     emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
 * }
 * }</pre>
 *
 * <p>The default org has one user, {@value #DEFAULT_USERNAME} with password {@value #DEFAULT_PASSWORD}, and one
 * connected app, {@value #DEFAULT_CLIENT_ID} with secret {@value #DEFAULT_CLIENT_SECRET}, which also runs the
 * client credentials flow as that user. It listens on 127.0.0.1 unless told otherwise; web console: {@link #url()}.
 *
 * <p>Faults on demand ({@link #revokeTokens()}, {@link #dropSessions()}, {@link #busy(Duration)},
 * {@link #advanceClock(Duration)}) are also served over HTTP under {@code /emulator/}. Thread-safe.
 */
public final class Emulator implements AutoCloseable {
    public static final String DEFAULT_USERNAME = "dev@sfstream.local";
    public static final String DEFAULT_PASSWORD = "sfstream";
    public static final String DEFAULT_CLIENT_ID = "sfstream-local";
    public static final String DEFAULT_CLIENT_SECRET = "sfstream-local-secret";

    private final Settings settings;
    private final EmulatorServer server;
    private volatile boolean started;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Emulator(Settings settings) {
        this.settings = settings;
        this.server = new EmulatorServer(settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Blocks until this emulator is closed: by {@link #close()}, or at JVM shutdown (Ctrl-C, SIGTERM), which closes
     * it. For running it in the foreground, as {@code sfstream emulator} does.
     */
    public void awaitShutdown() throws InterruptedException {
        Thread hook = new Thread(this::close, "sfstream-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            closed.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what closed it
            }
        }
    }

    /**
     * How to log in, one line per user and connected app. The well-known default password and secret are shown;
     * those that came from a configuration are not (they are the configuration's to keep).
     */
    public List<String> credentials() {
        return Logins.describe(settings);
    }

    /**
     * Starts listening and prints one line with the URL (unless built {@code quiet}).
     *
     * @return this emulator
     * @throws IllegalStateException when the port cannot be bound
     */
    public Emulator start() {
        if (started) {
            return this;
        }
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the emulator could not listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        started = true;
        if (!settings.quiet()) {
            System.out.println("sfstream emulator listening on " + url() + pubSub().banner());
        }
        return this;
    }

    /** The Pub/Sub API beside the Streaming API: its endpoint, certificate and faults. */
    public EmulatorPubSub pubSub() {
        return new EmulatorPubSub(server.pubSub());
    }

    /** The Pub/Sub API's {@code host:port}, such as {@code 127.0.0.1:7443} (empty when disabled). */
    public String pubSubEndpoint() {
        requireStarted();
        return server.pubSub().endpoint();
    }

    /** The base URL, such as {@code http://127.0.0.1:54321}: the login URL and the instance URL at once. */
    public String url() {
        requireStarted();
        return server.url();
    }

    /** The URL handed out instead of the address each client used ({@link Builder#advertisedUrl}), if one is set. */
    public Optional<String> advertisedUrl() {
        return Optional.ofNullable(settings.advertisedUrl());
    }

    /**
     * The warning to print when this emulator listens beyond loopback ({@code 0.0.0.0}, a LAN address), empty on
     * loopback: its fault endpoints take no token, and the default credentials, when still in place, are public.
     * Decided from the configured host; the emulator need not be started.
     */
    public Optional<String> exposureWarning() {
        return Exposure.warning(settings.host(), Logins.wellKnown(settings));
    }

    /** The port it listens on. */
    public int port() {
        requireStarted();
        return server.address().getPort();
    }

    /** Stops the server; every client connection is closed. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the emulator did not stop cleanly", e);
        } finally {
            closed.countDown();
        }
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the emulator is not started: call start() first");
        }
    }

    // ---------------------------------------------------------------- faults

    /** Revokes every access token; held connects get {@code 401::Authentication invalid} at once. */
    public void revokeTokens() {
        server.faults().revokeTokens();
    }

    /** Drops every CometD client session; each client's next request gets {@code 403::Unknown client}. */
    public int dropSessions() {
        return server.faults().dropSessions();
    }

    /** Ends every client session from the server's side with a {@code /meta/disconnect} message (API 64.0+). */
    public int disconnectSessions() {
        return server.faults().disconnectSessions();
    }

    /** Answers handshake, connect and subscribe with Salesforce's 503 busy reason for {@code duration}. */
    public void busy(Duration duration) {
        server.faults().busy(duration);
    }

    /** Moves the org's clock forward: retention windows and token lifetimes follow. */
    public void advanceClock(Duration by) {
        server.faults().advanceClock(by);
    }

    /** Issues a refresh token for a user and connected app, as a completed web-server OAuth flow would. */
    public String issueRefreshToken(String username, String clientId) {
        return server.faults().issueRefreshToken(username, clientId);
    }

    /** Clients, subscriptions, and channels with their last replay ID, as {@code GET /emulator/status} answers. */
    public Map<String, Object> status() {
        return server.faults().status();
    }

    // ---------------------------------------------------------------- data, as the first user

    /** Creates a record as the org's first user, with notifications as a REST create would cause. */
    public String create(String sobjectType, Map<String, ?> fields) {
        return server.org().create(sobjectType, fields, server.org().adminUserId()).id();
    }

    /** Creates a record as the given user, so that the change is attributed to them. */
    public String createAs(String username, String sobjectType, Map<String, ?> fields) {
        return server.org().create(sobjectType, fields, userId(username)).id();
    }

    /** Updates a record as the org's first user. */
    public void update(String sobjectType, String id, Map<String, ?> fields) {
        server.org().update(sobjectType, id, fields, server.org().adminUserId());
    }

    /** Updates a record as the given user. */
    public void updateAs(String username, String sobjectType, String id, Map<String, ?> fields) {
        server.org().update(sobjectType, id, fields, userId(username));
    }

    /** Deletes a record (to the recycle bin) as the org's first user. */
    public void delete(String sobjectType, String id) {
        server.org().delete(sobjectType, id, server.org().adminUserId());
    }

    /** Restores a deleted record from the recycle bin. */
    public void undelete(String id) {
        server.org().undelete(id, server.org().adminUserId());
    }

    /** A live record by ID. */
    public Optional<Map<String, Object>> record(String id) {
        return server.org().data().get(id);
    }

    /** The live records of a type. */
    public List<Map<String, Object>> records(String sobjectType) {
        return server.org().data().records(sobjectType);
    }

    /**
     * Publishes a platform event ({@code Order_Placed__e}) on {@code /event/<type>}; returns its EventUuid.
     *
     * @throws IllegalArgumentException when the type does not end in {@code __e}, a declared event
     *     ({@link Builder#platformEvent}) has no such field (Salesforce's {@code INVALID_FIELD} text), a text value
     *     is over 131,072 characters ({@code STRING_TOO_LONG}), or the payload is over 1 MB as JSON
     *     ({@code PAYLOAD_SIZE_EXCEEDED}); nothing is published then
     */
    public String publishEvent(String eventType, Map<String, ?> fields) {
        if (!eventType.endsWith("__e")) {
            throw new IllegalArgumentException("a platform event type ends with __e: " + eventType);
        }
        try {
            return server.org().publishPlatformEvent(eventType, fields, server.org().adminUserId()).eventUuid();
        } catch (DmlException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The ID of a user of the org. */
    public String userId(String username) {
        return server.org().userId(username)
                .orElseThrow(() -> new IllegalArgumentException("no such user: " + username));
    }

    /** The org's ID. */
    public String orgId() {
        return server.org().orgId();
    }

    /** The configured users. */
    public List<EmulatorUser> users() {
        return settings.users();
    }

    /** The connected apps, the default one first unless the configuration replaced it. */
    public List<ConnectedApp> connectedApps() {
        return settings.apps();
    }

    /**
     * Builds an {@link Emulator}. Every setting has a default fit for tests and demos; {@link #build()} checks them.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private final List<EmulatorUser> users = new ArrayList<>();
        private final List<ConnectedApp> apps = new ArrayList<>();
        private Duration tokenLifetime = Duration.ofHours(2);
        private Duration longPollTimeout = Duration.ofSeconds(110);
        private Duration reconnectTimeout = Duration.ofSeconds(40);
        private int concurrentClientLimit = 20;
        private long dailyDeliveryLimit = 0;
        private int retainedEventsPerChannel = 100_000;
        private long retainedEventBytes = 64L * 1024 * 1024;
        private int replayBatchSize = 1_000;
        private int queryPageSize = 2_000;
        private Set<String> cdcTypes = new LinkedHashSet<>(List.of("Account", "Contact", "Lead", "Opportunity", "Case"));
        private Clock clock = Clock.systemUTC();
        private boolean quiet;
        private java.nio.file.Path dataFile;
        private String advertisedUrl;
        private final Map<String, PlatformEventSchema> platformEvents = new java.util.LinkedHashMap<>();
        private PubSubSettings pubSub = PubSubSettings.defaults();

        private Builder() {
        }

        /**
         * The address to listen on; 127.0.0.1 by default. Any other than loopback lets other machines use the org
         * without credentials (see {@link Emulator#exposureWarning()}).
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds a user; without any, the org has the default user. */
        public Builder user(EmulatorUser user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /** Adds a connected app; the default app is always there. */
        public Builder connectedApp(ConnectedApp app) {
            apps.add(Objects.requireNonNull(app, "app"));
            return this;
        }

        /** How long an access token lives on the org's clock; 2 hours by default. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        /** How long a {@code /meta/connect} is held when there is nothing to send; 110 s as Salesforce. */
        public Builder longPollTimeout(Duration timeout) {
            this.longPollTimeout = timeout;
            return this;
        }

        /** How long a client may go without a {@code /meta/connect} before it is dropped; 40 s as Salesforce. */
        public Builder reconnectTimeout(Duration timeout) {
            this.reconnectTimeout = timeout;
            return this;
        }

        /** How many CometD clients may be connected at once; 20 as a Developer Edition org. */
        public Builder concurrentClientLimit(int limit) {
            this.concurrentClientLimit = limit;
            return this;
        }

        /** How many event deliveries a day allows; 0 (the default) for no limit. */
        public Builder dailyDeliveryLimit(long limit) {
            this.dailyDeliveryLimit = limit;
            return this;
        }

        /** How many events a channel keeps at most, within its retention window; 100,000 by default. */
        public Builder retainedEventsPerChannel(int count) {
            this.retainedEventsPerChannel = count;
            return this;
        }

        /**
         * How many bytes of events the org keeps at most, across all its channels; 64 MiB by default. An event's size
         * is its message data as JSON, plus the record it describes for PushTopic and change events. Over the budget,
         * the oldest events of the org drop out as if they had aged out of the retention window.
         */
        public Builder retainedEventBytes(long bytes) {
            this.retainedEventBytes = bytes;
            return this;
        }

        /** How many events one connect response carries at most; 1,000 by default. */
        public Builder replayBatchSize(int size) {
            this.replayBatchSize = size;
            return this;
        }

        /** How many records a REST query page holds before {@code nextRecordsUrl}; 2,000 as Salesforce. */
        public Builder queryPageSize(int size) {
            this.queryPageSize = size;
            return this;
        }

        /** The types with Change Data Capture enabled; Account, Contact, Lead, Opportunity and Case by default. */
        public Builder changeDataCapture(String... sobjectTypes) {
            this.cdcTypes = new LinkedHashSet<>(List.of(sobjectTypes));
            return this;
        }

        /** The org's base clock; {@link #advanceClock(Duration)} moves forward from it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Keeps the org in a file across restarts: loaded when the emulator is built (if the file exists), written
         * when it is closed. Records, PushTopics, users and every channel's retained events with their replay IDs
         * are kept; tokens are not (clients log in again).
         */
        public Builder dataFile(java.nio.file.Path file) {
            this.dataFile = Objects.requireNonNull(file, "dataFile");
            return this;
        }

        /**
         * The URL the emulator hands out as its own, whatever address a client used: the {@code instance_url} and
         * {@code id} of every token response and the identity's {@code sub}. For clients that reach the emulator
         * through a proxy (a fault-injecting proxy in tests, a reverse proxy) whose requests carry the emulator's
         * address. Without it, each answer gives the scheme, host and port the client sent its request to (its
         * {@code Host} header), so a client that reached the emulator on any address keeps using that one.
         *
         * @param url an absolute {@code http} or {@code https} URL; a trailing slash is dropped
         * @throws IllegalArgumentException when it is not one
         */
        public Builder advertisedUrl(String url) {
            this.advertisedUrl = InstanceUrl.checkAdvertised(url);
            return this;
        }

        /**
         * Declares a platform event's fields. Without a declaration an event type needs no definition and its fields
         * are taken as published; with one, publishing a field it does not declare fails as in Salesforce
         * ({@code INVALID_FIELD}, "No such column"), every declared field is in the payload ({@code null} when not
         * set), and the schema ID stays the same whichever fields a publisher sets.
         *
         * @param name the event's API name, ending in {@code __e}
         * @param fields the custom fields' API names, each ending in {@code __c} (the standard fields, such as
         *     CreatedDate and CreatedById, come by themselves)
         */
        public Builder platformEvent(String name, String... fields) {
            PlatformEventSchema schema = PlatformEventSchema.declare(name, fields);
            platformEvents.put(name.toLowerCase(Locale.ROOT), schema);
            return this;
        }

        /** How the Pub/Sub API is served: {@link PubSubSettings#defaults()} (TLS, a free port) unless set. */
        public Builder pubSub(PubSubSettings settings) {
            this.pubSub = Objects.requireNonNull(settings, "pubSub");
            return this;
        }

        /** Whether {@link #start()} stays silent instead of printing its URL. */
        public Builder quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        /**
         * Checks every setting and builds the emulator (not yet listening).
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        public Emulator build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            positive("tokenLifetime", tokenLifetime);
            positive("longPollTimeout", longPollTimeout);
            positive("reconnectTimeout", reconnectTimeout);
            if (concurrentClientLimit < 1) {
                throw new IllegalArgumentException("concurrentClientLimit must be 1 or more, got "
                        + concurrentClientLimit);
            }
            if (dailyDeliveryLimit < 0) {
                throw new IllegalArgumentException("dailyDeliveryLimit must be 0 (no limit) or more");
            }
            if (retainedEventsPerChannel < 1 || retainedEventBytes < 1 || replayBatchSize < 1 || queryPageSize < 1) {
                throw new IllegalArgumentException("retainedEventsPerChannel, retainedEventBytes, replayBatchSize and "
                        + "queryPageSize must be 1 or more");
            }
            List<EmulatorUser> allUsers = OrgDefaults.users(users);
            List<ConnectedApp> allApps = OrgDefaults.apps(apps, allUsers.get(0));
            return new Emulator(new Settings(host, port, allUsers, allApps, tokenLifetime, longPollTimeout,
                    reconnectTimeout, concurrentClientLimit, dailyDeliveryLimit, retainedEventsPerChannel,
                    retainedEventBytes, replayBatchSize, queryPageSize, cdcTypes, clock, quiet, dataFile, advertisedUrl,
                    platformEvents, pubSub));
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        }
    }
}
