package dev.sfstream.soql;

import java.util.Objects;

/**
 * The one error a SOQL text can produce: the statement is not valid SOQL.
 *
 * <p>It carries Salesforce's error code ({@value #ERROR_CODE}), the position of the offending token (1-based line
 * and column), the token itself as it appeared in the text, and what the parser expected there. {@link #getMessage()}
 * reads as one line for people; {@link #salesforceMessage()} is the multi-line text Salesforce's REST API puts in a
 * {@code MALFORMED_QUERY} error body (the statement, a caret under the column, then
 * {@code ERROR at Row:n:Column:m}).
 *
 * <p>Instances are immutable and safe to share.
 */
public final class MalformedQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Salesforce's error code for a statement that does not parse. */
    public static final String ERROR_CODE = "MALFORMED_QUERY";

    private final int line;
    private final int column;
    private final String token;
    private final String expected;
    private final String problem;
    private final String sourceLine;

    MalformedQueryException(String problem, String token, String expected, int line, int column, String sourceLine) {
        super(describe(problem, expected, line, column));
        this.problem = Objects.requireNonNull(problem);
        this.token = token;
        this.expected = expected;
        this.line = line;
        this.column = column;
        this.sourceLine = sourceLine == null ? "" : sourceLine;
    }

    private static String describe(String problem, String expected, int line, int column) {
        StringBuilder sb = new StringBuilder(ERROR_CODE).append(": ").append(problem)
                .append(" at line ").append(line).append(", column ").append(column);
        if (expected != null) {
            sb.append("; expected ").append(expected);
        }
        return sb.toString();
    }

    /** Salesforce's error code, always {@value #ERROR_CODE}. */
    public String errorCode() {
        return ERROR_CODE;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** The offending token as written, {@code <EOF>} at the end of the text, or {@code null} when not a token. */
    public String token() {
        return token;
    }

    /** What the parser expected at that point, or {@code null} when nothing specific was. */
    public String expected() {
        return expected;
    }

    /** The problem alone, such as {@code unexpected token: 'FORM'}. */
    public String problem() {
        return problem;
    }

    /**
     * The message in the shape Salesforce's REST API uses for {@code MALFORMED_QUERY}: the offending line of the
     * statement, a caret under the column, {@code ERROR at Row:n:Column:m} and the problem.
     */
    public String salesforceMessage() {
        String shown = sourceLine.length() > 200 ? sourceLine.substring(0, 200) : sourceLine;
        int caret = Math.max(0, Math.min(column - 1, shown.length()));
        return "\n" + shown + "\n" + " ".repeat(caret) + "^\nERROR at Row:" + line + ":Column:" + column + "\n" + problem;
    }
}
