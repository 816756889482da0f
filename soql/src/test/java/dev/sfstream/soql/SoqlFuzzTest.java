package dev.sfstream.soql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the input, parsing and checking end in a result or a {@link MalformedQueryException}, never in
 * another exception. Fixed seeds, so a failure reproduces.
 */
class SoqlFuzzTest {
    private static final String[] TOKENS = {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "INCLUDES", "EXCLUDES", "GROUP", "BY",
        "ORDER", "LIMIT", "OFFSET", "HAVING", "TYPEOF", "WHEN", "THEN", "ELSE", "END", "USING", "SCOPE", "WITH",
        "FOR", "NULLS", "FIRST", "ASC", "DESC", "null", "true", "false", "TODAY", "LAST_N_DAYS", ":", "Id", "Name",
        "Account", "Contact.Account.Name", "COUNT", "AVG", "(", ")", ",", ".", "=", "!=", "<>", "<", "<=", ">", ">=",
        "'x'", "'a\\'b'", "'", "\\", "12", "-3.5", "2024-01-01", "2024-01-01T00:00:00Z", "2024-13-45", "\n", "\u0000",
        "\uffff", "\ud800", "%", "_", "'%_'", "CALENDAR_YEAR", "LAST_N_DAYS:5", "99999999999999999999",
    };

    private static final List<String> SEEDS = List.of(
            "SELECT Id, FirstName, LastName, Company FROM Lead",
            "SELECT Id, Name FROM Account WHERE (Industry = 'Energy' OR Industry IN ('A','B')) AND Amount > 5",
            "SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 AND Tags__c INCLUDES ('a;b')",
            "SELECT Id, COUNT(Name) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY Name LIMIT 5",
            "SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id IN (SELECT AccountId FROM Case)",
            "SELECT Id, TYPEOF What WHEN Account THEN Phone ELSE Name END FROM Event WHERE NOT Name LIKE 'a\\%'");

    private static void exercise(String soql) {
        try {
            CompiledQuery q = CompiledQuery.compile(Soql.parse(soql), java.time.Clock.systemUTC(),
                    sub -> List.of("x"));
            q.matches(Map.of("Name", "x", "Id", "001000000000001AAA", "Amount", 3, "CreatedDate", "2024-01-01"));
            q.project(Map.of("Name", "x"));
        } catch (MalformedQueryException expected) {
            assertThat(expected.getMessage()).startsWith("MALFORMED_QUERY: ");
            assertThat(expected.line()).isPositive();
            assertThat(expected.column()).isPositive();
            assertThat(expected.salesforceMessage()).contains("ERROR at Row:");
        }
        for (NotifyForFields mode : NotifyForFields.values()) {
            assertThat(PushTopicQuery.check(soql, mode)).isNotNull();
        }
    }

    @Test
    void randomTokenSoupOnlyEverRaisesMalformedQuery() {
        Random random = new Random(20261123L);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(25);
            for (int t = 0; t < n; t++) {
                sb.append(TOKENS[random.nextInt(TOKENS.length)]);
                if (random.nextInt(4) != 0) {
                    sb.append(' ');
                }
            }
            exercise(sb.toString());
        }
    }

    @Test
    void mutationsOfValidQueriesOnlyEverRaiseMalformedQuery() {
        Random random = new Random(42L);
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(4)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, (char) random.nextInt(0x3000));
                    case 2 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                    default -> {
                        int end = Math.min(sb.length(), at + random.nextInt(10));
                        sb.replace(at, end, TOKENS[random.nextInt(TOKENS.length)]);
                    }
                }
            }
            exercise(sb.toString());
        }
    }

    @Test
    void randomBinaryOnlyEverRaisesMalformedQuery() {
        Random random = new Random(7L);
        for (int i = 0; i < 1000; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            exercise(new String(chars));
            exercise("SELECT Id FROM A WHERE Name = " + new String(chars));
        }
    }
}
