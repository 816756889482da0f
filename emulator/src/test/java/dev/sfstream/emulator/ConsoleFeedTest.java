package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web console's server side, over plain HTTP: its files and their headers, the live feed on
 * {@code /emulator/events} (server-sent events: the state, the recent events, then every new one in replay ID order
 * per channel) and the access token the console calls the REST API with. What a browser does with them is
 * {@link ConsoleBrowserTest}.
 */
class ConsoleFeedTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    final HttpClient http = HttpClient.newHttpClient();
    Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private Emulator start(Emulator.Builder builder) {
        emulator = FastOrg.fast(builder).build().start();
        return emulator;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path)).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One server-sent event: its name and its data, parsed. */
    record Sse(String name, JsonNode data) {
    }

    /** An open {@code /emulator/events}, read on a thread of its own into a queue. */
    final class Feed implements AutoCloseable {
        final BlockingQueue<Sse> received = new LinkedBlockingQueue<>();
        final Thread reader;
        final InputStream body;
        volatile boolean ended;

        Feed() throws Exception {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(emulator.url()
                    + "/emulator/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("text/event-stream"));
            body = response.body();
            reader = new Thread(this::read, "console-feed-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    } else if (line.isEmpty() && name != null) {
                        received.add(new Sse(name, RawHttp.parse(data.toString())));
                        name = null;
                        data.setLength(0);
                    }
                }
            } catch (IOException closed) {
                // closed by the test
            } finally {
                ended = true;
            }
        }

        Sse next() throws InterruptedException {
            Sse next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a server-sent event within " + WAIT).isNotNull();
            return next;
        }

        Sse next(String name) throws InterruptedException {
            while (true) {
                Sse next = next();
                if (next.name().equals(name)) {
                    return next;
                }
            }
        }

        /** The next {@code count} events, skipping state updates. */
        List<JsonNode> events(int count) throws InterruptedException {
            List<JsonNode> out = new ArrayList<>();
            while (out.size() < count) {
                out.add(next("event").data());
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    @Test
    void theFeedSendsTheStateThenTheRecentEventsThenEveryNewEventInReplayIdOrderPerChannel() throws Exception {
        start(Emulator.builder().platformEvent("Order_Placed__e", "Order_Number__c"));
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "before-1"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "before-2"));

        try (Feed feed = new Feed()) {
            Sse first = feed.next();
            assertThat(first.name()).isEqualTo("state");
            assertThat(first.data().path("pushTopics").get(0).path("Name").asText()).isEqualTo("Leads");
            List<JsonNode> recent = feed.events(2);
            assertThat(recent).extracting(e -> e.path("message").path("data").path("payload")
                    .path("Order_Number__c").asText()).containsExactly("before-1", "before-2");
            JsonNode one = recent.get(0);
            assertThat(one.path("channel").asText()).isEqualTo("/event/Order_Placed__e");
            assertThat(one.path("type").asText()).isEqualTo("event");
            assertThat(one.path("message").path("channel").asText()).isEqualTo("/event/Order_Placed__e");
            assertThat(one.path("replayId").asLong())
                    .isEqualTo(one.path("message").path("data").path("event").path("replayId").asLong());

            int orders = 150;
            int leads = 50;
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < orders; i++) {
                    emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "after-" + i));
                }
            });
            publisher.start();
            for (int i = 0; i < leads; i++) {
                emulator.create("Lead", Map.of("LastName", "Lead " + i, "Company", "Acme"));
            }
            publisher.join(WAIT.toMillis());

            // Each Lead makes a PushTopic event and two change events (its own channel and /data/ChangeEvents).
            List<JsonNode> live = feed.events(orders + 3 * leads);
            Map<String, List<Long>> byChannel = new java.util.TreeMap<>();
            live.forEach(e -> byChannel.computeIfAbsent(e.path("channel").asText(), c -> new ArrayList<>())
                    .add(e.path("replayId").asLong()));
            assertThat(byChannel).containsOnlyKeys("/event/Order_Placed__e", "/topic/Leads", "/data/LeadChangeEvent",
                    "/data/ChangeEvents");
            assertThat(byChannel.get("/event/Order_Placed__e")).hasSize(orders).isSorted()
                    .doesNotHaveDuplicates().allMatch(id -> id > recent.get(1).path("replayId").asLong());
            assertThat(byChannel.get("/topic/Leads")).hasSize(leads).isSorted().doesNotHaveDuplicates();
            assertThat(live).filteredOn(e -> e.path("channel").asText().equals("/event/Order_Placed__e"))
                    .extracting(e -> e.path("message").path("data").path("payload").path("Order_Number__c").asText())
                    .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(orders).map(i -> "after-" + i)
                            .toList());
            assertThat(live).filteredOn(e -> e.path("channel").asText().equals("/topic/Leads"))
                    .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("created"));
            assertThat(live).filteredOn(e -> e.path("channel").asText().startsWith("/data/"))
                    .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("CREATE"));
        }
    }

    @Test
    void theStateIsSentAgainWhenItChangesAndNamesNoSecret() throws Exception {
        start(Emulator.builder().user(new EmulatorUser("ci@acme.test", "hunter2-password", "tok3n", "Ci", "Bot"))
                .connectedApp(new ConnectedApp("ci-app", "app-s3cret", null, "ci@acme.test")));
        try (Feed feed = new Feed()) {
            JsonNode state = feed.next("state").data();
            JsonNode org = state.path("org");
            assertThat(org.path("id").asText()).isEqualTo(emulator.orgId());
            assertThat(org.path("users").get(0).path("username").asText()).isEqualTo("ci@acme.test");
            assertThat(org.path("users").get(0).path("id").asText()).isEqualTo(emulator.userId("ci@acme.test"));
            assertThat(org.path("connectedApps")).extracting(a -> a.path("clientId").asText())
                    .containsExactly(Emulator.DEFAULT_CLIENT_ID, "ci-app");
            assertThat(state.path("status").path("pubSubEndpoint").asText()).isEqualTo(emulator.pubSubEndpoint());
            assertThat(state.path("status").has("pubSubStreams")).isTrue();
            assertThat(state.toString()).doesNotContain("hunter2-password", "tok3n", "app-s3cret",
                    Emulator.DEFAULT_CLIENT_SECRET, "access_token");

            emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0, "Query",
                    "SELECT Id, LastName FROM Lead"));
            JsonNode changed = feed.next("state").data();
            assertThat(changed.path("pushTopics").get(0).path("Query").asText())
                    .isEqualTo("SELECT Id, LastName FROM Lead");
        }
    }

    @Test
    void closingTheEmulatorEndsOpenFeeds() throws Exception {
        start(Emulator.builder());
        try (Feed feed = new Feed()) {
            feed.next("state");
            emulator.close();
            feed.reader.join(WAIT.toMillis());
            assertThat(feed.ended).isTrue();
        }
        emulator = null;
    }

    @Test
    void theConsoleIsServedAtTheRootAndUnderConsoleWithAStrictContentSecurityPolicy() throws Exception {
        start(Emulator.builder());
        for (String path : List.of("/", "/console", "/console/", "/console/index.html")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).isEqualToIgnoringCase("text/html;charset=utf-8"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.body()).contains("<title>sfstream emulator</title>", "/console/console.js");
        }
        assertThat(get("/console/console.js").headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).isEqualToIgnoringCase("text/javascript;charset=utf-8"));
        assertThat(get("/console/console.css").headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).isEqualToIgnoringCase("text/css;charset=utf-8"));
        assertThat(get("/console/other.js").statusCode()).isEqualTo(404);
        assertThat(get("/index.html").statusCode()).isEqualTo(404);
        assertThat(get("/anything/else").statusCode()).isEqualTo(404);
    }

    @Test
    void theConsoleLoadsNothingFromElsewhereAndPutsTextInThePageNeverMarkup() throws IOException {
        String script = resource("console.js");
        String page = resource("index.html");
        String style = resource("console.css");
        assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function");
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=");
        for (String text : List.of(script, page, style)) {
            assertThat(text).doesNotContainPattern("https?://").doesNotContain("@import");
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleFeedTest.class.getResourceAsStream("/dev/sfstream/emulator/console/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theAccessTokenEndpointIssuesATokenTheRestApiTakes() throws Exception {
        start(Emulator.builder().user(EmulatorUser.of("ci@acme.test", "secret")));
        JsonNode issued = RawHttp.parse(post("/emulator/access-token").body());
        assertThat(issued.path("username").asText()).isEqualTo("ci@acme.test");
        assertThat(issued.path("client_id").asText()).isEqualTo(Emulator.DEFAULT_CLIENT_ID);
        RawHttp raw = new RawHttp(emulator.url());
        JsonNode limits = raw.rest("GET", "/services/data/v64.0/limits", null,
                "Bearer " + issued.path("access_token").asText());
        assertThat(limits.path("status").asInt()).isEqualTo(200);

        assertThat(post("/emulator/access-token?username=nobody@acme.test").statusCode()).isEqualTo(400);
        assertThat(post("/emulator/access-token?client_id=nope").statusCode()).isEqualTo(400);
        assertThat(get("/emulator/access-token").statusCode()).isEqualTo(405);
    }
}
