package dev.sfstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.RestException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import dev.sfstream.soql.NotifyForFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RestAndPushTopicsTest {
    Emulator emulator;
    SalesforceRest rest;
    PushTopics topics;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).queryPageSize(2).longPollTimeout(Duration.ofSeconds(3))
                .user(new EmulatorUser("dev@sfstream.local", "sfstream", "", "Dev", "User"))
                .user(EmulatorUser.of("other@sfstream.local", "other"))
                .build().start();
        rest = SalesforceRest.builder().authenticator(auth("dev@sfstream.local", "sfstream")).build();
        topics = new PushTopics(rest);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private PasswordAuthenticator auth(String user, String password) {
        return PasswordAuthenticator.builder().loginUrl(emulator.url()).consumerKey(Emulator.DEFAULT_CLIENT_ID)
                .consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).username(user).password(password).build();
    }

    @Test
    void createsReadsUpdatesAndDeletesRecords() {
        String id = rest.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        assertThat(rest.get("Lead", id)).get().satisfies(r -> assertThat(r.path("Company").asText()).isEqualTo("Acme"));
        rest.update("Lead", id, Map.of("Company", "Acme Labs"));
        assertThat(rest.get("Lead", id).orElseThrow().path("Company").asText()).isEqualTo("Acme Labs");
        rest.delete("Lead", id);
        assertThat(rest.get("Lead", id)).isEmpty();
    }

    @Test
    void queryFollowsNextRecordsUrl() {
        for (int i = 0; i < 5; i++) {
            rest.create("Account", Map.of("Name", "A" + i));
        }
        SalesforceRest.QueryResult result = rest.query("SELECT Id, Name FROM Account ORDER BY Name");
        assertThat(result.totalSize()).isEqualTo(5);
        assertThat(result.records()).extracting(r -> r.path("Name").asText())
                .containsExactly("A0", "A1", "A2", "A3", "A4");
    }

    @Test
    void salesforceErrorsBecomeRestExceptions() {
        assertThatThrownBy(() -> rest.create("Lead", Map.of("LastName", "Doe")))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
                    assertThat(e.message()).isEqualTo("Required fields are missing: [Company]");
                    assertThat(e.fields()).containsExactly("Company");
                });
        assertThatThrownBy(() -> rest.query("SELECT Id FORM Lead"))
                .isInstanceOfSatisfying(RestException.class, e -> assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY"));
    }

    @Test
    void aRevokedTokenIsRenewedOnce() {
        rest.create("Account", Map.of("Name", "Before"));
        emulator.revokeTokens();
        assertThat(rest.query("SELECT Id FROM Account").totalSize()).isEqualTo(1);
    }

    @Test
    void declaringANameSpelledInAnotherCaseUpdatesTheTopicAndKeepsItsName() {
        emulator.create("PushTopic", Map.of("Name", "LeadUpdates", "Query", "SELECT Id, FirstName FROM Lead",
                "ApiVersion", 64.0));
        try (StreamingClient client = StreamingClient.builder().authenticator(rest.authenticator()).build()) {
            client.open();
            client.subscribe("/topic/LeadUpdates");
            PushTopic declared = topics.declare(PushTopicDefinition.builder().name("leadupdates")
                    .query("SELECT Id, LastName FROM Lead").build());
            assertThat(declared.definition().channel()).isEqualTo("/topic/LeadUpdates");
            assertThat(topics.list()).singleElement().satisfies(t -> {
                assertThat(t.definition().name()).isEqualTo("LeadUpdates");
                assertThat(t.definition().query()).isEqualTo("SELECT Id, LastName FROM Lead");
            });
            emulator.create("Lead", Map.of("LastName", "Still", "Company", "X"));
            StreamingEvent e = client.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(e.pushTopic().orElseThrow().sobject().path("LastName").asText()).isEqualTo("Still");
        }
    }

    @Test
    void declaringTwiceLeavesOneTopicUpdated() {
        PushTopicDefinition v1 = PushTopicDefinition.builder().name("ContactUpdates")
                .query("SELECT Id, FirstName FROM Contact").build();
        PushTopicDefinition v2 = PushTopicDefinition.builder().name("ContactUpdates")
                .query("SELECT Id, FirstName, LastName FROM Contact").notifyForFields(NotifyForFields.SELECT)
                .notifyForOperationDelete(false).build();
        PushTopic first = topics.declare(v1);
        PushTopic again = topics.declare(v1);
        PushTopic second = topics.declare(v2);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(topics.list()).singleElement().satisfies(t -> {
            assertThat(t.definition().query()).isEqualTo(v2.query());
            assertThat(t.definition().notifyForFields()).isEqualTo(NotifyForFields.SELECT);
            assertThat(t.definition().notifyForOperationDelete()).isFalse();
        });
    }

    @Test
    void concurrentDeclaresMakeExactlyOneTopic() throws Exception {
        PushTopicDefinition def = PushTopicDefinition.builder().name("Race").query("SELECT Id, Name FROM Account")
                .build();
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<PushTopic>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                PushTopics own = new PushTopics(SalesforceRest.builder()
                        .authenticator(auth("dev@sfstream.local", "sfstream")).build());
                Callable<PushTopic> declare = () -> {
                    start.await();
                    return own.declare(def);
                };
                results.add(pool.submit(declare));
            }
            for (Future<PushTopic> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(topics.list()).hasSize(1);
    }

    static Stream<PushTopicDefinition> invalidDefinitions() {
        return Stream.of(
                PushTopicDefinition.builder().name("NoId").query("SELECT Name FROM Account").build(),
                PushTopicDefinition.builder().name("Limit").query("SELECT Id, Name FROM Account LIMIT 5").build(),
                PushTopicDefinition.builder().name("ThisNameIsMuchTooLongForSalesforce").query("SELECT Id, Name FROM "
                        + "Account").build(),
                PushTopicDefinition.builder().name("Relations").query("SELECT Id, Account.Name FROM Contact").build(),
                PushTopicDefinition.builder().name("SelectMode").query("SELECT Id FROM Account WHERE Name = 'x'")
                        .notifyForFields(NotifyForFields.SELECT).build(),
                PushTopicDefinition.builder().name("Malformed").query("SELECT Id, Name FORM Account").build(),
                PushTopicDefinition.builder().name("TooLong").query("SELECT Id, Name FROM Account WHERE Name IN ("
                        + "'abcdefghij',".repeat(120) + "'z')").build());
    }

    @ParameterizedTest
    @MethodSource("invalidDefinitions")
    void offlineErrorsEqualTheOrgsAnswer(PushTopicDefinition definition) {
        RestException offline = catchRest(() -> topics.declare(definition));
        RestException online = catchRest(() -> rest.create("PushTopic", definition.fields()));
        assertThat(offline.errors()).isEqualTo(online.errors()).isNotEmpty();
        assertThat(offline.getMessage()).contains("checked offline");
        assertThat(topics.list()).isEmpty();
    }

    private static RestException catchRest(Runnable r) {
        try {
            r.run();
        } catch (RestException e) {
            return e;
        }
        throw new AssertionError("expected a RestException");
    }

    @Test
    void deactivateStopsNotifications() {
        topics.declare(PushTopicDefinition.builder().name("Leads").query("SELECT Id, LastName FROM Lead").build());
        try (StreamingClient client = StreamingClient.builder().authenticator(rest.authenticator()).build()) {
            client.open();
            client.subscribe("/topic/Leads");
            emulator.create("Lead", Map.of("LastName", "Before", "Company", "X"));
            assertThat(client.receive(Duration.ofSeconds(10))).isPresent();
            topics.deactivate("Leads");
            assertThat(topics.get("Leads").orElseThrow().active()).isFalse();
            emulator.create("Lead", Map.of("LastName", "After", "Company", "X"));
            assertThat(client.receive(Duration.ofSeconds(2))).isEmpty();
        }
    }

    @Test
    void sobjectTopicFiltersByRecordTypeAndExcludesTheCurrentUser() {
        String student = emulator.create("RecordType", Map.of("Name", "Student", "DeveloperName", "Student",
                "SobjectType", "Contact"));
        String teacher = emulator.create("RecordType", Map.of("Name", "Teacher", "DeveloperName", "Teacher",
                "SobjectType", "Contact"));
        SObjectTopic topic = SObjectTopic.builder().sobjectType("Contact").recordType("Student")
                .excludeCurrentUser(true).fields("Email").build();
        PushTopicDefinition definition = topic.definition(rest);
        assertThat(definition.name()).isEqualTo("Contact_Student");
        assertThat(definition.query()).isEqualTo("SELECT Id, LastModifiedById, LastModifiedDate, Email FROM Contact "
                + "WHERE RecordTypeId = '" + student + "' AND LastModifiedById != '"
                + emulator.userId("dev@sfstream.local") + "'");
        topics.declare(definition);
        try (StreamingClient client = StreamingClient.builder().authenticator(rest.authenticator()).build()) {
            client.open();
            client.subscribe(topic.channel());
            emulator.createAs("dev@sfstream.local", "Contact", Map.of("LastName", "Mine", "RecordTypeId", student));
            emulator.createAs("other@sfstream.local", "Contact", Map.of("LastName", "Teacher", "RecordTypeId",
                    teacher));
            emulator.createAs("other@sfstream.local", "Contact", Map.of("LastName", "Theirs", "RecordTypeId",
                    student));
            StreamingEvent event = client.receive(Duration.ofSeconds(10)).orElseThrow();
            ObjectNode sobject = (ObjectNode) event.pushTopic().orElseThrow().sobject();
            assertThat(sobject.path("LastModifiedById").asText()).isEqualTo(emulator.userId("other@sfstream.local"));
            assertThat(client.receive(Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void hostileRecordTypeNamesAreEscaped() {
        String hostile = "x' OR Name != '";
        SObjectTopic topic = SObjectTopic.builder().sobjectType("Contact").recordType(hostile).build();
        PushTopicDefinition def = topic.definition("012000000000001AAA", null);
        assertThat(def.name()).hasSizeLessThanOrEqualTo(25).matches("[A-Za-z0-9_]+");
        assertThat(def.violations()).isEmpty();
        assertThatThrownBy(() -> topic.definition(rest)).isInstanceOfSatisfying(RestException.class,
                e -> assertThat(e.errorCode()).isEqualTo("NOT_FOUND"));
        String withBackslash = "Stu\\dent'";
        assertThatThrownBy(() -> SObjectTopic.builder().sobjectType("Contact").recordType(withBackslash).build()
                .definition(rest)).isInstanceOf(RestException.class).hasMessageContaining("no record type");
    }

    @Test
    void topicNamesAreDeterministicAndShortened() {
        String a = SObjectTopic.topicName("Very_Long_Custom_Object__c", "Another_Long_Record_Type");
        String b = SObjectTopic.topicName("Very_Long_Custom_Object__c", "Another_Long_Record_Type");
        String c = SObjectTopic.topicName("Very_Long_Custom_Object__c", "Another_Long_Record_Type2");
        assertThat(a).isEqualTo(b).hasSize(25).isNotEqualTo(c);
        assertThat(SObjectTopic.topicName("Lead", null)).isEqualTo("Lead");
    }
}
