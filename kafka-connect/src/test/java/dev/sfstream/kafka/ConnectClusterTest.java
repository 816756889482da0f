package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector in a real Connect worker: an embedded Connect cluster (one worker, one KRaft broker, in this JVM,
 * exactly-once source support enabled) streaming from the emulator over loopback, through the Streaming API and
 * through the emulator's Pub/Sub API (gRPC). One cluster serves the whole class; each test has its own emulator and
 * connector names, so offsets and topics never mix.
 */
class ConnectClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedConnectCluster connect;

    private Emulator emulator;

    @BeforeAll
    static void startConnect() {
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("offsets.topic.replication.factor", "1");
        // Record timestamps are the events' created dates; after advanceClock the emulator's clock runs a day ahead.
        broker.put("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE));
        connect = new EmbeddedConnectCluster.Builder()
                .name("sfstream-connect")
                .numWorkers(1)
                .numBrokers(1)
                .brokerProps(broker)
                .workerProps(new HashMap<>(Map.of("exactly.once.source.support", "enabled",
                        "offset.flush.interval.ms", "500")))
                .build();
        connect.start();
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    @BeforeEach
    void startEmulator() {
        // Order__e declared: the Pub/Sub API serves a platform event's topic (and its schema) before its first event.
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .reconnectTimeout(Duration.ofSeconds(4)).platformEvent("Order__e", "Order_Number__c").build().start();
        emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    private Map<String, String> connectorConfig(String channels, int tasks) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SalesforceStreamingSourceConnector.class.getName());
        config.put("tasks.max", Integer.toString(tasks));
        config.put("exactly.once.support", "required");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("salesforce.login.url", emulator.url());
        config.put("salesforce.client.id", Emulator.DEFAULT_CLIENT_ID);
        config.put("salesforce.client.secret", Emulator.DEFAULT_CLIENT_SECRET);
        config.put("salesforce.username", Emulator.DEFAULT_USERNAME);
        config.put("salesforce.password", Emulator.DEFAULT_PASSWORD);
        config.put("salesforce.channels", channels);
        config.put("salesforce.initial.replay", "all");
        config.put("poll.timeout.ms", "200");
        return config;
    }

    /**
     * A connector over the emulator's Pub/Sub API (TLS with its self-signed certificate, a loopback endpoint): trusted
     * without checks, or verified against the certificate in a PEM file when one is given.
     */
    private Map<String, String> pubSubConfig(String channels, int tasks, Path trustedCertificates) {
        Map<String, String> config = connectorConfig(channels, tasks);
        config.put("salesforce.transport", "pubsub");
        config.put("salesforce.pubsub.endpoint", emulator.pubSubEndpoint());
        if (trustedCertificates != null) {
            config.put("salesforce.pubsub.trusted.certificates", trustedCertificates.toString());
        } else {
            config.put("salesforce.pubsub.tls", "trust-any");
        }
        return config;
    }

    private String lead(String lastName) {
        return emulator.create("Lead", Map.of("LastName", lastName, "Company", "Acme"));
    }

    private void order(String number) {
        emulator.publishEvent("Order__e", Map.of("Order_Number__c", number));
    }

    private String contact(String lastName) {
        return emulator.create("Contact", Map.of("LastName", lastName));
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void streamsTwoChannelsInOrderAndResumesAfterAStopWithNothingLostOrDuplicated() throws Exception {
        String name = "sf-resume";
        String leadsTopic = "resume.topic.Leads";
        String ordersTopic = "resume.event.Order__e";
        Map<String, String> config = connectorConfig("/topic/Leads,/event/Order__e", 2);
        config.put("kafka.topic.template", "resume.${channel}");
        String firstId = lead("L1");
        lead("L2");
        lead("L3");
        order("O1");
        order("O2");
        order("O3");

        connect.configureConnector(name, config);
        awaitRunning(name, 2);
        await().atMost(WAIT).until(() -> read(leadsTopic).size() == 3 && read(ordersTopic).size() == 3);

        List<ConsumerRecord<byte[], byte[]>> leads = read(leadsTopic);
        assertThat(lastNames(leads)).containsExactly("L1", "L2", "L3");
        assertThat(orderNumbers(read(ordersTopic))).containsExactly("O1", "O2", "O3");
        ConsumerRecord<byte[], byte[]> first = leads.get(0);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo(firstId);
        assertThat(header(first, "sfstream.channel")).isEqualTo("/topic/Leads");
        assertThat(header(first, "sfstream.eventType")).isEqualTo("created");
        assertThat(Instant.parse(header(first, "sfstream.createdDate")).toEpochMilli())
                .isEqualTo(first.timestamp());
        assertThat(value(first).path("channel").asText()).isEqualTo("/topic/Leads");

        connect.stopConnector(name);
        awaitStopped(name);
        long leadsReplayId = replayId(leads.get(2));
        long ordersReplayId = replayId(read(ordersTopic).get(2));
        assertThat(storedReplayIds(name)).containsEntry("/topic/Leads", leadsReplayId)
                .containsEntry("/event/Order__e", ordersReplayId);
        lead("L4");
        lead("L5");
        order("O4");
        order("O5");

        connect.resumeConnector(name);
        awaitRunning(name, 2);
        await().atMost(WAIT).until(() -> read(leadsTopic).size() >= 5 && read(ordersTopic).size() >= 5);
        // A last event on each channel: any duplicate of L4/L5 or O4/O5 would land before it.
        lead("L6");
        order("O6");
        await().atMost(WAIT).until(() -> lastNames(read(leadsTopic)).contains("L6")
                && orderNumbers(read(ordersTopic)).contains("O6"));

        assertThat(lastNames(read(leadsTopic))).containsExactly("L1", "L2", "L3", "L4", "L5", "L6");
        assertThat(orderNumbers(read(ordersTopic))).containsExactly("O1", "O2", "O3", "O4", "O5", "O6");
        Map<String, Long> offsets = storedReplayIds(name);
        assertThat(offsets).containsOnlyKeys("/topic/Leads", "/event/Order__e");
        assertThat(offsets.get("/topic/Leads")).isEqualTo(replayId(read(leadsTopic).get(5)));
        connect.deleteConnector(name);
    }

    @Test
    void aRefusedReplayIdFailsTheTaskWhenAskedToAndOtherwiseGoesOn() throws Exception {
        Map<String, String> topics = Map.of("fail", "fail.topic.Leads", "latest", "latest.topic.Leads",
                "all", "all.topic.Leads");
        lead("L1");
        lead("L2");
        for (String fallback : topics.keySet()) {
            Map<String, String> config = connectorConfig("/topic/Leads", 1);
            config.put("salesforce.invalid.replay", fallback);
            config.put("kafka.topic.template", fallback + ".${channel}");
            connect.configureConnector("sf-" + fallback, config);
        }
        for (String fallback : topics.keySet()) {
            awaitRunning("sf-" + fallback, 1);
            await().atMost(WAIT).until(() -> read(topics.get(fallback)).size() == 2);
            connect.stopConnector("sf-" + fallback);
        }
        topics.keySet().forEach(fallback -> awaitStopped("sf-" + fallback));

        long failOffset = replayId(read(topics.get("fail")).get(1));
        emulator.advanceClock(Duration.ofHours(25)); // PushTopic events are retained 24 hours
        lead("Between"); // while stopped, after the stored replay IDs expired
        topics.keySet().forEach(fallback -> connect.resumeConnector("sf-" + fallback));

        await().atMost(WAIT).untilAsserted(() -> assertThat(connect.connectorStatus("sf-fail").tasks())
                .singleElement().satisfies(task -> {
                    assertThat(task.state()).isEqualTo("FAILED");
                    assertThat(task.trace()).contains("/topic/Leads").contains("replay ID")
                            .contains("salesforce.invalid.replay").doesNotContain(Emulator.DEFAULT_CLIENT_SECRET);
                }));
        awaitRunning("sf-latest", 1);
        awaitRunning("sf-all", 1);
        lead("L3");
        for (String fallback : List.of("latest", "all")) {
            await().atMost(WAIT).until(() -> lastNames(read(topics.get(fallback))).contains("L3"));
        }
        // latest went on with new events only: the one created in between is lost, as the warning says.
        assertThat(lastNames(read(topics.get("latest")))).containsExactly("L1", "L2", "L3");
        // all went on with everything still retained: nothing that could be replayed is lost.
        assertThat(lastNames(read(topics.get("all")))).containsExactly("L1", "L2", "Between", "L3");
        // fail wrote nothing more and kept its offset, for an operator to decide.
        assertThat(lastNames(read(topics.get("fail")))).containsExactly("L1", "L2");
        assertThat(storedReplayIds("sf-fail")).containsEntry("/topic/Leads", failOffset);
        topics.keySet().forEach(fallback -> connect.deleteConnector("sf-" + fallback));
    }

    @Test
    void theRestApiRefusesMissingCredentialsAndMalformedChannelsOnTheirSettingsWithoutEchoingSecrets() {
        Map<String, String> config = connectorConfig("/topic/Leads,/event/Order", 1);
        config.put("name", "sf-validate");
        config.remove("salesforce.username");
        config.put("salesforce.password", "hunter2-secret");

        ConfigInfos infos = connect.validateConnectorConfig(SalesforceStreamingSourceConnector.class.getSimpleName(),
                config);

        Map<String, List<String>> errors = infos.configs().stream()
                .filter(v -> v.configValue() != null && !v.configValue().errors().isEmpty())
                .collect(Collectors.toMap(v -> v.configValue().name(), v -> v.configValue().errors()));
        assertThat(errors).containsOnlyKeys("salesforce.username", "salesforce.channels");
        assertThat(errors.get("salesforce.channels").get(0)).contains("/event/Order").contains("__e");
        assertThat(infos.toString()).doesNotContain("hunter2-secret")
                .doesNotContain(Emulator.DEFAULT_CLIENT_SECRET);
    }

    @Test
    void theRestApiRefusesAPushTopicOverPubSubOnTheChannels() {
        Map<String, String> config = pubSubConfig("/event/Order__e,/topic/Leads", 1, null);
        config.put("name", "sf-validate-pubsub");

        ConfigInfos infos = connect.validateConnectorConfig(SalesforceStreamingSourceConnector.class.getSimpleName(),
                config);

        Map<String, List<String>> errors = infos.configs().stream()
                .filter(v -> v.configValue() != null && !v.configValue().errors().isEmpty())
                .collect(Collectors.toMap(v -> v.configValue().name(), v -> v.configValue().errors()));
        assertThat(errors).containsOnlyKeys("salesforce.channels");
        assertThat(errors.get("salesforce.channels").get(0)).contains("/topic/Leads")
                .contains("exist only on the Streaming API");
    }

    // ---------------------------------------------------------------- over the Pub/Sub API

    @Test
    void overPubSubAPlatformEventAndAChangeEventBecomeTheRecordsTheyBecomeOverCometd(@TempDir Path dir)
            throws Exception {
        Path certificate = Files.writeString(dir.resolve("emulator.pem"), emulator.pubSub().certificatePem());
        String channels = "/event/Order__e,/data/ContactChangeEvent";
        Map<String, String> cometd = connectorConfig(channels, 1);
        cometd.put("kafka.topic.template", "shape-cometd.${channel}");
        Map<String, String> pubsub = pubSubConfig(channels, 1, certificate);
        pubsub.put("kafka.topic.template", "shape-pubsub.${channel}");
        order("O1");
        String id = emulator.create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace", "MailingCity",
                "London", "Title", "Countess"));
        emulator.update("Contact", id, Map.of("FirstName", "Augusta", "MailingCity", "Paris", "Title", ""));
        order("O2");

        connect.configureConnector("sf-shape-cometd", cometd);
        connect.configureConnector("sf-shape-pubsub", pubsub);
        awaitRunning("sf-shape-cometd", 1);
        awaitRunning("sf-shape-pubsub", 1);
        for (String topic : List.of("shape-cometd.event.Order__e", "shape-pubsub.event.Order__e",
                "shape-cometd.data.ContactChangeEvent", "shape-pubsub.data.ContactChangeEvent")) {
            await().atMost(WAIT).until(() -> read(topic).size() == 2);
        }

        for (String channel : List.of("event.Order__e", "data.ContactChangeEvent")) {
            List<ConsumerRecord<byte[], byte[]>> overCometd = read("shape-cometd." + channel);
            List<ConsumerRecord<byte[], byte[]>> overPubSub = read("shape-pubsub." + channel);
            for (int i = 0; i < 2; i++) {
                ConsumerRecord<byte[], byte[]> c = overCometd.get(i);
                ConsumerRecord<byte[], byte[]> p = overPubSub.get(i);
                assertThat(normalized(value(p))).isEqualTo(normalized(value(c)));
                assertThat(p.key()).isEqualTo(c.key());
                assertThat(p.timestamp()).isEqualTo(c.timestamp());
                for (String h : List.of("sfstream.channel", "sfstream.replayId", "sfstream.eventType",
                        "sfstream.createdDate")) {
                    assertThat(header(p, h)).as(h).isEqualTo(header(c, h));
                }
                assertThat(header(p, "sfstream.replayPosition")).isEqualTo(
                        ReplayPosition.ofBytes(ByteBuffer.allocate(8).putLong(replayId(c)).array()).encode());
                assertThat(header(c, "sfstream.replayPosition")).isNull();
            }
        }
        assertThat(orderNumbers(read("shape-pubsub.event.Order__e"))).containsExactly("O1", "O2");
        assertThat(headers(read("shape-pubsub.data.ContactChangeEvent"), "sfstream.eventType"))
                .containsExactly("CREATE", "UPDATE");
        assertThat(new String(read("shape-pubsub.data.ContactChangeEvent").get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo(id);
        connect.deleteConnector("sf-shape-cometd");
        connect.deleteConnector("sf-shape-pubsub");
    }

    @Test
    void overPubSubARestartedTaskResumesAfterItsStoredReplayPositionWithNothingLostOrDuplicated() throws Exception {
        String name = "sf-pubsub-resume";
        String ordersTopic = "pubsub-resume.event.Order__e";
        String contactsTopic = "pubsub-resume.data.ContactChangeEvent";
        Map<String, String> config = pubSubConfig("/event/Order__e,/data/ContactChangeEvent", 2, null);
        config.put("kafka.topic.template", "pubsub-resume.${channel}");
        for (int i = 1; i <= 3; i++) {
            order("O" + i);
            contact("C" + i);
        }

        connect.configureConnector(name, config);
        awaitRunning(name, 2);
        await().atMost(WAIT).until(() -> read(ordersTopic).size() == 3 && read(contactsTopic).size() == 3);
        assertThat(orderNumbers(read(ordersTopic))).containsExactly("O1", "O2", "O3");
        assertThat(contactNames(read(contactsTopic))).containsExactly("C1", "C2", "C3");

        connect.stopConnector(name);
        awaitStopped(name);
        Map<String, JsonNode> stored = storedOffsets(name);
        assertThat(stored).containsOnlyKeys("/event/Order__e", "/data/ContactChangeEvent");
        ConsumerRecord<byte[], byte[]> lastOrder = read(ordersTopic).get(2);
        assertThat(stored.get("/event/Order__e").path("replayPosition").asText())
                .startsWith("pubsub:").isEqualTo(header(lastOrder, "sfstream.replayPosition"));
        assertThat(stored.get("/event/Order__e").path("replayId").asLong()).isEqualTo(replayId(lastOrder));
        assertThat(stored.get("/data/ContactChangeEvent").path("replayPosition").asText())
                .isEqualTo(header(read(contactsTopic).get(2), "sfstream.replayPosition"));
        for (int i = 4; i <= 5; i++) {
            order("O" + i);
            contact("C" + i);
        }

        connect.resumeConnector(name);
        awaitRunning(name, 2);
        await().atMost(WAIT).until(() -> read(ordersTopic).size() >= 5 && read(contactsTopic).size() >= 5);
        // A last event on each channel: any duplicate of the ones before would land before it.
        order("O6");
        contact("C6");
        await().atMost(WAIT).until(() -> orderNumbers(read(ordersTopic)).contains("O6")
                && contactNames(read(contactsTopic)).contains("C6"));

        assertThat(orderNumbers(read(ordersTopic))).containsExactly("O1", "O2", "O3", "O4", "O5", "O6");
        assertThat(contactNames(read(contactsTopic))).containsExactly("C1", "C2", "C3", "C4", "C5", "C6");
        connect.deleteConnector(name);
    }

    @Test
    void anOffsetTheCometdConnectorStoredResumesTheChannelOverPubSub() throws Exception {
        String name = "sf-switch";
        String topic = "switch.event.Order__e";
        Map<String, String> cometd = connectorConfig("/event/Order__e", 1);
        cometd.put("kafka.topic.template", "switch.${channel}");
        order("O1");
        order("O2");
        connect.configureConnector(name, cometd);
        awaitRunning(name, 1);
        await().atMost(WAIT).until(() -> read(topic).size() == 2);
        connect.stopConnector(name);
        awaitStopped(name);
        assertThat(storedOffsets(name).get("/event/Order__e").has("replayPosition")).isFalse();
        order("O3"); // while stopped

        Map<String, String> pubsub = pubSubConfig("/event/Order__e", 1, null);
        pubsub.put("kafka.topic.template", "switch.${channel}");
        connect.configureConnector(name, pubsub);
        connect.resumeConnector(name);
        awaitRunning(name, 1);
        await().atMost(WAIT).until(() -> orderNumbers(read(topic)).contains("O3"));
        order("O4");
        await().atMost(WAIT).until(() -> orderNumbers(read(topic)).contains("O4"));

        assertThat(orderNumbers(read(topic))).containsExactly("O1", "O2", "O3", "O4");
        assertThat(header(read(topic).get(3), "sfstream.replayPosition")).startsWith("pubsub:");
        connect.deleteConnector(name);
    }

    // ---------------------------------------------------------------- helpers

    private static void awaitRunning(String connector, int tasks) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(ConnectRestException.class).untilAsserted(() -> {
            ConnectorStateInfo status = connect.connectorStatus(connector);
            assertThat(status.connector().state()).isEqualTo("RUNNING");
            assertThat(status.tasks()).hasSize(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
        });
    }

    /** Waits until the connector is stopped and its tasks are gone (a stopped connector keeps no tasks). */
    private static void awaitStopped(String connector) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(ConnectRestException.class).untilAsserted(() -> {
            ConnectorStateInfo status = connect.connectorStatus(connector);
            assertThat(status.connector().state()).isEqualTo("STOPPED");
            assertThat(status.tasks()).isEmpty();
        });
    }

    /** Every committed record of a topic, from the beginning to the last stable offset, in partition order. */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(Map.of(
                "isolation.level", "read_committed", "allow.auto.create.topics", "false"))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return records;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Connect's stored offsets of a connector ({@code GET /connectors/<name>/offsets}): channel to offset. Read as
     * JSON: the test jar's typed client leaves the {@code offset} maps null.
     */
    private Map<String, JsonNode> storedOffsets(String connector) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(connect.endpointForResource("connectors/" + connector + "/offsets"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode o : JSON.readTree(response.body()).path("offsets")) {
            assertThat(o.path("partition").path("org").asText()).isEqualTo(emulator.orgId());
            out.put(o.path("partition").path("channel").asText(), o.path("offset"));
        }
        return out;
    }

    /** The stored replay ID of each channel of a connector. */
    private Map<String, Long> storedReplayIds(String connector) throws Exception {
        Map<String, Long> out = new HashMap<>();
        storedOffsets(connector).forEach((channel, offset) -> out.put(channel, offset.path("replayId").asLong()));
        return out;
    }

    private static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long replayId(ConsumerRecord<byte[], byte[]> record) {
        return Long.parseLong(header(record, "sfstream.replayId"));
    }

    private static List<String> lastNames(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> value(r).path("data").path("sobject").path("LastName").asText()).toList();
    }

    /** The last names of Contact change events: a component of the compound field Name. */
    private static List<String> contactNames(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> value(r).path("data").path("payload").path("Name").path("LastName")
                .asText()).toList();
    }

    private static List<String> headers(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream().map(r -> header(r, key)).toList();
    }

    /**
     * A record value without what differs between the APIs by design: the schema ID (each API names schemas its
     * own way), a change event header's isTransactionEnd (CometD only) and the order of its field lists.
     */
    private static JsonNode normalized(JsonNode value) {
        ObjectNode copy = value.deepCopy();
        ObjectNode data = (ObjectNode) copy.path("data");
        data.remove("schema");
        if (data.path("payload").path("ChangeEventHeader") instanceof ObjectNode header) {
            header.remove("isTransactionEnd");
            for (String list : List.of("changedFields", "nulledFields", "diffFields")) {
                List<String> names = new ArrayList<>();
                header.path(list).forEach(n -> names.add(n.asText()));
                names.sort(Comparator.naturalOrder());
                ArrayNode sorted = header.putArray(list);
                names.forEach(sorted::add);
            }
        }
        return copy;
    }

    private static List<String> orderNumbers(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> value(r).path("data").path("payload").path("Order_Number__c").asText())
                .toList();
    }
}
