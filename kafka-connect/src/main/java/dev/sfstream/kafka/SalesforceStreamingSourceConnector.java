package dev.sfstream.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A Kafka Connect source connector for Salesforce's streaming events: PushTopic, platform event, Change Data Capture
 * and generic channels, each into a Kafka topic, with Connect's source offsets as the replay positions (see
 * {@link StreamingSourceConfig} for the settings and {@link SalesforceStreamingSourceTask} for what a task does).
 * Events come through the Streaming API (CometD, the default) or, with {@code salesforce.transport=pubsub}, through
 * the gRPC Pub/Sub API (platform and change events only); the records have the same shape either way.
 *
 * <h2>Delivery</h2>
 * Exactly-once where the worker enables exactly-once source support (KIP-618,
 * {@code exactly.once.source.support=enabled}): each poll's records and their offsets are written in one
 * transaction, and a task resumes after the last replay ID written. At-least-once otherwise: after a crash, the
 * events after the last committed offset come again. A replay ID that Salesforce refuses (outside its retention
 * window) is never silent: {@code salesforce.invalid.replay} decides, and a warning names the channel and the ID.
 *
 * <h2>Configuration checks</h2>
 * {@link #validate(Map)} adds the checks that span settings (the credential flow and what it still needs; the
 * transport, the channels it serves and its TLS) to the per-setting ones, each error attached to the setting at
 * fault, so that Connect's REST API refuses a connector with missing credentials, a malformed channel or a PushTopic
 * over the Pub/Sub API before anything starts. Secrets never appear in messages.
 *
 * <p>Connect calls one instance from one thread at a time.
 */
public final class SalesforceStreamingSourceConnector extends SourceConnector {
    private Map<String, String> props;
    private StreamingSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return StreamingSourceConfig.CONFIG_DEF;
    }

    /**
     * Checks every setting, the credential flow and the transport.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting that is missing or wrong
     */
    @Override
    public void start(Map<String, String> props) {
        StreamingSourceConfig parsed = new StreamingSourceConfig(props);
        parsed.credentials().authenticator();
        TransportSettings transport = parsed.transportSettings();
        transport.checkChannels(parsed.channels());
        transport.toTransport();
        this.config = parsed;
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceStreamingSourceTask.class;
    }

    /** The channels spread round-robin over at most {@code maxTasks} tasks, each task with the full settings. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> channels : ChannelAssignment.roundRobin(config.channels(), maxTasks)) {
            Map<String, String> task = new HashMap<>(props);
            task.put(StreamingSourceConfig.CHANNELS, String.join(",", channels));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing runs in the connector itself: the tasks hold the Salesforce connections.
    }

    /**
     * The per-setting checks, then the credential rules of {@link CredentialSettings} and the transport rules of
     * {@link TransportSettings}, with each error attached to the setting it is about (unless that setting already
     * has an error of its own).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = result.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, Function.identity(), (a, b) -> a));
        check(byName, () -> CredentialSettings.of(connectorConfigs).authenticator());
        ConfigValue transportValue = byName.get(StreamingSourceConfig.TRANSPORT);
        if (transportValue != null && !transportValue.errorMessages().isEmpty()) {
            return result; // which transport is unclear: its own error says so, and the rules below would guess
        }
        TransportSettings transport = TransportSettings.of(connectorConfigs);
        ConfigValue channels = byName.get(StreamingSourceConfig.CHANNELS);
        if (channels != null && channels.errorMessages().isEmpty() && channels.value() instanceof List<?> list) {
            check(byName, () -> transport.checkChannels(list.stream().map(String::valueOf).toList()));
        }
        check(byName, transport::toTransport);
        return result;
    }

    /** Runs a cross-setting check, attaching its error to its setting unless that has an error already. */
    private static void check(Map<String, ConfigValue> byName, Runnable rule) {
        try {
            rule.run();
        } catch (SettingException e) {
            ConfigValue value = byName.get(e.key());
            if (value != null && value.errorMessages().isEmpty()) {
                value.addErrorMessage(e.getMessage());
            }
        }
    }

    /**
     * Supported: a poll's records and their offsets can be written in one transaction, and a task resumes after the
     * last replay ID so written.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Unsupported: Connect's own boundaries (each poll's batch, by default) are the transactions. */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    /**
     * Accepts offsets written through Connect's REST API when they have this connector's shape ({@link SourceOffsets});
     * a task started afterwards resumes from them.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        SourceOffsets.checkAlterable(offsets);
        return true;
    }
}
