package dev.sfstream.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledQueryTest {
    /** Thursday 2024-05-16, 10:00 UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-16T10:00:00Z"), ZoneOffset.UTC);

    private static boolean matches(String where, Map<String, ?> record) {
        return CompiledQuery.compile(Soql.parse("SELECT Id FROM Account WHERE " + where), CLOCK, null).matches(record);
    }

    private static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aQueryWithoutWhereMatchesEveryRecord() {
        assertThat(CompiledQuery.compile("SELECT Id FROM Lead").matches(record())).isTrue();
    }

    @Test
    void stringEqualityIgnoresCase() {
        assertThat(matches("Name = 'ACME'", record("Name", "acme"))).isTrue();
        assertThat(matches("Name = 'acme'", record("Name", "Acme Corp"))).isFalse();
        assertThat(matches("Name != 'ACME'", record("Name", "acme"))).isFalse();
    }

    @Test
    void fieldNamesIgnoreCase() {
        assertThat(matches("name = 'x'", record("Name", "x"))).isTrue();
        assertThat(matches("NAME = 'x'", record("nAmE", "x"))).isTrue();
    }

    @Test
    void equalsNullTestsForNullAndAnEmptyStringIsNull() {
        assertThat(matches("Industry = null", record("Industry", null))).isTrue();
        assertThat(matches("Industry = null", record())).isTrue();
        assertThat(matches("Industry = null", record("Industry", ""))).isTrue();
        assertThat(matches("Industry = null", record("Industry", "Energy"))).isFalse();
        assertThat(matches("Industry != null", record("Industry", "Energy"))).isTrue();
        assertThat(matches("Industry != null", record("Industry", null))).isFalse();
    }

    @Test
    void aNullFieldFailsComparisonsButPassesNotEqualsAndNotIn() {
        Map<String, Object> empty = record("Industry", null, "Amount", null);
        assertThat(matches("Industry = 'Energy'", empty)).isFalse();
        assertThat(matches("Industry != 'Energy'", empty)).isTrue();
        assertThat(matches("Amount > 5", empty)).isFalse();
        assertThat(matches("Amount < 5", empty)).isFalse();
        assertThat(matches("Amount != 5", empty)).isTrue();
        assertThat(matches("Industry LIKE '%'", empty)).isFalse();
        assertThat(matches("Industry IN ('Energy')", empty)).isFalse();
        assertThat(matches("Industry NOT IN ('Energy')", empty)).isTrue();
        assertThat(matches("Industry < null", empty)).isFalse();
    }

    @Test
    void likeMatchesPercentAndUnderscoreIgnoringCase() {
        assertThat(matches("Name LIKE 'ac%'", record("Name", "ACME"))).isTrue();
        assertThat(matches("Name LIKE '%ME'", record("Name", "acme"))).isTrue();
        assertThat(matches("Name LIKE '%c%'", record("Name", "acme"))).isTrue();
        assertThat(matches("Name LIKE 'a_me'", record("Name", "acme"))).isTrue();
        assertThat(matches("Name LIKE 'a_me'", record("Name", "acccme"))).isFalse();
        assertThat(matches("Name LIKE 'acme'", record("Name", "acme corp"))).isFalse();
        assertThat(matches("Name LIKE '%'", record("Name", "anything"))).isTrue();
        assertThat(matches("Name LIKE 'a%b%c'", record("Name", "aXXbYYbZZc"))).isTrue();
        assertThat(matches("Name LIKE 'a%b%c'", record("Name", "aXXbYYbZZ"))).isFalse();
    }

    @Test
    void escapedWildcardsInLikeAreLiteral() {
        assertThat(matches("Name LIKE '100\\%'", record("Name", "100%"))).isTrue();
        assertThat(matches("Name LIKE '100\\%'", record("Name", "1000"))).isFalse();
        assertThat(matches("Name LIKE 'a\\_b'", record("Name", "a_b"))).isTrue();
        assertThat(matches("Name LIKE 'a\\_b'", record("Name", "axb"))).isFalse();
    }

    @Test
    void likeOnAHugeValueStaysLinear() {
        String value = "a".repeat(200_000);
        assertThat(matches("Name LIKE '%a%a%a%a%a%b'", record("Name", value))).isFalse();
    }

    @Test
    void inListsMatchAnyValueIgnoringCase() {
        assertThat(matches("Industry IN ('Energy', 'Banking')", record("Industry", "banking"))).isTrue();
        assertThat(matches("Industry IN ('Energy', 'Banking')", record("Industry", "Retail"))).isFalse();
        assertThat(matches("Industry NOT IN ('Energy', 'Banking')", record("Industry", "Retail"))).isTrue();
        assertThat(matches("Industry NOT IN ('Energy', 'Banking')", record("Industry", "ENERGY"))).isFalse();
        assertThat(matches("Amount IN (1, 2.5)", record("Amount", 2.5))).isTrue();
        assertThat(matches("Amount IN (1, 2.5)", record("Amount", 3))).isFalse();
    }

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        assertThat(matches("Amount = 1", record("Amount", 1.0))).isTrue();
        assertThat(matches("Amount = 1.0", record("Amount", 1))).isTrue();
        assertThat(matches("Amount = 1", record("Amount", 1L))).isTrue();
        assertThat(matches("Amount = 1", record("Amount", new BigDecimal("1.000")))).isTrue();
        assertThat(matches("Amount > 10", record("Amount", 10.5))).isTrue();
        assertThat(matches("Amount > 10.5", record("Amount", 10))).isFalse();
        assertThat(matches("Amount >= -3", record("Amount", -3))).isTrue();
        assertThat(matches("Amount < 0.1", record("Amount", 0.09999))).isTrue();
        assertThat(matches("Amount <= 0.1", record("Amount", 0.1))).isTrue();
        assertThat(matches("Amount = 12", record("Amount", "12"))).isTrue();
        assertThat(matches("Amount = 12", record("Amount", "twelve"))).isFalse();
        assertThat(matches("Amount = 9007199254740993", record("Amount", 9007199254740993L))).isTrue();
        assertThat(matches("Amount = 9007199254740993", record("Amount", 9007199254740992L))).isFalse();
    }

    @Test
    void booleansCompareWithTrueAndFalse() {
        assertThat(matches("IsActive = true", record("IsActive", true))).isTrue();
        assertThat(matches("IsActive = TRUE", record("IsActive", "true"))).isTrue();
        assertThat(matches("IsActive = false", record("IsActive", true))).isFalse();
        assertThat(matches("IsActive != false", record("IsActive", true))).isTrue();
        assertThat(matches("IsActive = true", record("IsActive", null))).isFalse();
    }

    @Test
    void datesCompareAsDates() {
        assertThat(matches("CloseDate = 2024-05-16", record("CloseDate", "2024-05-16"))).isTrue();
        assertThat(matches("CloseDate = 2024-05-16", record("CloseDate", LocalDate.of(2024, 5, 16)))).isTrue();
        assertThat(matches("CloseDate > 2024-05-16", record("CloseDate", "2024-05-17"))).isTrue();
        assertThat(matches("CloseDate < 2024-05-16", record("CloseDate", "2024-05-17"))).isFalse();
        assertThat(matches("CloseDate = 2024-05-16", record("CloseDate", "not a date"))).isFalse();
    }

    @Test
    void datetimesCompareAsInstantsAcrossOffsetsAndSalesforceFormat() {
        assertThat(matches("CreatedDate = 2024-05-16T12:00:00+02:00",
                record("CreatedDate", "2024-05-16T10:00:00.000+0000"))).isTrue();
        assertThat(matches("CreatedDate > 2024-05-16T09:59:59Z",
                record("CreatedDate", Instant.parse("2024-05-16T10:00:00Z")))).isTrue();
        assertThat(matches("CreatedDate < 2024-05-16T09:59:59Z",
                record("CreatedDate", OffsetDateTime.parse("2024-05-16T10:00:00Z")))).isFalse();
        assertThat(matches("CreatedDate >= 2024-05-16T10:00:00Z",
                record("CreatedDate", "2024-05-16T10:00:00Z"))).isTrue();
    }

    @Test
    void relativeDateLiteralsUseTheClock() {
        assertThat(matches("CreatedDate = TODAY", record("CreatedDate", "2024-05-16T23:59:59Z"))).isTrue();
        assertThat(matches("CreatedDate = TODAY", record("CreatedDate", "2024-05-17T00:00:00Z"))).isFalse();
        assertThat(matches("CreatedDate = YESTERDAY", record("CreatedDate", "2024-05-15"))).isTrue();
        assertThat(matches("CreatedDate < TODAY", record("CreatedDate", "2024-05-15"))).isTrue();
        assertThat(matches("CreatedDate > TODAY", record("CreatedDate", "2024-05-17"))).isTrue();
        assertThat(matches("CreatedDate >= TODAY", record("CreatedDate", "2024-05-16"))).isTrue();
        assertThat(matches("CreatedDate <= TODAY", record("CreatedDate", "2024-05-17"))).isFalse();
        assertThat(matches("CreatedDate = LAST_N_DAYS:2", record("CreatedDate", "2024-05-14"))).isTrue();
        assertThat(matches("CreatedDate = LAST_N_DAYS:2", record("CreatedDate", "2024-05-13"))).isFalse();
        assertThat(matches("CreatedDate = NEXT_N_DAYS:2", record("CreatedDate", "2024-05-16"))).isFalse();
        assertThat(matches("CreatedDate = NEXT_N_DAYS:2", record("CreatedDate", "2024-05-18"))).isTrue();
        assertThat(matches("CreatedDate = N_DAYS_AGO:3", record("CreatedDate", "2024-05-13"))).isTrue();
        // The week of 2024-05-16 runs from Sunday 12 May to Saturday 18 May.
        assertThat(matches("CreatedDate = THIS_WEEK", record("CreatedDate", "2024-05-12"))).isTrue();
        assertThat(matches("CreatedDate = THIS_WEEK", record("CreatedDate", "2024-05-11"))).isFalse();
        assertThat(matches("CreatedDate = LAST_WEEK", record("CreatedDate", "2024-05-11"))).isTrue();
        assertThat(matches("CreatedDate = THIS_MONTH", record("CreatedDate", "2024-05-01"))).isTrue();
        assertThat(matches("CreatedDate = LAST_MONTH", record("CreatedDate", "2024-04-30"))).isTrue();
        assertThat(matches("CreatedDate = THIS_QUARTER", record("CreatedDate", "2024-04-01"))).isTrue();
        assertThat(matches("CreatedDate = LAST_QUARTER", record("CreatedDate", "2024-03-31"))).isTrue();
        assertThat(matches("CreatedDate = THIS_YEAR", record("CreatedDate", "2024-12-31"))).isTrue();
        assertThat(matches("CreatedDate = LAST_N_MONTHS:2", record("CreatedDate", "2024-03-01"))).isTrue();
        assertThat(matches("CreatedDate = LAST_N_MONTHS:2", record("CreatedDate", "2024-05-01"))).isFalse();
        assertThat(matches("CreatedDate = NEXT_YEAR", record("CreatedDate", "2025-06-01"))).isTrue();
    }

    @Test
    void dateFunctionsOnTheLeftReadTheDateParts() {
        Map<String, Object> r = record("CreatedDate", "2024-05-16T10:30:00Z");
        assertThat(matches("CALENDAR_YEAR(CreatedDate) = 2024", r)).isTrue();
        assertThat(matches("CALENDAR_MONTH(CreatedDate) = 5", r)).isTrue();
        assertThat(matches("CALENDAR_QUARTER(CreatedDate) = 2", r)).isTrue();
        assertThat(matches("DAY_IN_MONTH(CreatedDate) = 16", r)).isTrue();
        assertThat(matches("DAY_IN_WEEK(CreatedDate) = 5", r)).isTrue();
        assertThat(matches("HOUR_IN_DAY(CreatedDate) = 10", r)).isTrue();
        assertThat(matches("DAY_ONLY(CreatedDate) = 2024-05-16", r)).isTrue();
    }

    @Test
    void idsCompareFifteenAgainstEighteenCharacters() {
        String id18 = "001D000000IqhSLIAZ";
        String id15 = "001D000000IqhSL";
        assertThat(matches("Id = '" + id15 + "'", record("Id", id18))).isTrue();
        assertThat(matches("AccountId = '" + id18 + "'", record("AccountId", id15))).isTrue();
        assertThat(matches("Id = '001d000000iqhsl'", record("Id", id18))).isFalse();
        assertThat(matches("Id = '001d000000iqhsliaz'", record("Id", id18))).isTrue();
        assertThat(matches("Id IN ('" + id15 + "')", record("Id", id18))).isTrue();
    }

    @Test
    void includesAndExcludesReadMultiSelectPicklists() {
        Map<String, Object> r = record("Tags__c", "Red;Green;Blue");
        assertThat(matches("Tags__c INCLUDES ('green')", r)).isTrue();
        assertThat(matches("Tags__c INCLUDES ('Red;Blue')", r)).isTrue();
        assertThat(matches("Tags__c INCLUDES ('Red;Yellow')", r)).isFalse();
        assertThat(matches("Tags__c INCLUDES ('Red;Yellow', 'Blue')", r)).isTrue();
        assertThat(matches("Tags__c EXCLUDES ('Yellow')", r)).isTrue();
        assertThat(matches("Tags__c EXCLUDES ('Yellow', 'Red')", r)).isFalse();
        assertThat(matches("Tags__c INCLUDES ('Red')", record("Tags__c", null))).isFalse();
        assertThat(matches("Tags__c EXCLUDES ('Red')", record("Tags__c", null))).isTrue();
        assertThat(matches("Tags__c = 'Blue;Green;Red'", r)).isTrue();
        assertThat(matches("Tags__c = 'Blue;Green'", r)).isFalse();
    }

    @Test
    void andOrNotCombine() {
        Map<String, Object> r = record("A", 1, "B", 2);
        assertThat(matches("A = 1 AND B = 2", r)).isTrue();
        assertThat(matches("A = 1 AND B = 3", r)).isFalse();
        assertThat(matches("A = 9 OR B = 2", r)).isTrue();
        assertThat(matches("A = 9 OR B = 9", r)).isFalse();
        assertThat(matches("NOT A = 1", r)).isFalse();
        assertThat(matches("NOT (A = 9 OR B = 9)", r)).isTrue();
        assertThat(matches("(A = 9 OR B = 2) AND (A = 1 OR B = 9)", r)).isTrue();
    }

    @Test
    void qualifiedFieldsAndRelationshipPathsAreRead() {
        Map<String, Object> account = record("Name", "Acme");
        Map<String, Object> contact = record("LastName", "Doe", "Account", account);
        CompiledQuery q = CompiledQuery.compile(
                Soql.parse("SELECT Id FROM Contact c WHERE c.LastName = 'doe' AND Account.Name = 'ACME'"), CLOCK, null);
        assertThat(q.matches(contact)).isTrue();
        assertThat(q.whereFields()).containsExactly("LastName", "Account.Name");
    }

    @Test
    void semiJoinsAskTheResolver() {
        CompiledQuery q = CompiledQuery.compile(
                Soql.parse("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"), CLOCK,
                sub -> {
                    assertThat(sub.sobjectType()).isEqualTo("Contact");
                    return List.of("001D000000IqhSLIAZ");
                });
        assertThat(q.matches(record("Id", "001D000000IqhSL"))).isTrue();
        assertThat(q.matches(record("Id", "001D000000IqhSM"))).isFalse();
        assertThatThrownBy(() -> CompiledQuery.compile(
                Soql.parse("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"), CLOCK, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SemiJoinResolver");
    }

    @Test
    void functionsThatCannotRunOnARecordAreRefusedAtCompileTime() {
        assertThatThrownBy(() -> CompiledQuery.compile("SELECT Id FROM Account WHERE COUNT(Id) > 1"))
                .isInstanceOf(MalformedQueryException.class).hasMessageContaining("cannot be used in WHERE");
        assertThatThrownBy(() -> CompiledQuery.compile("SELECT Id FROM Account WHERE FOO(Name) = 1"))
                .isInstanceOf(MalformedQueryException.class).hasMessageContaining("unknown function 'FOO'");
    }

    @Test
    void projectsTheSelectedFieldsInSelectOrderWithTheRecordsSpelling() {
        CompiledQuery q = CompiledQuery.compile("SELECT id, LASTNAME, Company, Email FROM Lead");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Company", "Acme");
        r.put("LastName", "Doe");
        r.put("Id", "00Q000000000001AAA");
        r.put("Phone", "555");
        Map<String, Object> projected = q.project(r);
        assertThat(projected.keySet()).containsExactly("Id", "LastName", "Company", "Email");
        assertThat(projected).containsEntry("Email", null).doesNotContainKey("Phone");
    }

    @Test
    void projectsRelationshipPathsAsNestedRecords() {
        CompiledQuery q = CompiledQuery.compile("SELECT Id, Account.Name FROM Contact");
        Map<String, Object> projected = q.project(record("Id", "003", "Account", record("Name", "Acme", "X", 1)));
        assertThat(projected).containsEntry("Account", Map.of("Name", "Acme"));
    }

    @Test
    void reportsSelectAndWhereFieldsForNotifyForFields() {
        CompiledQuery q = CompiledQuery.compile(
                "SELECT Id, Name, Lead.Company FROM Lead WHERE Status = 'Open' AND (Rating = 'Hot' OR Status = 'New')");
        assertThat(q.selectFields()).containsExactly("Id", "Name", "Company");
        assertThat(q.whereFields()).containsExactly("Status", "Rating");
        assertThat(q.selectsAnyOf(List.of("company"))).isTrue();
        assertThat(q.selectsAnyOf(List.of("Status"))).isFalse();
        assertThat(q.filtersOnAnyOf(List.of("RATING"))).isTrue();
        assertThat(q.filtersOnAnyOf(List.of("Name"))).isFalse();
    }
}
