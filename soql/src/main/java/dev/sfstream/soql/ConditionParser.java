package dev.sfstream.soql;

import dev.sfstream.soql.Token.Kind;
import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.DateFunction;
import dev.sfstream.soql.ast.Literal;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.Operator;
import dev.sfstream.soql.ast.SelectStatement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parser of WHERE and HAVING conditions: AND and OR (never mixed without parentheses, as SOQL requires), NOT,
 * comparisons, LIKE, IN and NOT IN (a list of values or a semi-join sub-select), INCLUDES and EXCLUDES, and the
 * values they take (strings, numbers, booleans, null, dates, datetimes, relative date literals such as
 * {@code LAST_N_DAYS:30}). Operands and sub-selects come from the statement parser. Not thread-safe: one per parse.
 */
final class ConditionParser {
    private final TokenCursor cursor;
    private final SourceLines lines;
    private final Parser statements;

    ConditionParser(TokenCursor cursor, Parser statements) {
        this.cursor = cursor;
        this.lines = cursor.lines();
        this.statements = statements;
    }

    Condition condition() {
        cursor.enter();
        Condition first = unary();
        Condition result = first;
        if (cursor.peek().isWord("AND") || cursor.peek().isWord("OR")) {
            String joiner = cursor.peek().text().toUpperCase(Locale.ROOT);
            String other = joiner.equals("AND") ? "OR" : "AND";
            List<Condition> parts = new ArrayList<>();
            parts.add(first);
            while (cursor.peek().isWord(joiner)) {
                cursor.advance();
                parts.add(unary());
            }
            if (cursor.peek().isWord(other)) {
                // SOQL does not rank AND above OR: mixing them needs parentheses.
                throw cursor.unexpected(cursor.peek(), "parentheses around the " + joiner + " conditions; SOQL does "
                        + "not mix AND and OR without them");
            }
            result = joiner.equals("AND") ? new Condition.And(parts, first.position())
                    : new Condition.Or(parts, first.position());
        }
        cursor.leave();
        return result;
    }

