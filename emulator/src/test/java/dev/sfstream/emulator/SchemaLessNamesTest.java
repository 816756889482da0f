package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.emulator.internal.DmlException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator has no schema for standard objects: a type or field that looks like a Salesforce API name is taken
 * whether or not an org would have it, and only names no org can have are refused, with Salesforce's answers.
 */
class SchemaLessNamesTest {
    private static final String V = "/services/data/v64.0";

    static Emulator emulator;
    static RawHttp raw;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(2)).build().start();
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void typesAndFieldsThatLookLikeApiNamesAreTakenWithoutASchema() {
        for (String type : new String[] {"Invoice", "Invoice__c", "acme__Invoice__c", "Service_Appointment"}) {
            JsonNode created = raw.rest("POST", V + "/sobjects/" + type, Map.of("Name", "X", "Not_A_Real_Field__c",
                    1, "NoSuchStandardField", true));
            assertThat(created.path("status").asInt()).as(type + ": " + created).isEqualTo(201);
        }
        assertThat(emulator.records("Invoice__c")).hasSize(1);
    }

    @Test
    void aTypeNoOrgCanHaveIsNotFoundOverRest() {
        for (String type : new String[] {"Invoice_", "_Invoice", "Bad___c", "a__b__c__d", "Lead%20X"}) {
            JsonNode created = raw.rest("POST", V + "/sobjects/" + type, Map.of("Name", "X"));
            assertThat(created.path("status").asInt()).as(type).isEqualTo(404);
            assertThat(created.path("body").get(0).path("errorCode").asText()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void aFieldNoOrgCanHaveIsAnInvalidField() {
        JsonNode created = raw.rest("POST", V + "/sobjects/Lead", Map.of("LastName", "Doe", "Company", "Acme",
                "Last Name", "Doe"));
        assertThat(created.path("status").asInt()).isEqualTo(400);
        assertThat(created.path("body")).isEqualTo(RawHttp.parse("[{\"message\":\"No such column 'Last Name' on "
                + "sobject of type Lead\",\"errorCode\":\"INVALID_FIELD\"}]"));
        assertThat(emulator.records("Lead")).noneMatch(r -> "Doe".equals(r.get("LastName")));
        JsonNode published = raw.rest("POST", V + "/sobjects/Order__e", Map.of("Amount__c__x__y", 1));
        assertThat(published.path("status").asInt()).isEqualTo(400);
        assertThat(published.path("body").get(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void aQueryOnATypeNoOrgCanHaveIsAnInvalidType() {
        JsonNode answer = raw.rest("GET", V + "/query?q=" + URLEncoder.encode("SELECT Id FROM Invoice_",
                StandardCharsets.UTF_8), null);
        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("body").get(0).path("errorCode").asText()).isEqualTo("INVALID_TYPE");
        assertThat(answer.path("body").get(0).path("message").asText()).startsWith("sObject type 'Invoice_' is not "
                + "supported. If you are attempting to use a custom object, be sure to append the '__c'");
        JsonNode none = raw.rest("GET", V + "/query?q=SELECT+Id+FROM+Invoice", null);
        assertThat(none.path("status").asInt()).isEqualTo(200);
    }

    @Test
    void theJavaApiRefusesTheSameNames() {
        assertThatThrownBy(() -> emulator.create("Bad Type", Map.of("Name", "X")))
                .isInstanceOf(DmlException.class).hasMessageContaining("INVALID_TYPE");
        assertThatThrownBy(() -> emulator.create("Account", Map.of("Bad-Field", "X")))
                .isInstanceOf(DmlException.class).hasMessageContaining("No such column 'Bad-Field'");
        assertThatThrownBy(() -> emulator.publishEvent("Order__e", Map.of("Bad Field__c", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INVALID_FIELD");
    }
}
