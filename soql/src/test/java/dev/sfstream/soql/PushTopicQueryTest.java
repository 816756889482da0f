package dev.sfstream.soql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PushTopicQueryTest {

    /** Every unsupported example of Salesforce's "Unsupported PushTopic Queries" page, with its exact text. */
    static Stream<Arguments> documentedRefusals() {
        return Stream.of(
                Arguments.of("SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Title = 'CEO')",
                        "INVALID_FIELD, semi/anti join sub-selects are not supported"),
                Arguments.of("SELECT Id, AVG(AnnualRevenue) FROM Account",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, Industry, Count(Name) FROM Account",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, Name FROM Contact LIMIT 1",
                        "INVALID_FIELD, 'LIMIT' is not allowed"),
                Arguments.of("SELECT Id, Name FROM Contact LIMIT 10",
                        "INVALID_FIELD, 'LIMIT' is not allowed"),
                Arguments.of("SELECT Id, Contact.Account.Name FROM Contact",
                        "INVALID_FIELD, relationships are not supported"),
                Arguments.of("SELECT Id, Name FROM Account ORDER BY Name",
                        "INVALID_FIELD, 'ORDER BY' clause is not allowed"),
                Arguments.of("SELECT Id, AccountId FROM Contact GROUP BY AccountId",
                        "INVALID_FIELD, 'Aggregate queries are not supported'"),
                Arguments.of("SELECT Id FROM Account WHERE NOT Name = 'Salesforce.com'",
                        "INVALID_FIELD, 'NOT' is not supported"),
                Arguments.of("SELECT Id, Name FROM Account OFFSET 10",
                        "INVALID_FIELD, 'OFFSET' clause is not allowed"),
                Arguments.of("SELECT Id, TYPEOF What WHEN Account THEN Phone END FROM Task",
                        "INVALID_FIELD, 'TYPEOF' clause is not allowed"),
                Arguments.of("SELECT Name FROM Account",
                        "INVALID_FIELD, The SELECT clause of a PushTopic query must include Id"),
                Arguments.of("SELECT Id, MAX(Amount) FROM Opportunity",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, MIN(Amount) FROM Opportunity",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, SUM(Amount) FROM Opportunity",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, COUNT_DISTINCT(Industry) FROM Account",
                        "INVALID_FIELD, Aggregate queries are not supported"),
                Arguments.of("SELECT Id, Account.Name FROM Contact",
                        "INVALID_FIELD, relationships are not supported"),
                Arguments.of("SELECT Id FROM Contact WHERE Account.Name = 'Acme'",
                        "INVALID_FIELD, relationships are not supported"),
                Arguments.of("SELECT Id, (SELECT Id FROM Contacts) FROM Account",
                        "INVALID_FIELD, relationships are not supported"),
                Arguments.of("SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)",
                        "INVALID_FIELD, semi/anti join sub-selects are not supported"),
                Arguments.of("SELECT Id FROM Account WHERE NOT (Name = 'a' OR Name = 'b')",
                        "INVALID_FIELD, 'NOT' is not supported"),
                Arguments.of("SELECT Id, Name FROM Account USING SCOPE Mine",
                        "INVALID_FIELD, 'USING SCOPE' clause is not allowed"),
                Arguments.of("SELECT Id, Name FROM Account WITH SECURITY_ENFORCED",
                        "INVALID_FIELD, 'WITH' clause is not allowed"),
                Arguments.of("SELECT Id, Name FROM Account FOR VIEW",
                        "INVALID_FIELD, 'FOR' clause is not allowed"),
                Arguments.of("SELECT Id, toLabel(Status) FROM Case",
                        "INVALID_FIELD, 'TOLABEL()' is not supported"),
                Arguments.of("SELECT Id, Name FROM Account WHERE SELECT",
                        "MALFORMED_QUERY, unexpected token: 'SELECT' at Row:1:Column:36"));
    }

    @ParameterizedTest
    @MethodSource("documentedRefusals")
    void refusesWithSalesforcesText(String soql, String expected) {
        assertThat(PushTopicQuery.check(soql, NotifyForFields.REFERENCED)).map(RuleViolation::toString)
                .containsExactly(expected);
    }

    static Stream<String> acceptedQueries() {
        return Stream.of(
                "SELECT Id, FirstName, LastName, Company FROM Lead",
                "SELECT Id, Name, Status__c FROM Invoice_Statement__c",
                "SELECT Id, Name FROM Account WHERE Industry = 'Energy'",
                "SELECT Id, Name FROM Account WHERE Industry IN ('Energy', 'Banking')",
                "SELECT Id, Name FROM Account WHERE Industry NOT IN ('Energy')",
                "SELECT Id, Name FROM Account WHERE Name != 'Salesforce.com'",
                "SELECT Id, Name FROM Account WHERE Name LIKE 'Acme%'",
                "SELECT Id, AccountId FROM Contact",
                "SELECT Id, Name FROM Account WHERE (Industry = 'A' OR Industry = 'B') AND NumberOfEmployees > 5",
                "SELECT Contact.Id, Contact.Name FROM Contact",
                "SELECT c.Id, c.Email FROM Contact c WHERE c.Email != null",
                "select id, name from account",
                "SELECT Id, LastModifiedById, LastModifiedDate FROM Contact WHERE RecordTypeId = '012000000000001AAA'",
                "SELECT Id, Subject FROM Task",
                "SELECT Id, Subject FROM Case WHERE CreatedDate = LAST_N_DAYS:3",
                "SELECT Id, Tags__c FROM Account WHERE Tags__c INCLUDES ('a;b')");
    }

    @ParameterizedTest
    @MethodSource("acceptedQueries")
    void acceptsSupportedQueries(String soql) {
        assertThat(PushTopicQuery.check(soql, NotifyForFields.REFERENCED)).isEmpty();
        assertThat(PushTopicQuery.check(soql, NotifyForFields.ALL)).isEmpty();
    }

    @Test
    void reportsEveryViolationInClauseOrder() {
        assertThat(PushTopicQuery.check(
                "SELECT Name, COUNT(Id), Account.Name FROM Contact WHERE NOT Title = 'x' GROUP BY Name "
                        + "ORDER BY Name LIMIT 5 OFFSET 2", NotifyForFields.REFERENCED))
                .map(RuleViolation::message)
                .containsExactly(
                        "Aggregate queries are not supported",
                        "relationships are not supported",
                        "The SELECT clause of a PushTopic query must include Id",
                        "'NOT' is not supported",
                        "'Aggregate queries are not supported'",
                        "'ORDER BY' clause is not allowed",
                        "'LIMIT' is not allowed",
                        "'OFFSET' clause is not allowed");
    }

    @Test
    void refusesQueriesLongerThan1300CharactersWithTheFieldLengthError() {
        String soql = "SELECT Id, Name FROM Account WHERE Name IN (" + "'abcdefghij',".repeat(120) + "'z')";
        assertThat(soql.length()).isGreaterThan(1300);
        List<RuleViolation> violations = PushTopicQuery.check(soql, NotifyForFields.REFERENCED);
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.errorCode()).isEqualTo("STRING_TOO_LONG");
            assertThat(v.message()).isEqualTo("Query: data value too large: " + soql + " (max length=1300)");
            assertThat(v.fields()).containsExactly("Query");
        });
        String exactly1300 = "SELECT Id, Name FROM Account WHERE Name = '" + "x".repeat(1300 - 44) + "'";
        assertThat(exactly1300).hasSize(1300);
        assertThat(PushTopicQuery.check(exactly1300, NotifyForFields.REFERENCED)).isEmpty();
    }

    @Test
    void selectModeNeedsANonIdSelectField() {
        assertThat(PushTopicQuery.check("SELECT Id FROM Account WHERE Name = 'x'", NotifyForFields.SELECT))
                .map(RuleViolation::toString).containsExactly(
                        "INVALID_FIELD, NotifyForFields 'Select' requires at least one field other than Id in the "
                                + "SELECT clause");
        assertThat(PushTopicQuery.check("SELECT Id, Name FROM Account", NotifyForFields.SELECT)).isEmpty();
    }

    @Test
    void whereModeNeedsANonIdWhereField() {
        assertThat(PushTopicQuery.check("SELECT Id, Name FROM Account", NotifyForFields.WHERE))
                .map(RuleViolation::toString).containsExactly(
                        "INVALID_FIELD, NotifyForFields 'Where' requires a WHERE clause on at least one field other "
                                + "than Id");
        assertThat(PushTopicQuery.check("SELECT Id, Name FROM Account WHERE Id = '001000000000001'",
                NotifyForFields.WHERE)).hasSize(1);
        assertThat(PushTopicQuery.check("SELECT Id FROM Account WHERE Name = 'x'", NotifyForFields.WHERE)).isEmpty();
    }

    @Test
    void referencedModeNeedsANonIdFieldInSelectOrWhere() {
        assertThat(PushTopicQuery.check("SELECT Id FROM Account", NotifyForFields.REFERENCED))
                .map(RuleViolation::toString).containsExactly(
                        "INVALID_FIELD, NotifyForFields 'Referenced' requires at least one field other than Id in "
                                + "the SELECT or WHERE clause");
        assertThat(PushTopicQuery.check("SELECT Id FROM Account", null)).hasSize(1);
        assertThat(PushTopicQuery.check("SELECT Id FROM Account WHERE Name = 'x'", NotifyForFields.REFERENCED))
                .isEmpty();
        assertThat(PushTopicQuery.check("SELECT Id, Name FROM Account", NotifyForFields.REFERENCED)).isEmpty();
    }

    @Test
    void allModeAcceptsIdAlone() {
        assertThat(PushTopicQuery.check("SELECT Id FROM Account", NotifyForFields.ALL)).isEmpty();
    }

    @Test
    void aMalformedQueryIsOneViolationWithItsPosition() {
        assertThat(PushTopicQuery.check("SELECT Id, Name FORM Account", NotifyForFields.ALL))
                .singleElement().satisfies(v -> {
                    assertThat(v.errorCode()).isEqualTo("MALFORMED_QUERY");
                    assertThat(v.message()).isEqualTo("unexpected token: 'FORM' at Row:1:Column:17");
                });
        assertThat(PushTopicQuery.check(null, NotifyForFields.ALL)).map(RuleViolation::errorCode)
                .containsExactly("MALFORMED_QUERY");
    }

    @Test
    void checksTheWholePushTopicRecord() {
        assertThat(PushTopicRules.check("LeadCreation", "SELECT Id, FirstName FROM Lead", 64.0, null,
                NotifyForFields.REFERENCED)).isEmpty();
        assertThat(PushTopicRules.check(null, null, null, null, null)).singleElement()
                .hasToString("REQUIRED_FIELD_MISSING, Required fields are missing: [Name, Query, ApiVersion]");
        assertThat(PushTopicRules.check("ThisNameIsLongerThan25Chars", "SELECT Id, Name FROM Lead", 64.0, null, null))
                .map(RuleViolation::toString)
                .containsExactly("STRING_TOO_LONG, Name: data value too large: ThisNameIsLongerThan25Chars "
                        + "(max length=25)");
        assertThat(PushTopicRules.check("Exactly25CharactersLong__", "SELECT Id, Name FROM Lead", 64.0, null, null))
                .isEmpty();
        assertThat(PushTopicRules.check("Bad/Name", "SELECT Id, Name FROM Lead", 64.0, null, null))
                .map(RuleViolation::errorCode).containsExactly("FIELD_INTEGRITY_EXCEPTION");
        assertThat(PushTopicRules.check("Old", "SELECT Id, Name FROM Lead", 20.0, null, null))
                .map(RuleViolation::toString)
                .containsExactly("FIELD_INTEGRITY_EXCEPTION, ApiVersion: the API version must be greater than 20.0: 20.0");
        assertThat(PushTopicRules.check("Desc", "SELECT Id, Name FROM Lead", 64.0, "d".repeat(401), null))
                .map(RuleViolation::errorCode).containsExactly("STRING_TOO_LONG");
        assertThat(PushTopicRules.check("Q", "SELECT Id FROM Lead LIMIT 1", 64.0, null, NotifyForFields.ALL))
                .map(RuleViolation::toString).containsExactly("INVALID_FIELD, 'LIMIT' is not allowed");
    }
}
