package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real headless Chromium: what the front page shows of an org changed over REST, the live
 * stream, the forms and fault buttons (checked by their effect on the org and on clients, not by what the page says
 * of itself), and record values shown as text. One browser for the class, a new emulator per test.
 */
class ConsoleBrowserTest {
    static final Duration SOON = Duration.ofSeconds(5);
    static Browser browser;

    Emulator emulator;
    RawHttp raw;

    @BeforeAll
    static void openBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().platformEvent("Order_Placed__e", "Order_Number__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(Duration.ofMillis(200)))
                .build().start();
        raw = new RawHttp(emulator.url());
        raw.login();
        openConsole();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private void openConsole() {
        browser.open(emulator.url() + "/");
        soon(() -> assertThat(browser.text("#feed-status")).isEqualTo("live"));
        soon(() -> assertThat(browser.text("#org-id")).isEqualTo(emulator.orgId()));
    }

    static void soon(ThrowingRunnable assertion) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }

    /** The live stream's rows as shown, newest first: time, channel, replay ID, type, record or payload. */
    private List<List<String>> eventRows() {
        List<List<String>> rows = new ArrayList<>();
        browser.script("return [...document.querySelectorAll('#events tbody tr')].filter(r => !r.hidden)"
                + ".map(r => [...r.cells].map(c => c.textContent));").forEach(row -> {
                    List<String> cells = new ArrayList<>();
                    row.forEach(c -> cells.add(c.asText()));
                    rows.add(cells);
                });
        return rows;
    }

    private List<List<String>> eventsOn(String channel) {
        return eventRows().stream().filter(r -> r.get(1).equals(channel)).toList();
    }

    private String createPushTopicOverRest(String name, String query) {
        return raw.create("PushTopic", Map.of("Name", name, "ApiVersion", 64.0, "Query", query));
    }

    @Test
    void frontPageShowsTheOrgItsUsersAppsVersionsAndClock() {
        String org = browser.text("#org");
        assertThat(org).contains(Emulator.DEFAULT_USERNAME, emulator.userId(Emulator.DEFAULT_USERNAME),
                Emulator.DEFAULT_CLIENT_ID, "20.0 to 66.0", "Account, Case, Contact, Lead, Opportunity",
                "Order_Placed__e");
        assertThat(browser.text("body")).doesNotContain(Emulator.DEFAULT_CLIENT_SECRET, "password");
        String clock = browser.text("#clock");
        assertThat(Instant.parse(clock.replace(" UTC", "Z").replace(' ', 'T')))
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(browser.text("#pubsub")).contains(emulator.pubSubEndpoint(), "no, plaintext");
    }

    @Test
    void frontPageListsAPushTopicCreatedOverRest() {
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName, Company FROM Lead");
        raw.create("PushTopic", Map.of("Name", "Quiet", "ApiVersion", 64.0, "Query", "SELECT Id FROM Account",
                "NotifyForFields", "All", "NotifyForOperationDelete", false, "IsActive", false));

        soon(() -> assertThat(browser.findAll("#pushtopics tbody tr")).hasSize(2));
        List<List<String>> topics = new ArrayList<>();
        browser.script("return [...document.querySelectorAll('#pushtopics tbody tr')]"
                + ".map(r => [...r.cells].map(c => c.innerText));").forEach(row -> {
                    List<String> cells = new ArrayList<>();
                    row.forEach(c -> cells.add(c.asText()));
                    topics.add(cells);
                });
        assertThat(topics.get(0)).containsExactly("LeadUpdates", "SELECT Id, LastName, Company FROM Lead",
                "Referenced\ncreate, update, delete, undelete", "yes");
        assertThat(topics.get(1)).containsExactly("Quiet", "SELECT Id FROM Account", "All\ncreate, update, undelete",
                "no");
    }

