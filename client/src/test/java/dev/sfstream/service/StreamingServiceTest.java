package dev.sfstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.rest.PushTopic;
import dev.sfstream.rest.PushTopics;
import dev.sfstream.rest.SalesforceRest;
import dev.sfstream.soql.NotifyForFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingServiceTest {
    Emulator emulator;
    ReplayStore store = ReplayStore.inMemory();

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private StreamingClient client() {
        return StreamingClient.builder().authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .replayStore(store).build();
    }

    /** The event proxy of nameko-salesforce's documentation: Lead and Opportunity changes as named events. */
    static final class EventProxy {
        final List<String> dispatched = new CopyOnWriteArrayList<>();
        final List<String> recordTypes = Collections.synchronizedList(new ArrayList<>());

        @HandleSObjectNotification(sobjectType = "Lead")
        @HandleSObjectNotification(sobjectType = "Opportunity", fields = {"Name"})
        void onChange(String sobjectType, String recordType, JsonNode notification) {
            recordTypes.add(String.valueOf(recordType));
            dispatched.add("salesforce_" + sobjectType.toLowerCase() + "_" + notification.path("event").path("type")
                    .asText());
        }
    }

    @Test
    void stackedAnnotationsReceiveEveryTopicWithTheirFirstArguments() {
        EventProxy proxy = new EventProxy();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(proxy).build()) {
            service.start();
            String lead = emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
            emulator.create("Opportunity", Map.of("Name", "Big", "StageName", "New", "CloseDate", "2027-01-01"));
            emulator.update("Lead", lead, Map.of("Company", "Acme Labs"));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.dispatched.size() == 3);
            assertThat(proxy.dispatched).containsExactlyInAnyOrder("salesforce_lead_created",
                    "salesforce_opportunity_created", "salesforce_lead_updated");
            assertThat(proxy.recordTypes).containsOnly("null");
        }
    }

    /** A record type of the test's own. */
    public record Contact(String Id, String FirstName, String LastName) {
    }

    static final class Declared {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @HandleNotification(name = "ContactNames", query = "SELECT Id, FirstName, LastName FROM Contact",
                notifyForFields = NotifyForFields.SELECT, notifyForOperationCreate = false)
        void onName(String name, Contact contact) {
            seen.add(name + ":" + contact.FirstName() + " " + contact.LastName());
        }
    }

    @Test
    void pushTopicsAreDeclaredAtStartAndUserTypesAreMapped() {
        Declared handler = new Declared();
        SalesforceRest rest;
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler).build()) {
            service.start();
            rest = SalesforceRest.of(service.client());
            PushTopic topic = new PushTopics(rest).get("ContactNames").orElseThrow();
            assertThat(topic.definition().notifyForFields()).isEqualTo(NotifyForFields.SELECT);
            assertThat(topic.definition().notifyForOperationCreate()).isFalse();
            String id = emulator.create("Contact", Map.of("FirstName", "Ada", "LastName", "Byron"));
            emulator.update("Contact", id, Map.of("LastName", "Lovelace"));
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.seen.size() == 1);
            assertThat(handler.seen).containsExactly("ContactNames:Ada Lovelace");
        }
    }

    @Test
    void startUpdatesAnExistingTopicOfTheSameName() {
        emulator.create("PushTopic", Map.of("Name", "ContactNames", "Query", "SELECT Id, Email FROM Contact",
                "ApiVersion", 64.0));
        try (StreamingService service = StreamingService.builder().client(client()).handlers(new Declared())
                .build()) {
            service.start();
            PushTopic topic = new PushTopics(SalesforceRest.of(service.client())).get("ContactNames").orElseThrow();
            assertThat(topic.definition().query()).isEqualTo("SELECT Id, FirstName, LastName FROM Contact");
        }
    }

    static final class BadSignature {
        @Subscribe("/topic/X")
        void wrong(StreamingEvent event) {
        }
    }

    static final class WrongSObjectSignature {
        @HandleSObjectNotification(sobjectType = "Lead")
        void wrong(String sobjectType, StreamingEvent event) {
        }
    }

    @Test
    void aBadSignatureFailsWithTheMethodsNameAndWhatItMayTake() {
        StreamingClient client = client();
        assertThatThrownBy(() -> StreamingService.builder().client(client).handlers(new BadSignature()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadSignature.wrong(StreamingEvent)")
                .hasMessageContaining("(String channel, EVENT event)");
        assertThatThrownBy(() -> StreamingService.builder().client(client).handlers(new WrongSObjectSignature())
                .build()).hasMessageContaining("WrongSObjectSignature.wrong(String, StreamingEvent)")
                .hasMessageContaining("(String sobjectType, String recordType, EVENT event)");
        assertThatThrownBy(() -> StreamingService.builder().client(client).handlers(new Object()).build())
                .hasMessageContaining("no handler methods");
    }

    static final class Failing {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> handled = new CopyOnWriteArrayList<>();
        volatile boolean broken = true;
        volatile java.util.function.Function<String, Throwable> failure = IllegalStateException::new;

        @Subscribe("/topic/Leads")
        void onLead(String channel, StreamingEvent event) throws Throwable {
            String name = event.pushTopic().orElseThrow().sobject().path("LastName").asText();
            calls.incrementAndGet();
            if (broken && name.equals("Poison")) {
                throw failure.apply("cannot handle " + name);
            }
            handled.add(name);
        }
    }

    private void leadsTopic() {
        emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
    }

    @Test
    void stopKeepsTheMarkerBeforeTheFailedEventSoTheNextStartRedeliversIt() {
        leadsTopic();
        Failing handler = new Failing();
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler)
                .retries(2, Duration.ofMillis(10)).onFailure(failures::add).build()) {
            service.start();
            emulator.create("Lead", Map.of("LastName", "Good", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "Poison", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            assertThat(failures.get(0).attempts()).isEqualTo(3);
            assertThat(failures.get(0).policy()).isEqualTo(ErrorPolicy.STOP);
            assertThat(failures.get(0).handler()).isEqualTo("Failing.onLead");
            assertThat(service.stoppedChannels()).containsExactly("/topic/Leads");
            await().atMost(Duration.ofSeconds(5)).until(() -> service.client().subscriptions().isEmpty());
            assertThat(handler.handled).containsExactly("Good");
        }
        handler.broken = false;
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler).build()) {
            service.start();
            // On a timeout the last assertion says what was handled (one event, or one twice).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handler.handled)
                    .hasSizeGreaterThanOrEqualTo(3));
            assertThat(handler.handled).containsExactly("Good", "Poison", "After");
        }
    }

    @Test
    void aStoppedChannelRestartsFromTheEventItsHandlerFailedOn() {
        leadsTopic();
        Failing handler = new Failing();
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler)
                .retries(0, Duration.ofMillis(10)).onFailure(failures::add).build()) {
            service.start();
            emulator.create("Lead", Map.of("LastName", "Good", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "Poison", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            assertThatThrownBy(() -> service.restart("/topic/Other")).isInstanceOf(IllegalArgumentException.class);
            handler.broken = false;
            service.restart("/topic/Leads");
            // On a timeout the last assertion says what was handled (one event, or one twice).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handler.handled)
                    .hasSizeGreaterThanOrEqualTo(3));
            assertThat(handler.handled).containsExactly("Good", "Poison", "After");
            assertThat(service.stoppedChannels()).isEmpty();
            assertThatThrownBy(() -> service.restart("/topic/Leads")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anErrorInAHandlerIsRetriedStopsTheChannelAndIsReportedLikeAnyFailure() {
        leadsTopic();
        Failing handler = new Failing();
        handler.failure = StackOverflowError::new;
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler)
                .retries(2, Duration.ofMillis(10)).onFailure(failures::add).build()) {
            service.start();
            emulator.create("Lead", Map.of("LastName", "Good", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "Poison", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            assertThat(failures.get(0).cause()).isInstanceOf(StackOverflowError.class);
            assertThat(failures.get(0).attempts()).isEqualTo(3);
            assertThat(service.stoppedChannels()).containsExactly("/topic/Leads");
        }
        handler.broken = false;
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler).build()) {
            service.start();
            // On a timeout the last assertion says what was handled (one event, or one twice).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handler.handled)
                    .hasSizeGreaterThanOrEqualTo(3));
            assertThat(handler.handled).containsExactly("Good", "Poison", "After");
        }
    }

    @Test
    void aLinkageErrorWithPolicySkipIsReportedBeforeTheServiceGoesOn() {
        leadsTopic();
        Failing handler = new Failing();
        handler.failure = NoClassDefFoundError::new;
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler)
                .retries(1, Duration.ofMillis(10)).errorPolicy(ErrorPolicy.SKIP).onFailure(failures::add).build()) {
            service.start();
            emulator.create("Lead", Map.of("LastName", "Poison", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.handled.contains("After"));
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.cause()).isInstanceOf(NoClassDefFoundError.class);
                assertThat(f.attempts()).isEqualTo(2);
            });
        }
    }

    @Test
    void skipReportsTheFailureCommitsAndGoesOn() {
        leadsTopic();
        Failing handler = new Failing();
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler)
                .retries(1, Duration.ofMillis(10)).errorPolicy(ErrorPolicy.SKIP).onFailure(failures::add).build()) {
            service.start();
            emulator.create("Lead", Map.of("LastName", "Poison", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.handled.contains("After"));
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.policy()).isEqualTo(ErrorPolicy.SKIP);
                assertThat(f.cause()).hasMessage("cannot handle Poison");
            });
            assertThat(handler.calls.get()).isEqualTo(3);
        }
    }

    static final class Ordered {
        final Map<String, List<Integer>> byChannel = new java.util.concurrent.ConcurrentHashMap<>();
        final CountDownLatch otherChannelsRan = new CountDownLatch(2);
        volatile boolean firstOfAWaitedForTheOthers;

        @Subscribe("/topic/A")
        @Subscribe("/topic/B")
        @Subscribe("/topic/C")
        void on(String channel, JsonNode data) throws InterruptedException {
            int n = Integer.parseInt(data.path("sobject").path("LastName").asText().substring(1));
            if (n == 0) {
                // A's first event holds its lane until B and C have each handled one: the channels must interleave.
                firstOfAWaitedForTheOthers = otherChannelsRan.await(10, TimeUnit.SECONDS);
            } else if (n <= 2) {
                otherChannelsRan.countDown();
            }
            byChannel.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(n);
        }
    }

    @Test
    void eachChannelKeepsItsOrderWhileChannelsRunConcurrently() {
        for (String t : List.of("A", "B", "C")) {
            emulator.create("PushTopic", Map.of("Name", t, "Query", "SELECT Id, LastName FROM Lead WHERE Company = '"
                    + t + "'", "ApiVersion", 64.0));
        }
        Ordered handler = new Ordered();
        try (StreamingService service = StreamingService.builder().client(client()).handlers(handler).concurrency(3)
                .build()) {
            service.start();
            for (int i = 0; i < 30; i++) {
                emulator.create("Lead", Map.of("LastName", "L" + i, "Company", List.of("A", "B", "C").get(i % 3)));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> handler.byChannel.values().stream()
                    .mapToInt(List::size).sum() == 30);
            assertThat(handler.firstOfAWaitedForTheOthers).as("B and C ran while A was busy").isTrue();
            for (List<Integer> seen : handler.byChannel.values()) {
                assertThat(seen).isSorted().hasSize(10);
            }
        }
    }
}
