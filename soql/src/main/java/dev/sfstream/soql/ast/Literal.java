package dev.sfstream.soql.ast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A value on the right side of a condition. */
public sealed interface Literal {

    /**
     * A quoted string. {@code value} has every escape resolved; {@code raw} is the text between the quotes, kept
     * because {@code LIKE} gives {@code \%} and {@code \_} a meaning of their own.
     */
    record StringValue(String value, String raw) implements Literal {
    }

    /** An integer or decimal number, sign included. */
    record NumberValue(BigDecimal value) implements Literal {
    }

    /** {@code true} or {@code false}. */
    record BooleanValue(boolean value) implements Literal {
    }

    /** {@code null}. */
    record NullValue() implements Literal {
    }

    /** A date literal such as {@code 2024-03-31}. */
    record DateValue(LocalDate value) implements Literal {
    }

    /** A datetime literal such as {@code 2024-03-31T12:00:00Z} or {@code 2024-03-31T12:00:00+02:00}. */
    record DateTimeValue(OffsetDateTime value) implements Literal {
    }

    /**
     * A relative date literal: {@code TODAY}, {@code LAST_WEEK}, {@code LAST_N_DAYS:30} and the like.
     *
     * @param function the literal's kind
     * @param n the number after the colon for the {@code _N_} forms, 0 otherwise
     */
    record RelativeDate(DateFunction function, int n) implements Literal {
    }
}