    @Test
    void aRecordCreatedOverRestAppearsInTheLiveStreamWithinSeconds() {
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName, Company FROM Lead");
        String id = raw.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));

        soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).hasSize(1));
        List<String> row = eventsOn("/topic/LeadUpdates").get(0);
        assertThat(row.get(3)).isEqualTo("created");
        assertThat(row.get(4)).isEqualTo("Id: " + id + ", LastName: Doe, Company: Acme");
        long replayId = Long.parseLong(row.get(2));
        assertThat(replayId).isEqualTo(RawHttp.parse(raw.get("/emulator/status", null).body())
                .path("channels").path("/topic/LeadUpdates").path("lastReplayId").asLong());
        assertThat(eventsOn("/data/LeadChangeEvent")).singleElement()
                .satisfies(r -> assertThat(r.get(3)).isEqualTo("CREATE"));
        soon(() -> assertThat(browser.text("#channels")).contains("/topic/LeadUpdates"));
    }

    @Test
    void newestEventsComeFirstAndTheFilterKeepsOneChannel() {
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName FROM Lead");
        String id = emulator.create("Lead", Map.of("LastName", "First", "Company", "Acme"));
        emulator.update("Lead", id, Map.of("LastName", "Second"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));

        soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).hasSize(2));
        soon(() -> assertThat(eventsOn("/event/Order_Placed__e")).hasSize(1));
        assertThat(eventsOn("/topic/LeadUpdates")).extracting(r -> r.get(3)).containsExactly("updated", "created");
        assertThat(eventRows().get(0).get(1)).isEqualTo("/event/Order_Placed__e");

        browser.find("#channel-filter").select("/topic/LeadUpdates");
        assertThat(eventRows()).extracting(r -> r.get(1)).containsOnly("/topic/LeadUpdates").hasSize(2);
        assertThat(browser.text("#event-count")).matches("\\(2 of \\d+\\)");
        browser.find("#channel-filter").select("all channels");
        assertThat(eventRows()).extracting(r -> r.get(1)).contains("/event/Order_Placed__e", "/data/ChangeEvents");
    }

    @Test
    void clickingAnEventShowsItsJsonAsAStreamingClientReceivedIt() {
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName, Company FROM Lead");
        raw.connected();
        raw.subscribeFrom("/topic/LeadUpdates", -1);
        raw.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        JsonNode delivered = raw.receive(1, SOON).get(0);

        soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).hasSize(1));
        browser.find("#events tbody tr[data-channel='/topic/LeadUpdates']").click();

        JsonNode shown = RawHttp.parse(browser.text("#event-json"));
        assertThat(shown.path("channel").asText()).isEqualTo("/topic/LeadUpdates");
        assertThat(shown.path("data")).isEqualTo(delivered.path("data"));
        assertThat(browser.text("#detail-title")).isEqualTo("/topic/LeadUpdates · replay ID "
                + delivered.path("data").path("event").path("replayId").asLong());
    }

    @Test
    void recordValuesAndPayloadsShowAsTextNeverAsMarkup() {
        String hostile = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName, Company FROM Lead");
        raw.create("Lead", Map.of("LastName", hostile, "Company", "<b>bold</b>"));
        raw.create("StreamingChannel", Map.of("Name", "/u/Notes"));
        emulator.create("PushTopic", Map.of("Name", "Odd", "ApiVersion", 64.0,
                "Query", "SELECT Id FROM Account WHERE Name = '<img src=x onerror=\"window.pwned=3\">'"));
        browser.find("#generic-channel").replaceText("/u/Notes");
        browser.find("#generic-payload").replaceText(hostile);
        browser.find("#generic-push").click();

        soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).hasSize(1));
        soon(() -> assertThat(eventsOn("/u/Notes")).hasSize(1));
        assertThat(eventsOn("/topic/LeadUpdates").get(0).get(4)).contains("LastName: " + hostile,
                "Company: <b>bold</b>");
        assertThat(eventsOn("/u/Notes").get(0).get(4)).isEqualTo(hostile);
        soon(() -> assertThat(browser.text("#pushtopics")).contains("onerror=\"window.pwned=3\""));
        browser.find("#events tbody tr[data-channel='/topic/LeadUpdates']").click();
        assertThat(browser.text("#event-json")).contains("\"LastName\": \"" + hostile.replace("\"", "\\\"") + "\"");

        assertThat(browser.script("return document.querySelectorAll('main img, main script, main b').length")
                .asInt()).isZero();
        assertThat(browser.script("return typeof window.pwned").asText()).isEqualTo("undefined");
    }

    @Test
    void theRecordFormCreatesUpdatesDeletesAndUndeletesThroughRest() {
        createPushTopicOverRest("LeadUpdates", "SELECT Id, LastName, Company FROM Lead");
        browser.find("#record-type").replaceText("Lead");
        browser.find("#record-fields").replaceText("{\"LastName\": \"Doe\", \"Company\": \"Acme\"}");
        browser.find("#record-create").click();
        soon(() -> assertThat(browser.text("#record-result")).startsWith("Created Lead 00Q"));
        String id = browser.value("#record-id");
        assertThat(emulator.record(id)).hasValueSatisfying(r -> assertThat(r).containsEntry("LastName", "Doe"));

        browser.find("#record-fields").replaceText("{\"Company\": \"Acme Labs\"}");
        browser.find("#record-update").click();
        soon(() -> assertThat(browser.text("#record-result")).isEqualTo("Updated Lead " + id));
        assertThat(emulator.record(id).orElseThrow()).containsEntry("Company", "Acme Labs");

        browser.find("#record-delete").click();
        soon(() -> assertThat(browser.text("#record-result")).startsWith("Deleted Lead " + id));
        assertThat(emulator.record(id)).isEmpty();

        browser.find("#record-undelete").click();
        soon(() -> assertThat(browser.text("#record-result")).isEqualTo("Undeleted " + id));
        assertThat(emulator.record(id)).isPresent();

        soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).extracting(r -> r.get(3))
                .containsExactly("undeleted", "deleted", "updated", "created"));

        browser.find("#record-fields").replaceText("{\"Company\": \"Acme\"}");
        browser.find("#record-id").replaceText("");
        browser.find("#record-create").click();
        soon(() -> assertThat(browser.text("#record-result"))
                .isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"));
        assertThat(browser.find("#record-result").text()).isNotEmpty();
        assertThat(browser.script("return document.getElementById('record-result').className").asText())
                .isEqualTo("error");
    }

    @Test
    void thePushTopicFormDeclaresATopicAndShowsWhyAQueryIsRefused() {
        browser.find("#topic-name").replaceText("LeadUpdates");
        browser.find("#topic-query").replaceText("SELECT Id, Name FROM Lead LIMIT 5");
        browser.find("#topic-declare").click();
        soon(() -> assertThat(browser.text("#topic-result")).isEqualTo("INVALID_FIELD: 'LIMIT' is not allowed"));
        assertThat(emulator.records("PushTopic")).isEmpty();

        browser.find("#topic-query").replaceText("SELECT Id, LastName FROM Lead");
        browser.find("#topic-delete").click();
        browser.find("#topic-declare").click();
        soon(() -> assertThat(browser.text("#topic-result")).startsWith("Created PushTopic LeadUpdates (0IF"));
        assertThat(emulator.records("PushTopic")).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("Query", "SELECT Id, LastName FROM Lead")
                .containsEntry("NotifyForOperationDelete", false)
                .containsEntry("NotifyForOperationCreate", true));
        soon(() -> assertThat(browser.text("#pushtopics tbody")).contains("LeadUpdates"));

        browser.find("#topic-query").replaceText("SELECT Id, LastName, Company FROM Lead");
        browser.find("#topic-declare").click();
        soon(() -> assertThat(browser.text("#topic-result")).startsWith("Updated PushTopic LeadUpdates"));
        assertThat(emulator.records("PushTopic")).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("Query", "SELECT Id, LastName, Company FROM Lead"));
    }

    @Test
    void theEventFormsPublishAPlatformEventAndPushOnAGenericChannel() {
        browser.find("#event-type").replaceText("Order_Placed__e");
        browser.find("#event-fields").replaceText("{\"Order_Number__c\": \"O-42\"}");
        browser.find("#event-publish").click();
        soon(() -> assertThat(browser.text("#event-result")).startsWith("Published on /event/Order_Placed__e"));
        soon(() -> assertThat(eventsOn("/event/Order_Placed__e")).singleElement()
                .satisfies(r -> assertThat(r.get(4)).isEqualTo("Order_Number__c: O-42")));

        browser.find("#event-fields").replaceText("{\"Amount__c\": 3}");
        browser.find("#event-publish").click();
        soon(() -> assertThat(browser.text("#event-result"))
                .isEqualTo("INVALID_FIELD: No such column 'Amount__c' on sobject of type Order_Placed__e"));

        browser.find("#generic-channel").replaceText("/u/Notifications");
        browser.find("#generic-payload").replaceText("hello");
        browser.find("#generic-push").click();
        soon(() -> assertThat(browser.text("#generic-result"))
                .isEqualTo("Created StreamingChannel /u/Notifications, then pushed on /u/Notifications to every "
                        + "subscriber"));
        soon(() -> assertThat(eventsOn("/u/Notifications")).singleElement()
                .satisfies(r -> assertThat(r.get(3) + " " + r.get(4)).isEqualTo("generic hello")));
        assertThat(emulator.records("StreamingChannel")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("Name", "/u/Notifications"));
    }

    @Test
    void theStreamingFaultButtonsHaveTheirEffect() {
        // Revoke tokens: a token issued before is refused; the console renews its own and goes on.
        assertThat(raw.rest("GET", "/services/data/v64.0/limits", null).path("status").asInt()).isEqualTo(200);
        browser.find("#fault-revoke-tokens").click();
        soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Revoked every access token"));
        assertThat(raw.rest("GET", "/services/data/v64.0/limits", null).path("status").asInt()).isEqualTo(401);
        browser.find("#record-create").click();
        soon(() -> assertThat(browser.text("#record-result")).startsWith("Created Lead"));

        // Drop sessions: a connected client's next connect is 403::Unknown client.
        RawHttp client = new RawHttp(emulator.url());
        client.login();
        client.connected();
        browser.find("#fault-drop-sessions").click();
        soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Dropped 1 session(s)"));
        assertThat(RawHttp.metaReply(client.connect(), "/meta/connect").path("error").asText())
                .isEqualTo("403::Unknown client");

        // Busy for N seconds: a connect gets the 503 busy reason.
        client.connected();
        browser.find("#busy-seconds").replaceText("30");
        browser.find("#fault-busy").click();
        soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Busy for 30 s"));
        assertThat(RawHttp.metaReply(client.connect(), "/meta/connect").path("error").asText())
                .startsWith("503::Server is too busy.");

        // Advance the clock: the org's time moves on, and the header says how far ahead it is.
        Instant before = Instant.parse((String) emulator.status().get("time"));
        browser.find("#clock-hours").replaceText("25");
        browser.find("#fault-advance-clock").click();
        soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Advanced the clock by 25 h"));
        assertThat(Instant.parse((String) emulator.status().get("time")))
                .isAfterOrEqualTo(before.plus(Duration.ofHours(25)));
        soon(() -> assertThat(browser.text("#clock-ahead")).isEqualTo("+25.0 h ahead"));

        browser.find("#clock-hours").replaceText("soon");
        assertThat(browser.value("#clock-hours")).isEmpty();
        browser.find("#fault-advance-clock").click();
        soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Give a number of 0 or more"));
    }

    /**
     * The picture in the READMEs: the console with a subscribed CometD client, a Pub/Sub stream and events of every
     * kind in its live stream, one of them opened. Written to {@code docs/console.png} in the repository on every
     * run, so that it shows the console as it is.
     */
    @Test
    void aScreenshotOfTheConsoleGoesToTheReadme() throws Exception {
        browser.find("#topic-declare").click();
        soon(() -> assertThat(browser.text("#topic-result")).startsWith("Created PushTopic LeadUpdates"));
        raw.connected();
        raw.subscribeFrom("/topic/LeadUpdates", -1);
        try (PubSubTestClient pubSub = PubSubTestClient.loggedIn(emulator)) {
            pubSub.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 100).next(SOON);
            browser.find("#record-create").click();
            soon(() -> assertThat(browser.text("#record-result")).startsWith("Created Lead"));
            String ada = raw.create("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                    "Company", "Analytical Engines", "Status", "Open - Not Contacted"));
            raw.rest("PATCH", "/services/data/v64.0/sobjects/Lead/" + ada, Map.of("Status", "Working - Contacted"));
            browser.find("#event-publish").click();
            soon(() -> assertThat(browser.text("#event-result")).startsWith("Published"));
            browser.find("#generic-push").click();
            soon(() -> assertThat(browser.text("#generic-result")).contains("pushed on /u/Notifications"));
            browser.find("#record-fields").replaceText("{\"Status\": \"Closed - Converted\"}");
            browser.find("#record-update").click();
            soon(() -> assertThat(browser.text("#record-result")).startsWith("Updated Lead"));

            soon(() -> assertThat(eventsOn("/topic/LeadUpdates")).hasSize(4));
            soon(() -> assertThat(browser.text("#pubsub-streams tbody")).contains("/event/Order_Placed__e"));
            soon(() -> assertThat(browser.text("#channels")).contains("/u/Notifications"));
            browser.find("#events tbody tr[data-channel='/topic/LeadUpdates']").click();
            browser.script("document.activeElement.blur(); window.scrollTo(0, 0);"
                    + " document.querySelectorAll('tr.fresh').forEach(r => r.classList.remove('fresh'));");

            byte[] png = browser.screenshot();
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            java.nio.file.Path target = java.nio.file.Path.of(System.getProperty("basedir", "."))
                    .resolve("../docs/console.png").normalize();
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.write(target, png);
        }
    }

    @Test
    void thePubSubPanelShowsOpenStreamsAndItsFaultButtonsHaveTheirEffect() throws Exception {
        try (PubSubTestClient pubSub = PubSubTestClient.loggedIn(emulator)) {
            PubSubTestClient.Stream stream = pubSub.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
            stream.next(SOON);
            soon(() -> assertThat(browser.text("#pubsub-streams tbody")).contains("/event/Order_Placed__e",
                    "Subscribe"));
            assertThat(browser.text("#pubsub")).contains("Open streams\n1");

            // Stall: the open stream is silent, keepalives included, for as long as asked.
            browser.find("#stall-seconds").replaceText("2.5");
            browser.find("#fault-stall").click();
            soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("gRPC streams stalled for 2.5 s"));
            stream.responses.clear();
            long stalled = System.nanoTime();
            stream.next(SOON);
            assertThat(Duration.ofNanos(System.nanoTime() - stalled)).isGreaterThan(Duration.ofSeconds(1));

            // Reset streams: the open stream ends as a network reset would.
            browser.find("#fault-reset-streams").click();
            soon(() -> assertThat(browser.text("#fault-result")).isEqualTo("Reset 1 gRPC stream(s)"));
            assertThat(stream.end(SOON).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            soon(() -> assertThat(browser.text("#pubsub")).contains("Open streams\n0"));

            // Exhaust: new calls are refused with RESOURCE_EXHAUSTED.
            browser.find("#exhaust-seconds").replaceText("30");
            browser.find("#fault-exhaust").click();
            soon(() -> assertThat(browser.text("#fault-result"))
                    .isEqualTo("New gRPC calls get RESOURCE_EXHAUSTED for 30 s"));
            PubSubTestClient.Stream refused = pubSub.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
            assertThat(refused.end(SOON).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
    }
}
