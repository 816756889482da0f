package dev.sfstream.soql;

import dev.sfstream.soql.ast.Position;
import dev.sfstream.soql.ast.SelectStatement;

/**
 * Entry point of the SOQL engine: parses a SELECT statement into an immutable AST.
 *
 * <p>Keywords and field names are case-insensitive, as in Salesforce. Anything that is not a valid statement, from
 * an empty string to binary garbage, ends in a {@link MalformedQueryException} that names the line, column and
 * token; no other exception escapes and no input hangs or overflows the stack.
 *
 * <p>Thread-safe: every call works on its own state.
 */
public final class Soql {
    /** The longest statement accepted, as Salesforce's default SOQL statement limit. */
    public static final int MAX_LENGTH = 100_000;

    private Soql() {
    }

    /**
     * Parses one SOQL SELECT statement.
     *
     * @throws MalformedQueryException when {@code soql} is not a valid statement
     */
    public static SelectStatement parse(String soql) {
        String text = soql == null ? "" : soql;
        SourceLines lines = new SourceLines(text);
        if (text.isBlank()) {
            throw lines.error("empty query", "<EOF>", "SELECT", new Position(1, 1, 0));
        }
        if (text.length() > MAX_LENGTH) {
            throw lines.error("query is longer than " + MAX_LENGTH + " characters", null,
                    "a shorter statement", new Position(1, 1, 0));
        }
        return new Parser(new Lexer(text, lines).tokenize(), lines).statement();
    }

    /**
     * A value as a SOQL string literal, quotes included: backslashes, quotes and control characters are escaped, so
     * that no value (a record type name, a user's input) can change the statement it is put in.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }
}
