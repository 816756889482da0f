package dev.sfstream.spring.boot;

import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.service.ErrorPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code sfstream.*} properties: credentials, replay, the client settings users tune, the handler service and
 * its lifecycle, and the emulator as a development service. Checked when bound: a bad value fails the start with the
 * property's name and the reason (secrets are never shown: Boot masks the keys that name a password, secret or
 * token).
 */
@ConfigurationProperties("sfstream")
public class SfstreamProperties implements Validator {
    /** Whether sfstream is configured at all. */
    private boolean enabled = true;

    /**
     * Whether the handler service starts once the application context is ready. When false, start it with
     * StreamingServiceLifecycle.start().
     */
    private boolean autoStartup = true;

    /**
     * Where to log in: https://login.salesforce.com, https://test.salesforce.com for a sandbox, a My Domain URL, or
     * the emulator's URL.
     */
    private String loginUrl = "https://login.salesforce.com";

    /** Consumer key of the connected app (OAuth client_id). */
    private String clientId;

    /** Consumer secret of the connected app (OAuth client_secret). */
    private String clientSecret;

    /** Username of the integration user, for the password and JWT bearer flows. */
    private String username;

    /** Password of the integration user (password flow). */
    private String password;

    /** Security token appended to the password, when the org asks for one. */
    private String securityToken;

    /** Refresh token (refresh token flow). */
    private String refreshToken;

    /** PKCS#8 PEM private key file whose certificate the connected app holds (JWT bearer flow). */
    private Path jwtKeyFile;

    /** Access token or session ID obtained elsewhere; cannot be renewed. Needs instance-url. */
    private String accessToken;

    /** Instance URL that the access token belongs to, such as https://acme.my.salesforce.com. */
    private String instanceUrl;

    /** Alias or username of an org the Salesforce CLI (sf) is logged in to; sf provides and refreshes the token. */
    private String targetOrg;

    /**
     * Where replay markers are kept: a path or file:..., redis://... or rediss://... (module sfstream-redis),
     * jdbc:postgresql://... (module sfstream-jdbc), jdbc (the application's DataSource, module sfstream-jdbc: markers
     * commit in the handlers' transactions), or memory: (lost on restart).
     */
    private String replayStore = "memory:";

    /** Settings of particular replay stores. */
    @NestedConfigurationProperty
    private final SfstreamReplayProperties replay = new SfstreamReplayProperties();

    /** Replicas of the application that share its channels: one consumes, the others wait. */
    @NestedConfigurationProperty
    private final SfstreamExclusiveProperties exclusive = new SfstreamExclusiveProperties();

    /** Namespace of this application's markers in the replay store; the org ID when not set. */
    private String replayNamespace;

    /** Where a channel without a stored marker starts: only new events, or every retained event. */
    private ReplayStart replayFrom = ReplayStart.NEW;

    /** What happens when Salesforce refuses a stored replay ID, or a marker is older than the retention window. */
    private ReplayFallback replayFallback = ReplayFallback.ALL_EVENTS;

    /** Streaming API version, 37.0 or later. */
    private String apiVersion = "64.0";

    /**
     * API that platform and change events come through: bayeux (the Streaming API, for every channel) or pubsub
     * (the Pub/Sub API, module sfstream-pubsub; PushTopic and generic channels stay on the Streaming API).
     */
    private String transport = "bayeux";

    /**
     * Settings of the transport, as text. For pubsub: endpoint (host:port; api.pubsub.salesforce.com:7443 unless set)
     * and tls (verify, or plaintext or trust-any for a loopback endpoint such as the emulator's).
     */
    private final Map<String, String> transportSettings = new LinkedHashMap<>();

    /** How many received events may wait for the handlers before the client stops fetching. */
    private int queueCapacity = 1000;

    /** How long connection failures may last before the client gives up (the health then turns DOWN). */
    private Duration connectionTimeout = Duration.ofMinutes(10);

    /** How many channels are handled at once; one channel's events are always handled in order. */
    private int concurrency = 4;

    /** How many times a failed handler is tried again before the error policy applies. */
    private int retries = 2;

