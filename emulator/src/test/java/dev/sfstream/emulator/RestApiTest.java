package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.PushTopicRules;
import dev.sfstream.soql.RuleViolation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /services/data}: PushTopic validation with the soql module's texts, duplicate names, queries with
 * {@code nextRecordsUrl} paging and {@code COUNT()}, the versions list, Salesforce's 18-character IDs, and the
 * {@code INVALID_SESSION_ID} answer to a bad token.
 */
class RestApiTest {
    private static final String V = "/services/data/v64.0";

    Emulator emulator;
    RawHttp raw;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).queryPageSize(2).longPollTimeout(Duration.ofSeconds(2)).build()
                .start();
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode query(String soql) {
        return raw.rest("GET", V + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
    }

    // ---------------------------------------------------------------- PushTopic validation

    static Stream<Arguments> invalidPushTopics() {
        return Stream.of(
                Arguments.of("LimitTopic", "SELECT Id, Name FROM Account LIMIT 10", 64.0, null, null),
                Arguments.of("OrderTopic", "SELECT Id, Name FROM Account ORDER BY Name", 64.0, null, null),
                Arguments.of("NoIdTopic", "SELECT Name FROM Account", 64.0, null, null),
                Arguments.of("AggregateTopic", "SELECT COUNT() FROM Account", 64.0, null, null),
                Arguments.of("RelationTopic", "SELECT Id, Account.Name FROM Contact", 64.0, null, null),
                Arguments.of("NotTopic", "SELECT Id, Name FROM Account WHERE NOT Name = 'x'", 64.0, null, null),
                Arguments.of("SemiJoinTopic", "SELECT Id, Name FROM Account WHERE Id IN "
                        + "(SELECT AccountId FROM Contact)", 64.0, null, null),
                Arguments.of("MalformedTopic", "SELECT Id, Name FROM", 64.0, null, null),
                Arguments.of("ThisNameIsLongerThanTwentyFiveCharacters", "SELECT Id, Name FROM Account", 64.0, null,
                        null),
                Arguments.of("Bad-Name", "SELECT Id, Name FROM Account", 64.0, null, null),
                Arguments.of("OldTopic", "SELECT Id, Name FROM Account", 20.0, null, null),
                Arguments.of("SelectTopic", "SELECT Id FROM Account", 64.0, null, "Select"),
                Arguments.of("WhereTopic", "SELECT Id, Name FROM Account", 64.0, null, "Where"),
                Arguments.of("LongDescription", "SELECT Id, Name FROM Account", 64.0, "d".repeat(401), null),
                Arguments.of(null, null, null, null, null));
    }

    @ParameterizedTest(name = "Name={0}, Query={1}, ApiVersion={2}, NotifyForFields={4}")
    @MethodSource("invalidPushTopics")
    void invalidPushTopicIsRefusedWithTheSoqlModulesTexts(String name, String query, Double apiVersion,
            String description, String notifyForFields) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("Name", name);
        fields.put("Query", query);
        fields.put("ApiVersion", apiVersion);
        fields.put("Description", description);
        if (notifyForFields != null) {
            fields.put("NotifyForFields", notifyForFields);
        }
        fields.values().removeIf(v -> v == null);
        List<RuleViolation> expected = PushTopicRules.check(name, query, apiVersion, description,
                notifyForFields == null ? null : NotifyForFields.fromSalesforceName(notifyForFields));
        assertThat(expected).as("the soql module refuses it too").isNotEmpty();

        JsonNode answer = raw.rest("POST", V + "/sobjects/PushTopic", fields);

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        ArrayNode body = RawHttp.JSON.createArrayNode();
        for (RuleViolation v : expected) {
            ObjectNode error = body.addObject().put("message", v.message()).put("errorCode", v.errorCode());
            if (!v.fields().isEmpty()) {
                v.fields().forEach(error.putArray("fields")::add);
            }
        }
        assertThat(answer.path("body")).isEqualTo(body);
        assertThat(query("SELECT Id FROM PushTopic").path("totalSize").asInt()).isZero();
    }

    @Test
    void pushTopicWithADuplicateNameIsRefusedAsADuplicateValue() {
        String first = raw.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));

        JsonNode answer = raw.rest("POST", V + "/sobjects/PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, Company FROM Lead"));

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        JsonNode error = answer.path("body").get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(error.path("message").asText())
                .isEqualTo("duplicate value found: Name duplicates value on record with id: " + first);
        assertThat(error.path("fields")).containsExactly(RawHttp.JSON.getNodeFactory().textNode("Name"));
    }

    @Test
    void pushTopicGetsSalesforcesDefaultsAndCanBeUpdatedAndDeleted() {
        String id = raw.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));

        JsonNode topic = raw.rest("GET", V + "/sobjects/PushTopic/" + id, null).path("body");
        assertThat(topic.path("IsActive").asBoolean()).isTrue();
        assertThat(topic.path("NotifyForFields").asText()).isEqualTo("Referenced");
        assertThat(topic.path("NotifyForOperations").asText()).isEqualTo("All");
        for (String op : List.of("Create", "Update", "Delete", "Undelete")) {
            assertThat(topic.path("NotifyForOperation" + op).asBoolean()).as(op).isTrue();
        }
        assertThat(topic.path("attributes").path("type").asText()).isEqualTo("PushTopic");

        JsonNode updated = raw.rest("PATCH", V + "/sobjects/PushTopic/" + id, Map.of("IsActive", false));
        assertThat(updated.path("status").asInt()).isEqualTo(204);
        assertThat(raw.rest("GET", V + "/sobjects/PushTopic/" + id, null).path("body").path("IsActive").asBoolean())
                .isFalse();

        JsonNode readOnly = raw.rest("PATCH", V + "/sobjects/PushTopic/" + id, Map.of("NotifyForOperations", "All"));
        assertThat(readOnly.path("status").asInt()).isEqualTo(400);
        assertThat(readOnly.path("body").get(0).path("errorCode").asText())
                .isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");

        assertThat(raw.rest("DELETE", V + "/sobjects/PushTopic/" + id, null).path("status").asInt()).isEqualTo(204);
        assertThat(raw.rest("GET", V + "/sobjects/PushTopic/" + id, null).path("status").asInt()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- query

    @Test
    void queryPagesThroughNextRecordsUrlWithTheTotalSizeOnEveryPage() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(raw.create("Lead", Map.of("LastName", "Lead" + i, "Company", "Acme")));
        }

        List<JsonNode> pages = new ArrayList<>();
        JsonNode page = query("SELECT Id, LastName FROM Lead");
        pages.add(page);
        while (!page.path("body").path("done").asBoolean()) {
            String next = page.path("body").path("nextRecordsUrl").asText();
            assertThat(next).matches("/services/data/v64\\.0/query/01g[0-9A-Za-z]+-\\d+");
            page = raw.rest("GET", next, null);
            pages.add(page);
            assertThat(pages).hasSizeLessThanOrEqualTo(3);
        }

        assertThat(pages).extracting(p -> p.path("status").asInt()).containsOnly(200);
        assertThat(pages).extracting(p -> p.path("body").path("records").size()).containsExactly(2, 2, 1);
        assertThat(pages).extracting(p -> p.path("body").path("totalSize").asInt()).containsOnly(5);
        assertThat(pages.get(2).path("body").has("nextRecordsUrl")).isFalse();
        Set<String> seen = new HashSet<>();
        for (JsonNode p : pages) {
            for (JsonNode record : p.path("body").path("records")) {
                assertThat(record.path("attributes").path("type").asText()).isEqualTo("Lead");
                assertThat(record.path("attributes").path("url").asText())
                        .isEqualTo(V + "/sobjects/Lead/" + record.path("Id").asText());
                assertThat(seen.add(record.path("Id").asText())).isTrue();
            }
        }
        assertThat(seen).isEqualTo(created);
    }

    @Test
    void queryLocatorsCountTheRecordsAlreadyReturned() {
        for (int i = 0; i < 5; i++) {
            raw.create("Lead", Map.of("LastName", "Lead" + i, "Company", "Acme"));
        }
        JsonNode first = query("SELECT Id FROM Lead").path("body");
        JsonNode second = raw.rest("GET", first.path("nextRecordsUrl").asText(), null).path("body");

        assertThat(first.path("nextRecordsUrl").asText()).endsWith("-2");
        assertThat(second.path("nextRecordsUrl").asText()).endsWith("-4");
    }

    @Test
    void countQueryAnswersTheTotalSizeWithNoRecords() {
        for (int i = 0; i < 3; i++) {
            raw.create("Account", Map.of("Name", "Account" + i, "Industry", i == 0 ? "Banking" : "Energy"));
        }

        JsonNode answer = query("SELECT COUNT() FROM Account WHERE Industry = 'Energy'");

        assertThat(answer.path("status").asInt()).isEqualTo(200);
        assertThat(answer.path("body")).isEqualTo(RawHttp.parse("{\"totalSize\":2,\"done\":true,\"records\":[]}"));
    }

    @Test
    void malformedQueryIsRefusedAsMalformedQuery() {
        JsonNode answer = query("SELECT FROM Lead");
        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("body").get(0).path("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
    }

    // ---------------------------------------------------------------- versions, IDs, auth

    @Test
    void servicesDataListsTheApiVersionsWithoutAToken() {
        JsonNode answer = raw.rest("GET", "/services/data", null, null);

        assertThat(answer.path("status").asInt()).isEqualTo(200);
        JsonNode versions = answer.path("body");
        assertThat(versions.isArray()).isTrue();
        JsonNode v64 = null;
        for (JsonNode v : versions) {
            if (v.path("version").asText().equals("64.0")) {
                v64 = v;
            }
        }
        assertThat(v64).isEqualTo(RawHttp.parse(
                "{\"label\":\"API 64.0\",\"url\":\"/services/data/v64.0\",\"version\":\"64.0\"}"));
        assertThat(versions).extracting(v -> Double.parseDouble(v.path("version").asText())).isSorted();
    }

    @Test
    void recordsGet18CharacterIdsWithTheirKeyPrefixAndAValidChecksum() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("001", raw.create("Account", Map.of("Name", "Acme")));
        ids.put("003", raw.create("Contact", Map.of("LastName", "Doe")));
        ids.put("00Q", raw.create("Lead", Map.of("LastName", "Doe", "Company", "Acme")));
        ids.put("006", raw.create("Opportunity", Map.of("Name", "Deal", "StageName", "Prospecting",
                "CloseDate", "2026-12-31")));
        ids.put("500", raw.create("Case", Map.of("Subject", "Help")));
        ids.put("0IF", raw.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead")));
        ids.put("0M6", raw.create("StreamingChannel", Map.of("Name", "/u/Notifications")));
        ids.put("005", emulator.userId(Emulator.DEFAULT_USERNAME));
        ids.put("00D", emulator.orgId());

        ids.forEach((prefix, id) -> {
            assertThat(id).as(prefix).hasSize(18).startsWith(prefix).matches("[0-9A-Za-z]{18}");
            assertThat(id.substring(15)).as("checksum of " + id).isEqualTo(checksum(id.substring(0, 15)));
        });
        assertThat(raw.rest("GET", V + "/sobjects/Account/" + ids.get("001").substring(0, 15), null)
                .path("body").path("Id").asText()).as("a 15-character ID finds the record").isEqualTo(ids.get("001"));
    }

    /** Salesforce's suffix: for each 5-character chunk, a bit per upper-case letter, read as a base-32 digit. */
    private static String checksum(String id15) {
        String digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        StringBuilder out = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                if (Character.isUpperCase(id15.charAt(chunk * 5 + i))) {
                    bits |= 1 << i;
                }
            }
            out.append(digits.charAt(bits));
        }
        return out.toString();
    }

    @Test
    void restWithABadTokenIsRefusedAsAnInvalidSession() {
        JsonNode answer = raw.rest("GET", V + "/query?q=SELECT+Id+FROM+Lead", null, "Bearer 00Dnope!nope");

        assertThat(answer.path("status").asInt()).isEqualTo(401);
        assertThat(answer.path("body")).isEqualTo(RawHttp.parse(
                "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));
    }

    @Test
    void restWithoutATokenIsRefusedAsAnInvalidSession() {
        JsonNode answer = raw.rest("POST", V + "/sobjects/Lead", Map.of("LastName", "Doe", "Company", "Acme"),
                null);

        assertThat(answer.path("status").asInt()).isEqualTo(401);
        assertThat(answer.path("body").get(0).path("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(emulator.records("Lead")).isEmpty();
    }

    @Test
    void restWithARevokedTokenIsRefusedAsAnInvalidSession() {
        emulator.revokeTokens();
        JsonNode answer = raw.rest("GET", V + "/limits", null);
        assertThat(answer.path("status").asInt()).isEqualTo(401);
        assertThat(answer.path("body").get(0).path("message").asText()).isEqualTo("Session expired or invalid");
    }

    @Test
    void platformEventPublishAnswersWithAnEnqueuedOperation() {
        JsonNode answer = raw.rest("POST", V + "/sobjects/Low_Ink__e", Map.of("Printer_Model__c", "XZO-5"));

        assertThat(answer.path("status").asInt()).isEqualTo(201);
        JsonNode body = answer.path("body");
        assertThat(body.path("id").asText()).startsWith("e00").hasSize(18);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("errors")).hasSize(1);
        assertThat(body.path("errors").get(0).path("statusCode").asText()).isEqualTo("OPERATION_ENQUEUED");
        assertThat(body.path("errors").get(0).path("message").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(body.path("errors").get(0).path("fields")).isEmpty();
    }
}
