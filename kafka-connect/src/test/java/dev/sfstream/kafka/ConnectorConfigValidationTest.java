package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.pubsub.PubSubTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector's configuration checks: each error on the setting at fault, before anything starts, no secret. */
class ConnectorConfigValidationTest {
    private static final String SECRET = "s3cret-never-shown";
    private final SalesforceStreamingSourceConnector connector = new SalesforceStreamingSourceConnector();

    /** A complete username-password configuration against a loopback login URL. */
    static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("salesforce.login.url", "http://127.0.0.1:9");
        props.put("salesforce.client.id", "app");
        props.put("salesforce.client.secret", SECRET);
        props.put("salesforce.username", "integration@acme.test");
        props.put("salesforce.password", SECRET);
        props.put("salesforce.channels", "/topic/Leads,/event/Order__e");
        return props;
    }

    private Map<String, List<String>> errors(Map<String, String> props) {
        return connector.validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private Map<String, List<String>> errorsWith(String key, String value) {
        Map<String, String> props = valid();
        if (value == null) {
            props.remove(key);
        } else {
            props.put(key, value);
        }
        return errors(props);
    }

    @Test
    void aCompleteConfigurationHasNoErrors() {
        assertThat(errors(valid())).isEmpty();
    }

    @Test
    void noCredentialsAtAllIsAnErrorOnTheClientId() {
        Map<String, String> props = valid();
        props.keySet().removeIf(k -> k.startsWith("salesforce.") && !k.equals("salesforce.channels"));

        assertThat(errors(props)).containsOnlyKeys("salesforce.client.id");
        assertThat(errors(props).get("salesforce.client.id").get(0)).contains("no credentials");
    }

    @Test
    void eachMissingPieceOfAFlowIsAnErrorOnItsOwnSetting() {
        assertThat(errorsWith("salesforce.password", null)).containsOnlyKeys("salesforce.password");
        assertThat(errorsWith("salesforce.username", null)).containsOnlyKeys("salesforce.username");
        assertThat(errorsWith("salesforce.client.secret", null)).containsOnlyKeys("salesforce.client.secret");
        assertThat(errorsWith("salesforce.client.id", " ")).containsOnlyKeys("salesforce.client.id");
    }

    @Test
    void anAccessTokenNeedsItsInstanceUrl() {
        Map<String, String> props = valid();
        props.put("salesforce.access.token", SECRET);

        assertThat(errors(props)).containsOnlyKeys("salesforce.instance.url");
        props.put("salesforce.instance.url", "https://acme.my.salesforce.com");
        assertThat(errors(props)).isEmpty();
    }

    @Test
    void aRefreshTokenNeedsTheClientIdOnly() {
        Map<String, String> props = new HashMap<>(Map.of("salesforce.refresh.token", SECRET,
                "salesforce.channels", "/topic/Leads"));

        assertThat(errors(props)).containsOnlyKeys("salesforce.client.id");
        props.put("salesforce.client.id", "app");
        assertThat(errors(props)).isEmpty();
    }

    @Test
    void aClientIdAndSecretAloneAreTheClientCredentialsFlow() {
        Map<String, String> props = new HashMap<>(Map.of("salesforce.client.id", "app",
                "salesforce.client.secret", SECRET, "salesforce.channels", "/topic/Leads"));

        assertThat(errors(props)).isEmpty();
        assertThat(new StreamingSourceConfig(props).credentials().authenticator().getClass().getSimpleName())
                .isEqualTo("ClientCredentialsAuthenticator");
    }

    @Test
    void aJwtKeyFileThatIsNotAKeyIsAnErrorOnTheKeyFile(@TempDir Path dir) throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello");
        Map<String, String> props = new HashMap<>(Map.of("salesforce.client.id", "app",
                "salesforce.username", "integration@acme.test", "salesforce.jwt.key.file", notAKey.toString(),
                "salesforce.channels", "/topic/Leads"));

        assertThat(errors(props)).containsOnlyKeys("salesforce.jwt.key.file");
        props.put("salesforce.jwt.key.file", dir.resolve("missing.pem").toString());
        assertThat(errors(props).get("salesforce.jwt.key.file").get(0)).contains("missing.pem");
        props.remove("salesforce.username");
        assertThat(errors(props)).containsOnlyKeys("salesforce.username");
    }

    @Test
    void aLoginUrlOverPlainHttpToAnotherHostIsRefused() {
        assertThat(errorsWith("salesforce.login.url", "http://salesforce.example.com"))
                .containsOnlyKeys("salesforce.login.url");
        assertThat(errorsWith("salesforce.login.url", "https://test.salesforce.com")).isEmpty();
    }

    @Test
    void aMalformedChannelIsAnErrorOnTheChannelsWithChannelNamesOwnMessage() {
        Map<String, List<String>> errors = errorsWith("salesforce.channels", "/topic/Leads,/event/Order");

        assertThat(errors).containsOnlyKeys("salesforce.channels");
        assertThat(errors.get("salesforce.channels").get(0)).contains("must end with __e");
        assertThat(errorsWith("salesforce.channels", "topic/Leads").get("salesforce.channels").get(0))
                .contains("must start with /topic/");
        assertThat(errorsWith("salesforce.channels", "/topic/Leads,/topic/Leads")).containsKey("salesforce.channels");
        assertThat(errorsWith("salesforce.channels", "")).containsKey("salesforce.channels");
        assertThat(errorsWith("salesforce.channels", null)).containsKey("salesforce.channels");
        assertThat(errorsWith("salesforce.channels", "/topic/Leads?Company='Acme',/data/ChangeEvents,/u/notes"))
                .isEmpty();
    }

    @Test
    void badEnumValuesAndNumbersAreErrorsOnTheirSettings() {
        assertThat(errorsWith("salesforce.initial.replay", "oldest")).containsOnlyKeys("salesforce.initial.replay");
        assertThat(errorsWith("salesforce.invalid.replay", "skip")).containsOnlyKeys("salesforce.invalid.replay");
        assertThat(errorsWith("value.format", "avro")).containsOnlyKeys("value.format");
        assertThat(errorsWith("batch.size", "0")).containsOnlyKeys("batch.size");
        assertThat(errorsWith("poll.timeout.ms", "-5")).containsOnlyKeys("poll.timeout.ms");
        assertThat(errorsWith("salesforce.api.version", "30.0")).containsOnlyKeys("salesforce.api.version");
        assertThat(errorsWith("kafka.topic.template", "sales force.${channel}"))
                .containsOnlyKeys("kafka.topic.template");
        assertThat(errorsWith("salesforce.invalid.replay", "LATEST")).isEmpty();
    }

    @Test
    void enumValuesMapToTheClientsChoices() {
        Map<String, String> props = valid();
        props.put("salesforce.initial.replay", "all");
        props.put("salesforce.invalid.replay", "fail");
        props.put("value.format", "json");
        StreamingSourceConfig config = new StreamingSourceConfig(props);

        assertThat(config.initialReplay()).isEqualTo(dev.sfstream.replay.ReplayFrom.ALL_EVENTS);
        assertThat(config.invalidReplay()).isEqualTo(dev.sfstream.replay.ReplayFallback.FAIL);
        assertThat(config.valueFormat()).isEqualTo(StreamingSourceConfig.ValueFormat.JSON);
        props.put("salesforce.invalid.replay", "latest");
        assertThat(new StreamingSourceConfig(props).invalidReplay())
                .isEqualTo(dev.sfstream.replay.ReplayFallback.NEW_EVENTS);
        StreamingSourceConfig defaults = new StreamingSourceConfig(valid());
        assertThat(defaults.initialReplay()).isEqualTo(dev.sfstream.replay.ReplayFrom.NEW_EVENTS);
        assertThat(defaults.batchSize()).isEqualTo(500);
        assertThat(defaults.pollTimeout()).hasMillis(1000);
        assertThat(defaults.apiVersion()).isEqualTo("64.0");
        assertThat(defaults.valueFormat()).isEqualTo(StreamingSourceConfig.ValueFormat.MAP);
    }

    @Test
    void startRefusesWhatValidateRefusesNamingTheSetting() {
        Map<String, String> props = valid();
        props.remove("salesforce.password");

        assertThatThrownBy(() -> connector.start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesforce.password");
        props.put("salesforce.password", SECRET);
        props.put("salesforce.channels", "/event/Order");
        assertThatThrownBy(() -> connector.start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesforce.channels");
    }

    @Test
    void noSecretInErrorsOrToString() {
        Map<String, String> props = valid();
        props.put("salesforce.refresh.token", SECRET);
        props.put("salesforce.access.token", SECRET);
        props.remove("salesforce.client.id");
        props.put("salesforce.channels", "/event/Order");

        List<ConfigValue> values = connector.validate(props).configValues();
        assertThat(values).anySatisfy(v -> assertThat(v.errorMessages()).isNotEmpty());
        assertThat(values.toString()).doesNotContain(SECRET);
        props.put("salesforce.channels", "/topic/Leads");
        props.put("salesforce.instance.url", "https://acme.my.salesforce.com");
        props.put("salesforce.client.id", "app");
        StreamingSourceConfig config = new StreamingSourceConfig(props);
        assertThat(config.toString()).doesNotContain(SECRET).contains("[hidden]");
        assertThat(config.credentials().toString()).doesNotContain(SECRET).contains("[hidden]");
        assertThat(config.credentials().authenticator().toString()).doesNotContain(SECRET);
        props.remove("salesforce.instance.url");
        assertThatThrownBy(() -> connector.start(props)).hasMessageNotContaining(SECRET);
    }

    // ---------------------------------------------------------------- the transport

    private Map<String, List<String>> pubSubErrorsWith(String... keysAndValues) {
        Map<String, String> props = valid();
        props.put("salesforce.transport", "pubsub");
        props.put("salesforce.channels", "/event/Order__e,/data/AccountChangeEvent");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return errors(props);
    }

    @Test
    void theTransportIsTheStreamingApiUnlessPubSubIsChosen() {
        assertThat(new StreamingSourceConfig(valid()).transportSettings().toTransport().name()).isEqualTo("bayeux");
        Map<String, String> props = valid();
        props.put("salesforce.transport", "PubSub");
        props.put("salesforce.channels", "/event/Order__e");
        var transport = new StreamingSourceConfig(props).transportSettings().toTransport();
        assertThat(transport).isInstanceOf(PubSubTransport.class);
        assertThat(((PubSubTransport) transport).endpoint()).isEqualTo("api.pubsub.salesforce.com:7443");
        assertThat(pubSubErrorsWith()).isEmpty();
        assertThat(errorsWith("salesforce.transport", "grpc")).containsOnlyKeys("salesforce.transport");
    }

    @Test
    void pushTopicsAndGenericChannelsOverPubSubAreAnErrorOnTheChannelsSayingWhereTheyExist() {
        for (String channel : List.of("/topic/Leads", "/u/notes")) {
            Map<String, List<String>> errors = pubSubErrorsWith("salesforce.channels", "/event/Order__e," + channel);

            assertThat(errors).containsOnlyKeys("salesforce.channels");
            assertThat(errors.get("salesforce.channels").get(0)).contains(channel)
                    .contains("PushTopics and generic channels").contains("exist only on the Streaming API")
                    .contains("salesforce.transport=bayeux");
        }
        assertThat(pubSubErrorsWith("salesforce.channels", "/event/Order__e,/data/ChangeEvents")).isEmpty();
    }

    @Test
    void startRefusesAPushTopicOverPubSub() {
        Map<String, String> props = valid();
        props.put("salesforce.transport", "pubsub");

        assertThatThrownBy(() -> connector.start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesforce.channels").hasMessageContaining("/topic/Leads")
                .hasMessageContaining("exist only on the Streaming API");
    }

    @Test
    void theEndpointIsHostAndPort() {
        assertThat(pubSubErrorsWith("salesforce.pubsub.endpoint", "https://api.pubsub.salesforce.com"))
                .containsOnlyKeys("salesforce.pubsub.endpoint");
        assertThat(pubSubErrorsWith("salesforce.pubsub.endpoint", "api.pubsub.salesforce.com:0"))
                .containsOnlyKeys("salesforce.pubsub.endpoint");
        assertThat(pubSubErrorsWith("salesforce.pubsub.endpoint", "api.deu.pubsub.salesforce.com")).isEmpty();
    }

    @Test
    void onlyALoopbackEndpointGoesWithoutVerifiedTls() {
        for (String tls : List.of("plaintext", "trust-any")) {
            Map<String, List<String>> errors = pubSubErrorsWith("salesforce.pubsub.tls", tls);

            assertThat(errors).containsOnlyKeys("salesforce.pubsub.tls");
            assertThat(errors.get("salesforce.pubsub.tls").get(0)).contains("loopback")
                    .contains("api.pubsub.salesforce.com:7443");
            assertThat(pubSubErrorsWith("salesforce.pubsub.tls", tls, "salesforce.pubsub.endpoint", "127.0.0.1:7011"))
                    .isEmpty();
        }
        assertThat(pubSubErrorsWith("salesforce.pubsub.tls", "none")).containsOnlyKeys("salesforce.pubsub.tls");
    }

    @Test
    void trustedCertificatesAreAReadablePemFileWithVerifiedTls(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n"
                + "-----END CERTIFICATE-----\n");

        assertThat(pubSubErrorsWith("salesforce.pubsub.trusted.certificates", notPem.toString())
                .get("salesforce.pubsub.trusted.certificates").get(0)).contains("no PEM certificate");
        assertThat(pubSubErrorsWith("salesforce.pubsub.trusted.certificates", dir.resolve("gone.pem").toString())
                .get("salesforce.pubsub.trusted.certificates").get(0)).contains("gone.pem").contains("cannot read");
        assertThat(pubSubErrorsWith("salesforce.pubsub.trusted.certificates", pem.toString())).isEmpty();
        assertThat(pubSubErrorsWith("salesforce.pubsub.trusted.certificates", pem.toString(),
                "salesforce.pubsub.tls", "trust-any", "salesforce.pubsub.endpoint", "localhost:7011"))
                .containsOnlyKeys("salesforce.pubsub.trusted.certificates");
    }

    @Test
    void pubSubSettingsWithTheStreamingApiAreAnErrorRatherThanIgnored() {
        Map<String, List<String>> errors = errorsWith("salesforce.pubsub.endpoint", "api.deu.pubsub.salesforce.com");

        assertThat(errors).containsOnlyKeys("salesforce.pubsub.endpoint");
        assertThat(errors.get("salesforce.pubsub.endpoint").get(0)).contains("salesforce.transport=pubsub");
        assertThat(errorsWith("salesforce.pubsub.tls", "verify")).containsOnlyKeys("salesforce.pubsub.tls");
    }

    @Test
    void exactlyOnceIsSupportedWithConnectsTransactionBoundaries() {
        assertThat(connector.exactlyOnceSupport(valid())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(valid()))
                .isEqualTo(ConnectorTransactionBoundaries.UNSUPPORTED);
        assertThat(connector.version()).isNotBlank().isNotEqualTo("unknown");
        assertThat(connector.taskClass()).isEqualTo(SalesforceStreamingSourceTask.class);
    }
}