    /** Pause before the first retry of a failed handler; it doubles with each retry. */
    private Duration retryBackoff = Duration.ofSeconds(1);

    /**
     * What happens when a handler still fails after its retries: stop its channel (its marker stays before the
     * event, so a restart delivers it again) or skip the event.
     */
    private ErrorPolicy errorPolicy = ErrorPolicy.STOP;

    /** How long shutdown waits for running handlers to finish and their events to be committed. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /** The emulator as a development service. */
    private final Emulator emulator = new Emulator();

    /** Where a channel without a stored marker starts. */
    public enum ReplayStart {
        /** Only events published from now on. */
        NEW,
        /** Every event Salesforce still retains, then new ones. */
        ALL
    }

    /** The emulator, a local Salesforce org, started inside the application. */
    public static class Emulator {
        /**
         * Whether to start the emulator inside the application and point the client at it (module
         * sfstream-emulator on the classpath); for a development profile or tests.
         */
        private boolean enabled;

        /** Port the emulator listens on, on 127.0.0.1; 0 picks a free one. */
        private int port;

        /** File the emulator keeps its records in across restarts; none keeps them in memory. */
        private Path dataFile;

        /**
         * Platform events the org defines, with their custom fields, as Order_Placed__e=Order_Number__c,Amount__c.
         * Needed for the Pub/Sub API, which knows only defined events; over the Streaming API any event may be
         * published undeclared.
         */
        private final Map<String, List<String>> platformEvents = new LinkedHashMap<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public Path getDataFile() {
            return dataFile;
        }

        public void setDataFile(Path dataFile) {
            this.dataFile = dataFile;
        }

        public Map<String, List<String>> getPlatformEvents() {
            return platformEvents;
        }
    }

    @Override
    public boolean supports(Class<?> type) {
        return SfstreamProperties.class.isAssignableFrom(type);
    }

    /** Checks every value that the client or the service would refuse later, naming the property. */
    @Override
    public void validate(Object target, Errors errors) {
        SfstreamPropertiesValidation.validate((SfstreamProperties) target, errors);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public String getLoginUrl() {
        return loginUrl;
    }

    public void setLoginUrl(String loginUrl) {
        this.loginUrl = loginUrl;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getSecurityToken() {
        return securityToken;
    }

    public void setSecurityToken(String securityToken) {
        this.securityToken = securityToken;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public Path getJwtKeyFile() {
        return jwtKeyFile;
    }

    public void setJwtKeyFile(Path jwtKeyFile) {
        this.jwtKeyFile = jwtKeyFile;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public String getInstanceUrl() {
        return instanceUrl;
    }

    public void setInstanceUrl(String instanceUrl) {
        this.instanceUrl = instanceUrl;
    }

    public String getTargetOrg() {
        return targetOrg;
    }

    public void setTargetOrg(String targetOrg) {
        this.targetOrg = targetOrg;
    }

    public String getReplayStore() {
        return replayStore;
    }

    public void setReplayStore(String replayStore) {
        this.replayStore = replayStore;
    }

    public SfstreamReplayProperties getReplay() {
        return replay;
    }

    public SfstreamExclusiveProperties getExclusive() {
        return exclusive;
    }

    public String getReplayNamespace() {
        return replayNamespace;
    }

    public void setReplayNamespace(String replayNamespace) {
        this.replayNamespace = replayNamespace;
    }

    public ReplayStart getReplayFrom() {
        return replayFrom;
    }

    public void setReplayFrom(ReplayStart replayFrom) {
        this.replayFrom = replayFrom;
    }

    public ReplayFallback getReplayFallback() {
        return replayFallback;
    }

    public void setReplayFallback(ReplayFallback replayFallback) {
        this.replayFallback = replayFallback;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public Map<String, String> getTransportSettings() {
        return transportSettings;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public ErrorPolicy getErrorPolicy() {
        return errorPolicy;
    }

    public void setErrorPolicy(ErrorPolicy errorPolicy) {
        this.errorPolicy = errorPolicy;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Emulator getEmulator() {
        return emulator;
    }
}
