package dev.sfstream.soql.ast;

/** A comparison operator of a WHERE condition. {@code <>} is read as {@link #NOT_EQUALS}. */
public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!="),
    LESS_THAN("<"),
    LESS_OR_EQUAL("<="),
    GREATER_THAN(">"),
    GREATER_OR_EQUAL(">="),
    LIKE("LIKE");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as SOQL writes it. */
    public String symbol() {
        return symbol;
    }
}
