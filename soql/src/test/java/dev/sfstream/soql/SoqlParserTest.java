package dev.sfstream.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.DateFunction;
import dev.sfstream.soql.ast.Literal;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.Operator;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoqlParserTest {

    @Test
    void parsesTheSeedPushTopicQuery() {
        SelectStatement s = Soql.parse("SELECT Id, FirstName, LastName, Company FROM Lead");
        assertThat(s.sobjectType()).isEqualTo("Lead");
        assertThat(s.select()).extracting(i -> ((SelectItem.Field) i).path().text())
                .containsExactly("Id", "FirstName", "LastName", "Company");
        assertThat(s.where()).isNull();
    }

    @Test
    void keywordsAreCaseInsensitive() {
        SelectStatement s = Soql.parse("select id from Account wHeRe name = 'x' oRdEr By name DeSc nUlLs LaSt limit 5");
        assertThat(s.sobjectType()).isEqualTo("Account");
        assertThat(s.orderBy()).singleElement().satisfies(o -> {
            assertThat(o.descending()).isTrue();
            assertThat(o.nullsFirst()).isFalse();
        });
        assertThat(s.limit()).isEqualTo(5);
    }

    @Test
    void buildsAndOrNotTreesWithParentheses() {
        SelectStatement s = Soql.parse(
                "SELECT Id FROM Contact WHERE (A__c = 1 OR B__c = 2) AND NOT (C__c = 3 AND D__c = 4)");
        Condition.And and = (Condition.And) s.where();
        assertThat(and.parts()).hasSize(2);
        assertThat(and.parts().get(0)).isInstanceOf(Condition.Or.class);
        Condition.Not not = (Condition.Not) and.parts().get(1);
        assertThat(not.part()).isInstanceOf(Condition.And.class);
    }

    @Test
    void readsEveryComparisonOperator() {
        String[] ops = {"=", "!=", "<>", "<", "<=", ">", ">="};
        Operator[] expected = {Operator.EQUALS, Operator.NOT_EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN,
            Operator.LESS_OR_EQUAL, Operator.GREATER_THAN, Operator.GREATER_OR_EQUAL};
        for (int i = 0; i < ops.length; i++) {
            Condition.Comparison c = (Condition.Comparison)
                    Soql.parse("SELECT Id FROM Account WHERE NumberOfEmployees " + ops[i] + " 10").where();
            assertThat(c.operator()).as(ops[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void literalValuesAreTyped() {
        Condition.Or or = (Condition.Or) Soql.parse("SELECT Id FROM Opportunity WHERE A = 'it\\'s' OR B = -12 OR "
                + "C = 3.50 OR D = true OR F = null OR G = 2024-02-29 OR H = 2024-02-29T10:15:30.123+02:00 OR "
                + "I = TODAY OR J = LAST_N_DAYS:30 OR K = 2024-01-01T00:00:00-0500").where();
        assertThat(value(or, 0)).isEqualTo(new Literal.StringValue("it's", "it\\'s"));
        assertThat(value(or, 1)).isEqualTo(new Literal.NumberValue(new BigDecimal("-12")));
        assertThat(value(or, 2)).isEqualTo(new Literal.NumberValue(new BigDecimal("3.50")));
        assertThat(value(or, 3)).isEqualTo(new Literal.BooleanValue(true));
        assertThat(value(or, 4)).isEqualTo(new Literal.NullValue());
        assertThat(value(or, 5)).isEqualTo(new Literal.DateValue(LocalDate.of(2024, 2, 29)));
        assertThat(value(or, 6)).isEqualTo(
                new Literal.DateTimeValue(OffsetDateTime.parse("2024-02-29T10:15:30.123+02:00")));
        assertThat(value(or, 7)).isEqualTo(new Literal.RelativeDate(DateFunction.TODAY, 0));
        assertThat(value(or, 8)).isEqualTo(new Literal.RelativeDate(DateFunction.LAST_N_DAYS, 30));
        assertThat(value(or, 9)).isEqualTo(
                new Literal.DateTimeValue(OffsetDateTime.parse("2024-01-01T00:00:00-05:00")));
    }

    private static Literal value(Condition.Or or, int i) {
        return ((Condition.Comparison) or.parts().get(i)).value();
    }

    @Test
    void resolvesStringEscapes() {
        Condition.Comparison c = (Condition.Comparison) Soql.parse(
                "SELECT Id FROM Account WHERE Name = 'a\\nb\\tc\\\\d\\\"e\\u0041\\_\\%'").where();
        assertThat(((Literal.StringValue) c.value()).value()).isEqualTo("a\nb\tc\\d\"eA_%");
    }

    @Test
    void parsesInNotInIncludesExcludesAndSemiJoins() {
        Condition.And and = (Condition.And) Soql.parse("SELECT Id FROM Account WHERE Industry IN ('A', 'B') AND "
                + "Type NOT IN ('C') AND Tags__c INCLUDES ('x;y', 'z') AND Tags__c EXCLUDES ('q') AND "
                + "Id IN (SELECT AccountId FROM Contact WHERE Title = 'CEO') AND Id NOT IN (SELECT AccountId FROM Case)")
                .where();
        assertThat(and.parts().get(0)).isInstanceOfSatisfying(Condition.In.class, in -> {
            assertThat(in.negated()).isFalse();
            assertThat(in.values()).hasSize(2);
        });
        assertThat(and.parts().get(1)).isInstanceOfSatisfying(Condition.In.class, in -> assertThat(in.negated()).isTrue());
        assertThat(and.parts().get(2)).isInstanceOfSatisfying(Condition.Includes.class,
                inc -> assertThat(inc.excludes()).isFalse());
        assertThat(and.parts().get(3)).isInstanceOfSatisfying(Condition.Includes.class,
                inc -> assertThat(inc.excludes()).isTrue());
        assertThat(and.parts().get(4)).isInstanceOfSatisfying(Condition.SemiJoin.class, j -> {
            assertThat(j.negated()).isFalse();
            assertThat(j.query().sobjectType()).isEqualTo("Contact");
        });
        assertThat(and.parts().get(5)).isInstanceOfSatisfying(Condition.SemiJoin.class,
                j -> assertThat(j.negated()).isTrue());
    }

    @Test
    void parsesAggregatesTypeofSubSelectsAndClauses() {
        SelectStatement s = Soql.parse("SELECT Id, COUNT(Name) cnt, AVG(Amount), COUNT(), toLabel(Status), "
                + "TYPEOF What WHEN Account THEN Phone, Name WHEN Opportunity THEN Amount ELSE Name END, "
                + "(SELECT Id FROM Contacts), Account.Owner.Name FROM Account a USING SCOPE Mine WHERE a.Name != null "
                + "WITH SECURITY_ENFORCED GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY Name ASC NULLS FIRST "
                + "LIMIT 10 OFFSET 5 FOR VIEW, REFERENCE");
        assertThat(s.select()).hasSize(8);
        assertThat(s.select().get(1)).isInstanceOfSatisfying(SelectItem.Function.class, f -> {
            assertThat(f.isAggregate()).isTrue();
            assertThat(f.alias()).isEqualTo("cnt");
        });
        assertThat(s.select().get(3)).isInstanceOfSatisfying(SelectItem.Function.class,
                f -> assertThat(f.arguments()).isEmpty());
        assertThat(s.select().get(4)).isInstanceOfSatisfying(SelectItem.Function.class,
                f -> assertThat(f.isAggregate()).isFalse());
        assertThat(s.select().get(5)).isInstanceOfSatisfying(SelectItem.TypeOf.class, t -> {
            assertThat(t.whens()).hasSize(2);
            assertThat(t.elseFields()).hasSize(1);
        });
        assertThat(s.select().get(6)).isInstanceOf(SelectItem.Subquery.class);
        assertThat(s.alias()).isEqualTo("a");
        assertThat(s.usingScope()).isEqualTo("Mine");
        assertThat(s.with()).isEqualTo("SECURITY_ENFORCED");
        assertThat(s.groupBy()).hasSize(1);
        assertThat(s.having()).isInstanceOfSatisfying(Condition.Comparison.class,
                c -> assertThat(c.operand()).isInstanceOf(Operand.Function.class));
        assertThat(s.offset()).isEqualTo(5);
        assertThat(s.forOptions()).containsExactly("VIEW", "REFERENCE");
    }

    @Test
    void reportsLineColumnTokenAndWhatWasExpected() {
        MalformedQueryException e = catchThrowableOfType(MalformedQueryException.class,
                () -> Soql.parse("SELECT Id, Name\nFORM Account"));
        assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.token()).isEqualTo("FORM");
        assertThat(e.expected()).isEqualTo("',' or FROM");
        assertThat(e.getMessage()).isEqualTo(
                "MALFORMED_QUERY: unexpected token: 'FORM' at line 2, column 1; expected ',' or FROM");
        assertThat(e.salesforceMessage()).isEqualTo("\nFORM Account\n^\nERROR at Row:2:Column:1\nunexpected token: 'FORM'");
    }

    @Test
    void refusesMixingAndWithOrWithoutParentheses() {
        assertThatThrownBy(() -> Soql.parse("SELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3"))
                .isInstanceOf(MalformedQueryException.class)
                .hasMessageContaining("unexpected token: 'OR'")
                .hasMessageContaining("parentheses");
    }

    @Test
    void capsNestingDepthInsteadOfOverflowingTheStack() {
        String deep = "SELECT Id FROM A WHERE " + "(".repeat(10_000) + "X = 1" + ")".repeat(10_000);
        assertThatThrownBy(() -> Soql.parse(deep)).isInstanceOf(MalformedQueryException.class)
                .hasMessageContaining("nested too deeply");
        String nots = "SELECT Id FROM A WHERE " + "NOT ".repeat(10_000) + "X = 1";
        assertThatThrownBy(() -> Soql.parse(nots)).isInstanceOf(MalformedQueryException.class)
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void refusesStatementsLongerThanSalesforcesLimit() {
        String huge = "SELECT Id FROM A WHERE Name IN (" + "'x',".repeat(30_000) + "'y')";
        assertThatThrownBy(() -> Soql.parse(huge)).isInstanceOf(MalformedQueryException.class)
                .hasMessageContaining("longer than 100000 characters");
    }

    static Stream<String> validQueries() {
        return Stream.of(
                "SELECT Id FROM Account",
                "SELECT Id, Name FROM Account",
                "select Id from account",
                "SELECT Id FROM Invoice_Statement__c",
                "SELECT Id, ns__Field__c FROM ns__Object__c",
                "SELECT Id FROM Account WHERE Name = 'Acme'",
                "SELECT Id FROM Account WHERE Name != 'Acme'",
                "SELECT Id FROM Account WHERE Name <> 'Acme'",
                "SELECT Id FROM Account WHERE NumberOfEmployees > 10",
                "SELECT Id FROM Account WHERE NumberOfEmployees >= 10",
                "SELECT Id FROM Account WHERE NumberOfEmployees < 10",
                "SELECT Id FROM Account WHERE NumberOfEmployees <= 10",
                "SELECT Id FROM Account WHERE AnnualRevenue > 1000000.50",
                "SELECT Id FROM Account WHERE AnnualRevenue > -5",
                "SELECT Id FROM Account WHERE AnnualRevenue > +5",
                "SELECT Id FROM Account WHERE Name LIKE 'Ac%'",
                "SELECT Id FROM Account WHERE Name LIKE 'A_me'",
                "SELECT Id FROM Account WHERE Name LIKE '100\\%'",
                "SELECT Id FROM Account WHERE Industry IN ('Energy', 'Banking')",
                "SELECT Id FROM Account WHERE Industry NOT IN ('Energy')",
                "SELECT Id FROM Account WHERE Industry = null",
                "SELECT Id FROM Account WHERE Industry != NULL",
                "SELECT Id FROM Account WHERE IsDeleted = false",
                "SELECT Id FROM Account WHERE IsDeleted = TRUE",
                "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:00Z",
                "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:00.000Z",
                "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:00+01:00",
                "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:00-0800",
                "SELECT Id FROM Contact WHERE Birthdate = 1990-05-17",
                "SELECT Id FROM Account WHERE CreatedDate = TODAY",
                "SELECT Id FROM Account WHERE CreatedDate = YESTERDAY",
                "SELECT Id FROM Account WHERE CreatedDate = TOMORROW",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_WEEK",
                "SELECT Id FROM Account WHERE CreatedDate = THIS_WEEK",
                "SELECT Id FROM Account WHERE CreatedDate = NEXT_WEEK",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_MONTH",
                "SELECT Id FROM Account WHERE CreatedDate = THIS_MONTH",
                "SELECT Id FROM Account WHERE CreatedDate = NEXT_MONTH",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_90_DAYS",
                "SELECT Id FROM Account WHERE CreatedDate = NEXT_90_DAYS",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:365",
                "SELECT Id FROM Account WHERE CreatedDate = NEXT_N_DAYS:7",
                "SELECT Id FROM Account WHERE CreatedDate = N_DAYS_AGO:3",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_N_WEEKS:2",
                "SELECT Id FROM Account WHERE CreatedDate = NEXT_N_MONTHS:6",
                "SELECT Id FROM Account WHERE CreatedDate = THIS_QUARTER",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_N_QUARTERS:2",
                "SELECT Id FROM Account WHERE CreatedDate = THIS_YEAR",
                "SELECT Id FROM Account WHERE CreatedDate = N_YEARS_AGO:2",
                "SELECT Id FROM Account WHERE CreatedDate = THIS_FISCAL_YEAR",
                "SELECT Id FROM Account WHERE CreatedDate = LAST_N_FISCAL_QUARTERS:3",
                "SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024",
                "SELECT Id FROM Account WHERE DAY_ONLY(CreatedDate) = 2024-01-01",
                "SELECT Id FROM Account WHERE HOUR_IN_DAY(convertTimezone(CreatedDate)) > 12",
                "SELECT Id FROM Account WHERE Name = 'a' AND Industry = 'b' AND Type = 'c'",
                "SELECT Id FROM Account WHERE Name = 'a' OR Industry = 'b' OR Type = 'c'",
                "SELECT Id FROM Account WHERE (Name = 'a' OR Industry = 'b') AND Type = 'c'",
                "SELECT Id FROM Account WHERE Name = 'a' AND (Industry = 'b' OR Type = 'c')",
                "SELECT Id FROM Account WHERE ((Name = 'a'))",
                "SELECT Id FROM Account WHERE NOT Name = 'a'",
                "SELECT Id FROM Account WHERE NOT (Name = 'a' OR Name = 'b')",
                "SELECT Id FROM Account WHERE Tags__c INCLUDES ('a;b', 'c')",
                "SELECT Id FROM Account WHERE Tags__c EXCLUDES ('a')",
                "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)",
                "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact WHERE Title = 'CEO')",
                "SELECT Id, Account.Name FROM Contact",
                "SELECT Id, Contact.Account.Name FROM Contact",
                "SELECT c.Id, c.Name FROM Contact c",
                "SELECT Id FROM Contact c WHERE c.LastName = 'x'",
                "SELECT Id, (SELECT Id, Name FROM Contacts) FROM Account",
                "SELECT Id, (SELECT Id FROM Contacts WHERE Email != null) FROM Account",
                "SELECT COUNT() FROM Account",
                "SELECT COUNT(Id) FROM Account",
                "SELECT COUNT_DISTINCT(Industry) FROM Account",
                "SELECT Industry, COUNT(Id) total FROM Account GROUP BY Industry",
                "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 2",
                "SELECT MAX(Amount), MIN(Amount), SUM(Amount), AVG(Amount) FROM Opportunity",
                "SELECT Id, toLabel(Status) FROM Case",
                "SELECT FORMAT(Amount) FROM Opportunity",
                "SELECT Id, FORMAT(convertCurrency(Amount)) FROM Opportunity",
                "SELECT FIELDS(STANDARD) FROM Account LIMIT 200",
                "SELECT Id, TYPEOF What WHEN Account THEN Phone ELSE Name END FROM Event",
                "SELECT Id FROM Account ORDER BY Name",
                "SELECT Id FROM Account ORDER BY Name DESC, CreatedDate ASC NULLS LAST",
                "SELECT Id FROM Account LIMIT 10",
                "SELECT Id FROM Account LIMIT 10 OFFSET 20",
                "SELECT Id FROM Account OFFSET 20",
                "SELECT Id FROM Account USING SCOPE Mine",
                "SELECT Id FROM Account WITH SECURITY_ENFORCED",
                "SELECT Id FROM Account FOR UPDATE",
                "SELECT Id FROM Account LIMIT 1 FOR VIEW",
                "SELECT Id,Name FROM Account WHERE Name='x'",
                "  SELECT\n  Id\n FROM\n  Account\n  WHERE\n Name = 'multi\nline'  ",
                "SELECT Id FROM Account WHERE Name = '\\u00e9t\\u00e9'",
                "SELECT Id FROM Account WHERE Name = ''",
                "SELECT Id FROM Account WHERE Name IN ('')",
                "SELECT Id FROM Account WHERE AnnualRevenue IN (1, 2.5, -3)",
                "SELECT Id FROM Account WHERE CreatedDate IN (2024-01-01, 2024-01-02)",
                "SELECT Name, Id FROM PushTopic WHERE Name = 'LeadCreation'",
                "SELECT Id FROM RecordType WHERE SobjectType = 'Contact' AND DeveloperName = 'Student'",
                "SELECT Name, Id FROM StreamingChannel",
                "SELECT Id FROM Account WHERE Name = 'it\\'s'");
    }

    @ParameterizedTest
    @MethodSource("validQueries")
    void parsesValidSoql(String soql) {
        assertThat(Soql.parse(soql)).isNotNull();
    }

    static Stream<Arguments> malformedQueries() {
        return Stream.of(
                Arguments.of("", "empty query", 1, 1),
                Arguments.of("   \n  ", "empty query", 1, 1),
                Arguments.of("SELEC Id FROM Account", "unexpected token: 'SELEC'", 1, 1),
                Arguments.of("SELECT FROM Account", "unexpected token: 'FROM'", 1, 8),
                Arguments.of("SELECT Id Account", "unexpected token: 'Account'", 1, 11),
                Arguments.of("SELECT Id FROM", "unexpected token: <EOF>", 1, 15),
                Arguments.of("SELECT Id, FROM Account", "unexpected token: 'FROM'", 1, 12),
                Arguments.of("SELECT Id FROM Account WHERE", "unexpected token: <EOF>", 1, 29),
                Arguments.of("SELECT Id FROM Account WHERE Name", "unexpected token: <EOF>", 1, 34),
                Arguments.of("SELECT Id FROM Account WHERE Name =", "unexpected token: <EOF>", 1, 36),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'x", "unterminated string literal", 1, 37),
                Arguments.of("SELECT Id FROM Account WHERE Name = \"x\"", "no viable alternative at character '\"'", 1, 37),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'a\\qb'", "invalid escape sequence '\\q' in string literal", 1, 39),
                Arguments.of("SELECT Id FROM Account WHERE (Name = 'x'", "unexpected token: <EOF>", 1, 41),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'x')", "unexpected token: ')'", 1, 40),
                Arguments.of("SELECT Id FROM Account WHERE Name IN 'x'", "unexpected token: ''x''", 1, 38),
                Arguments.of("SELECT Id FROM Account WHERE Name IN ()", "unexpected token: ')'", 1, 39),
                Arguments.of("SELECT Id FROM Account WHERE Name IN ('a',)", "unexpected token: ')'", 1, 43),
                Arguments.of("SELECT Id FROM Account WHERE Name NOT 'x'", "unexpected token: ''x''", 1, 39),
                Arguments.of("SELECT Id FROM Account WHERE Name LIKE 5", "unexpected token: '5'", 1, 40),
                Arguments.of("SELECT Id FROM Account WHERE Name == 'x'", "unexpected token: '='", 1, 36),
                Arguments.of("SELECT Id FROM Account WHERE Name ! 'x'", "no viable alternative at character '!'", 1, 35),
                Arguments.of("SELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3", "unexpected token: 'OR'", 1, 46),
                Arguments.of("SELECT Id FROM Account WHERE A = 1 OR B = 2 AND C = 3", "unexpected token: 'AND'", 1, 45),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS", "unexpected token: <EOF>", 1, 55),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:x", "unexpected token: 'x'", 1, 56),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate = 2024-13-01", "invalid date '2024-13-01'", 1, 44),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate = 2024-02-30", "invalid date '2024-02-30'", 1, 44),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T25:00:00Z", "invalid datetime '2024-01-01T25:00:00Z'", 1, 44),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T10:00:00", "invalid datetime literal '2024-01-01T10:00:00'", 1, 44),
                Arguments.of("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T10", "invalid datetime literal '2024-01-01T1'", 1, 44),
                Arguments.of("SELECT Id FROM Account WHERE Amount > 12abc", "invalid number '12abc'", 1, 39),
                Arguments.of("SELECT Id FROM Account WHERE Name = Acme", "unexpected token: 'Acme'", 1, 37),
                Arguments.of("SELECT Id FROM Account LIMIT", "unexpected token: <EOF>", 1, 29),
                Arguments.of("SELECT Id FROM Account LIMIT -1", "unexpected token: '-'", 1, 30),
                Arguments.of("SELECT Id FROM Account LIMIT 99999999999", "number too large: '99999999999'", 1, 30),
                Arguments.of("SELECT Id FROM Account ORDER Name", "unexpected token: 'Name'", 1, 30),
                Arguments.of("SELECT Id FROM Account GROUP Industry", "unexpected token: 'Industry'", 1, 30),
                Arguments.of("SELECT Id FROM Account, Contact", "unexpected token: ','", 1, 23),
                Arguments.of("SELECT Id FROM Account.Contacts", "unexpected token: '.'", 1, 23),
                Arguments.of("SELECT Id FROM Account extra words", "unexpected token: 'words'", 1, 30),
                Arguments.of("SELECT Id FROM Account FOR NOTHING", "unexpected token: 'NOTHING'", 1, 28),
                Arguments.of("SELECT Id FROM Account ORDER BY Name NULLS MIDDLE", "unexpected token: 'MIDDLE'", 1, 44),
                Arguments.of("SELECT Id, (Id FROM Contacts) FROM Account", "unexpected token: 'Id'", 1, 13),
                Arguments.of("SELECT Id, (SELECT Id FROM Contacts FROM Account", "unexpected token: 'FROM'", 1, 37),
                Arguments.of("SELECT COUNT(Id FROM Account", "unexpected token: 'FROM'", 1, 17),
                Arguments.of("SELECT Id, TYPEOF What END FROM Event", "unexpected token: 'END'", 1, 24),
                Arguments.of("SELECT Id. FROM Account", "unexpected token: 'FROM'", 1, 12),
                Arguments.of("SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Contact", "unexpected token: <EOF>", 1, 59),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'x' garbage", "unexpected token: 'garbage'", 1, 41),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'x' WHERE Name = 'y'", "unexpected token: 'WHERE'", 1, 41),
                Arguments.of("SELECT Id FROM Account\u0000", "no viable alternative at character '\\u0000'", 1, 23),
                Arguments.of("SELECT Id FROM Account WHERE Name = 'x' ;", "no viable alternative at character ';'", 1, 41),
                Arguments.of("SELECT * FROM Account", "no viable alternative at character '*'", 1, 8),
                Arguments.of("SELECT Id FROM Account WHERE Name = :bind", "unexpected token: ':'", 1, 37),
                Arguments.of("UPDATE Account SET Name = 'x'", "unexpected token: 'UPDATE'", 1, 1),
                Arguments.of("SELECT Id FROM WHERE", "unexpected token: 'WHERE'", 1, 16));
    }

    @ParameterizedTest
    @MethodSource("malformedQueries")
    void refusesMalformedSoqlWithPosition(String soql, String problem, int line, int column) {
        MalformedQueryException e = catchThrowableOfType(MalformedQueryException.class, () -> Soql.parse(soql));
        assertThat(e).as("error for %s", soql).isNotNull();
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.line()).as("line").isEqualTo(line);
        assertThat(e.column()).as("column").isEqualTo(column);
        assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
    }
}
