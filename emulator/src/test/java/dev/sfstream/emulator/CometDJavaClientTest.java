package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CometD's own Java client (BayeuxClient over Jetty's HttpClient) as an outside peer, set up the way Salesforce's
 * EMP-Connector sets it up: an {@code Authorization} header on every request and a replay extension that puts
 * {@code ext.replay = {channel: -2}} on each subscribe. It must receive all four kinds of events (PushTopic, generic,
 * platform and change events) in the shapes Salesforce delivers: {@code {"channel": ..., "data": {...}}} with the
 * replay ID in {@code data.event.replayId}.
 */
class CometDJavaClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ISO_Z = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    static Emulator emulator;
    static HttpClient jetty;
    static RawHttp rest;
    BayeuxClient client;

    @BeforeAll
    static void start() throws Exception {
        emulator = FastOrg.fast().build().start();
        jetty = new HttpClient();
        jetty.start();
        rest = new RawHttp(emulator.url());
        rest.login();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        emulator.close();
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.disconnect(2_000);
        }
    }

    /** EMP-Connector's ReplayExtension: asks for replay on handshake, sends the replay map on every subscribe. */
    static final class ReplayExtension implements ClientSession.Extension {
        private final long replayFrom;
        volatile boolean serverSupportsReplay;

        ReplayExtension(long replayFrom) {
            this.replayFrom = replayFrom;
        }

        @Override
        public boolean rcvMeta(ClientSession session, Message.Mutable message) {
            if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                Map<String, Object> ext = message.getExt(false);
                serverSupportsReplay = ext != null && Boolean.TRUE.equals(ext.get("replay"));
            }
            return true;
        }

        @Override
        public boolean sendMeta(ClientSession session, Message.Mutable message) {
            if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                message.getExt(true).put("replay", true);
            } else if (Channel.META_SUBSCRIBE.equals(message.getChannel()) && serverSupportsReplay) {
                String channel = (String) message.get(Message.SUBSCRIPTION_FIELD);
                message.getExt(true).put("replay", Map.of(channel, replayFrom));
            }
            return true;
        }
    }

    private BayeuxClient newClient(String token) {
        JettyHttpClientTransport transport = new JettyHttpClientTransport(new HashMap<>(), jetty) {
            @Override
            protected void customize(Request request) {
                super.customize(request);
                if (token != null) {
                    request.headers(h -> h.put("Authorization", "OAuth " + token));
                }
            }
        };
        return new BayeuxClient(emulator.url() + "/cometd/64.0", transport);
    }

    /** Handshakes with a replay extension and subscribes to {@code channel}; returns the queue it fills. */
    private BlockingQueue<JsonNode> subscribe(String channel) throws Exception {
        client = newClient(rest.token);
        ReplayExtension replay = new ReplayExtension(-2);
        client.addExtension(replay);
        CompletableFuture<Message> handshake = new CompletableFuture<>();
        client.handshake(handshake::complete);
        Message handshakeReply = handshake.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(handshakeReply.isSuccessful()).as("%s", handshakeReply).isTrue();
        assertThat(replay.serverSupportsReplay).isTrue();
        assertThat(client.waitFor(WAIT.toMillis(), BayeuxClient.State.CONNECTED)).isTrue();

        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        CompletableFuture<Message> subscribed = new CompletableFuture<>();
        client.getChannel(channel).subscribe((c, m) -> received.add(json(m)),
                subscribed::complete);
        Message subscribeReply = subscribed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(subscribeReply.isSuccessful()).as("%s", subscribeReply).isTrue();
        assertThat(subscribeReply.get(Message.SUBSCRIPTION_FIELD)).isEqualTo(channel);
        return received;
    }

    /** A received message as JSON, to assert on as on the wire. */
    private static JsonNode json(Message message) {
        return RawHttp.JSON.valueToTree(message);
    }

    private static List<JsonNode> take(BlockingQueue<JsonNode> queue, int count) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < count) {
            JsonNode m = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("message %d of %d within %s", out.size() + 1, count, WAIT).isNotNull();
            out.add(m);
        }
        return out;
    }

    @Test
    void receivesRetainedAndLivePushTopicNotificationsWithTheSelectedFields() throws Exception {
        emulator.create("PushTopic", Map.of("Name", "CometDLeads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName, Company FROM Lead"));
        String before = rest.create("Lead", Map.of("LastName", "Before", "Company", "Acme", "Title", "CEO"));

        BlockingQueue<JsonNode> received = subscribe("/topic/CometDLeads");
        String after = emulator.create("Lead", Map.of("LastName", "After", "Company", "Initech"));

        List<JsonNode> messages = take(received, 2);
        for (JsonNode m : messages) {
            assertThat(m.path("channel").asText()).isEqualTo("/topic/CometDLeads");
            JsonNode event = m.path("data").path("event");
            assertThat(event.fieldNames()).toIterable().containsExactlyInAnyOrder("createdDate", "replayId", "type");
            assertThat(event.path("type").asText()).isEqualTo("created");
            assertThat(event.path("createdDate").asText()).matches(ISO_Z);
            assertThat(event.path("replayId").isIntegralNumber()).isTrue();
            // exactly the SELECT fields (CometD's client parses into a HashMap, so their order is not kept)
            assertThat(m.path("data").path("sobject").fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("Id", "LastName", "Company");
        }
        assertThat(messages.get(0).path("data").path("sobject").path("Id").asText()).isEqualTo(before);
        assertThat(messages.get(0).path("data").path("sobject").path("LastName").asText()).isEqualTo("Before");
        assertThat(messages.get(1).path("data").path("sobject").path("Id").asText()).isEqualTo(after);
        assertThat(messages.get(1).path("data").path("event").path("replayId").asLong())
                .isGreaterThan(messages.get(0).path("data").path("event").path("replayId").asLong());
    }

    @Test
    void receivesAGenericEventPushedOverRest() throws Exception {
        String channelId = rest.create("StreamingChannel", Map.of("Name", "/u/Notifications"));
        assertThat(channelId).startsWith("0M6");
        BlockingQueue<JsonNode> received = subscribe("/u/Notifications");

        JsonNode pushed = rest.rest("POST", "/services/data/v64.0/sobjects/StreamingChannel/" + channelId + "/push",
                Map.of("pushEvents", List.of(Map.of("payload", "hello", "userIds", List.of()))));
        assertThat(pushed.path("status").asInt()).isEqualTo(200);
        assertThat(pushed.path("body")).hasSize(1);
        assertThat(pushed.path("body").get(0).path("fanoutCount").asInt()).isEqualTo(-1);
        assertThat(pushed.path("body").get(0).path("userOnlineStatus").isObject()).isTrue();
        assertThat(pushed.path("body").get(0).path("userOnlineStatus")).isEmpty();

        JsonNode m = take(received, 1).get(0);
        assertThat(m.path("channel").asText()).isEqualTo("/u/Notifications");
        assertThat(m.path("data").fieldNames()).toIterable().containsExactlyInAnyOrder("event", "payload");
        assertThat(m.path("data").path("payload").asText()).isEqualTo("hello");
        JsonNode event = m.path("data").path("event");
        assertThat(event.fieldNames()).toIterable().containsExactlyInAnyOrder("createdDate", "replayId");
        assertThat(event.path("createdDate").asText()).matches(ISO_Z);
        assertThat(event.path("replayId").asLong()).isPositive();
    }

    @Test
    void receivesPlatformEventsPublishedOverRestAndThroughTheJavaApi() throws Exception {
        BlockingQueue<JsonNode> received = subscribe("/event/Order_Placed__e");

        JsonNode published = rest.rest("POST", "/services/data/v64.0/sobjects/Order_Placed__e",
                Map.of("Order_Number__c", "O-1", "Amount__c", 12.5));
        assertThat(published.path("status").asInt()).isEqualTo(201);
        assertThat(published.path("body").path("success").asBoolean()).isTrue();
        assertThat(published.path("body").path("id").asText()).startsWith("e00").hasSize(18);
        JsonNode enqueued = published.path("body").path("errors").get(0);
        assertThat(enqueued.path("statusCode").asText()).isEqualTo("OPERATION_ENQUEUED");
        String restUuid = enqueued.path("message").asText();
        String javaUuid = emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));

        List<JsonNode> messages = take(received, 2);
        JsonNode first = messages.get(0);
        assertThat(first.path("channel").asText()).isEqualTo("/event/Order_Placed__e");
        assertThat(first.path("data").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("schema", "payload", "event");
        assertThat(first.path("data").path("schema").asText()).matches("[A-Za-z0-9_-]{22}");
        JsonNode payload = first.path("data").path("payload");
        assertThat(payload.path("CreatedDate").asText()).matches(ISO_Z);
        assertThat(payload.path("CreatedById").asText()).isEqualTo(emulator.userId(Emulator.DEFAULT_USERNAME));
        assertThat(payload.path("Order_Number__c").asText()).isEqualTo("O-1");
        assertThat(payload.path("Amount__c").asDouble()).isEqualTo(12.5);
        assertThat(first.path("data").path("event").path("EventUuid").asText()).isEqualTo(restUuid);
        assertThat(first.path("data").path("event").path("replayId").asLong()).isPositive();

        JsonNode second = messages.get(1);
        assertThat(second.path("data").path("event").path("EventUuid").asText()).isEqualTo(javaUuid);
        assertThat(second.path("data").path("payload").path("Order_Number__c").asText()).isEqualTo("O-2");
    }

    @Test
    void receivesAChangeDataCaptureEventWithItsHeader() throws Exception {
        BlockingQueue<JsonNode> received = subscribe("/data/AccountChangeEvent");
        String accountId = rest.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));

        JsonNode m = take(received, 1).get(0);
        assertThat(m.path("channel").asText()).isEqualTo("/data/AccountChangeEvent");
        assertThat(m.path("data").path("schema").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(m.path("data").path("event").path("replayId").asLong()).isPositive();
        JsonNode payload = m.path("data").path("payload");
        JsonNode header = payload.path("ChangeEventHeader");
        assertThat(header.path("entityName").asText()).isEqualTo("Account");
        assertThat(header.path("recordIds")).hasSize(1);
        assertThat(header.path("recordIds").get(0).asText()).isEqualTo(accountId);
        assertThat(header.path("changeType").asText()).isEqualTo("CREATE");
        assertThat(header.path("commitUser").asText()).isEqualTo(emulator.userId(Emulator.DEFAULT_USERNAME));
        assertThat(header.path("commitTimestamp").isIntegralNumber()).isTrue();
        assertThat(header.path("commitNumber").isIntegralNumber()).isTrue();
        assertThat(header.path("sequenceNumber").asInt()).isEqualTo(1);
        assertThat(header.path("isTransactionEnd").asBoolean()).isTrue();
        assertThat(header.path("transactionKey").asText()).isNotEmpty();
        assertThat(payload.path("Name").asText()).isEqualTo("Acme");
        assertThat(payload.path("Industry").asText()).isEqualTo("Energy");
        assertThat(payload.path("CreatedById").asText()).isEqualTo(emulator.userId(Emulator.DEFAULT_USERNAME));
    }

    @Test
    void handshakesAgainOnItsOwnWhenItsSessionIsDropped() throws Exception {
        emulator.create("PushTopic", Map.of("Name", "CometDDropped", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        subscribe("/topic/CometDDropped");
        String first = client.getId();
        BlockingQueue<JsonNode> connects = new LinkedBlockingQueue<>();
        client.getChannel(Channel.META_CONNECT).addListener(
                (ClientSessionChannel.MessageListener) (c, m) -> connects.add(json(m)));

        assertThat(emulator.dropSessions()).isEqualTo(1);

        JsonNode unknown = connects.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(unknown).isNotNull();
        assertThat(unknown.path("error").asText()).isEqualTo("403::Unknown client");
        await().atMost(WAIT)
                .until(() -> client.isConnected() && !first.equals(client.getId()));
    }

    @Test
    void stopsWhenItsTokenIsRevoked() throws Exception {
        emulator.create("PushTopic", Map.of("Name", "CometDRevoked", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        subscribe("/topic/CometDRevoked");
        BlockingQueue<JsonNode> connects = new LinkedBlockingQueue<>();
        client.getChannel(Channel.META_CONNECT).addListener(
                (ClientSessionChannel.MessageListener) (c, m) -> connects.add(json(m)));

        emulator.revokeTokens();

        JsonNode refused = connects.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(refused).isNotNull();
        assertThat(refused.path("error").asText()).isEqualTo("401::Authentication invalid");
        assertThat(client.waitFor(WAIT.toMillis(), BayeuxClient.State.DISCONNECTED)).isTrue();
        rest.login(); // the other tests need a valid token
    }

    @Test
    void handshakeWithoutTokenIsDeniedWithSalesforcesFailureReason() throws Exception {
        client = newClient(null);
        CompletableFuture<Message> handshake = new CompletableFuture<>();
        client.handshake(handshake::complete);
        Message reply = handshake.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reply.isSuccessful()).isFalse();
        assertThat(reply.get(Message.ERROR_FIELD)).isEqualTo("403::Handshake denied");
        JsonNode json = json(reply);
        assertThat(json.path("ext").path("sfdc").path("failureReason").asText())
                .isEqualTo("401::Request requires authentication");
        assertThat(client.waitFor(WAIT.toMillis(), BayeuxClient.State.DISCONNECTED)).isTrue();
    }
}