    private Condition unary() {
        Token t = cursor.peek();
        if (t.isWord("NOT")) {
            cursor.enter();
            cursor.advance();
            Condition part = unary();
            cursor.leave();
            return new Condition.Not(part, t.position());
        }
        if (t.is(Kind.LPAREN)) {
            cursor.advance();
            Condition inner = condition();
            cursor.expect(Kind.RPAREN, "')' or AND or OR");
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        Operand operand = statements.operand();
        Token op = cursor.peek();
        Operator operator = switch (op.kind()) {
            case EQ -> Operator.EQUALS;
            case NE -> Operator.NOT_EQUALS;
            case LT -> Operator.LESS_THAN;
            case LE -> Operator.LESS_OR_EQUAL;
            case GT -> Operator.GREATER_THAN;
            case GE -> Operator.GREATER_OR_EQUAL;
            default -> null;
        };
        if (operator != null) {
            cursor.advance();
            return new Condition.Comparison(operand, operator, literal(), operand.position());
        }
        if (op.isWord("LIKE")) {
            cursor.advance();
            Token valueToken = cursor.peek();
            Literal value = literal();
            if (!(value instanceof Literal.StringValue)) {
                throw cursor.unexpected(valueToken, "a quoted pattern after LIKE");
            }
            return new Condition.Comparison(operand, Operator.LIKE, value, operand.position());
        }
        boolean negated = false;
        if (op.isWord("NOT")) {
            cursor.advance();
            if (!cursor.peek().isWord("IN")) {
                throw cursor.unexpected(cursor.peek(), "IN after NOT");
            }
            negated = true;
        }
        if (cursor.peek().isWord("IN")) {
            cursor.advance();
            Token open = cursor.expect(Kind.LPAREN, "'(' and a list of values or a sub-select");
            if (cursor.peek().isWord("SELECT")) {
                SelectStatement sub = statements.select();
                cursor.expect(Kind.RPAREN, "')' closing the sub-select");
                return new Condition.SemiJoin(operand, negated, sub, operand.position());
            }
            List<Literal> values = literalListAfterOpen(open);
            return new Condition.In(operand, negated, values, operand.position());
        }
        if (op.isWord("INCLUDES") || op.isWord("EXCLUDES")) {
            cursor.advance();
            Token open = cursor.expect(Kind.LPAREN, "'(' and a list of values");
            return new Condition.Includes(operand, op.isWord("EXCLUDES"), literalListAfterOpen(open),
                    operand.position());
        }
        throw cursor.unexpected(op, "an operator (=, !=, <>, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES)");
    }

    private List<Literal> literalListAfterOpen(Token open) {
        List<Literal> values = new ArrayList<>();
        values.add(literal());
        while (cursor.peek().is(Kind.COMMA)) {
            cursor.advance();
            values.add(literal());
        }
        cursor.expect(Kind.RPAREN, "',' or ')'");
        return values;
    }

    private Literal literal() {
        Token t = cursor.peek();
        switch (t.kind()) {
            case STRING -> {
                cursor.advance();
                return new Literal.StringValue(t.text(), t.raw());
            }
            case INTEGER, DECIMAL -> {
                cursor.advance();
                return new Literal.NumberValue(new BigDecimal(t.text()));
            }
            case PLUS, MINUS -> {
                cursor.advance();
                Token number = cursor.peek();
                if (!number.is(Kind.INTEGER) && !number.is(Kind.DECIMAL)) {
                    throw cursor.unexpected(number, "a number after '" + t.text() + "'");
                }
                cursor.advance();
                BigDecimal value = new BigDecimal(number.text());
                return new Literal.NumberValue(t.is(Kind.MINUS) ? value.negate() : value);
            }
            case DATE -> {
                cursor.advance();
                try {
                    return new Literal.DateValue(LocalDate.parse(t.text()));
                } catch (DateTimeParseException e) {
                    throw lines.error("invalid date '" + t.text() + "'", t.text(), "a real calendar date",
                            t.position());
                }
            }
            case DATETIME -> {
                cursor.advance();
                try {
                    return new Literal.DateTimeValue(parseDateTime(t.text()));
                } catch (DateTimeParseException e) {
                    throw lines.error("invalid datetime '" + t.text() + "'", t.text(),
                            "a datetime such as 2024-01-31T23:59:59Z", t.position());
                }
            }
            case IDENTIFIER -> {
                if (t.isWord("true") || t.isWord("false")) {
                    cursor.advance();
                    return new Literal.BooleanValue(t.isWord("true"));
                }
                if (t.isWord("null")) {
                    cursor.advance();
                    return new Literal.NullValue();
                }
                Optional<DateFunction> function = DateFunction.named(t.text());
                if (function.isPresent()) {
                    cursor.advance();
                    int n = 0;
                    if (function.get().takesNumber()) {
                        cursor.expect(Kind.COLON, "':' and a number after " + function.get().name());
                        Token number = cursor.peek();
                        if (!number.is(Kind.INTEGER)) {
                            throw cursor.unexpected(number, "a whole number after " + function.get().name() + ":");
                        }
                        cursor.advance();
                        try {
                            n = Integer.parseInt(number.text());
                        } catch (NumberFormatException e) {
                            throw lines.error("number too large: '" + number.text() + "'", number.text(),
                                    "a smaller number", number.position());
                        }
                    }
                    return new Literal.RelativeDate(function.get(), n);
                }
                throw cursor.unexpected(t, "a value: a quoted string, a number, true, false, null, a date or a date "
                        + "literal such as TODAY");
            }
            default -> throw cursor.unexpected(t, "a value");
        }
    }

    /** Reads {@code 2024-01-31T23:59:59[.sss](Z|+hh:mm|+hhmm)}; the lexer has checked the shape. */
    private static OffsetDateTime parseDateTime(String text) {
        String normalized = text;
        char last = text.charAt(text.length() - 1);
        if (last == 'Z' || last == 'z') {
            normalized = text.substring(0, text.length() - 1) + "+00:00";
        } else if (text.charAt(text.length() - 3) != ':') {
            normalized = text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2);
        }
        return OffsetDateTime.parse(normalized.replace('t', 'T'));
    }
}
