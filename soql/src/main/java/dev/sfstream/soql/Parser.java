package dev.sfstream.soql;

import dev.sfstream.soql.Token.Kind;
import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.DateFunction;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Literal;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.Operator;
import dev.sfstream.soql.ast.OrderItem;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A recursive-descent parser for SOQL SELECT statements. Nesting (parentheses, NOT, sub-selects) is capped at
 * {@link #MAX_DEPTH} so that hostile input ends in a {@link MalformedQueryException}, never a stack overflow.
 */
final class Parser {
    static final int MAX_DEPTH = 64;

    /** Words that end an expression or start a clause; none of them can be an alias. */
    private static final Set<String> RESERVED = Set.of("and", "asc", "by", "cube", "desc", "else", "end",
            "excludes", "first", "for", "from", "group", "having", "in", "includes", "last", "like", "limit", "not",
            "null", "nulls", "offset", "or", "order", "rollup", "select", "then", "typeof", "using", "when", "where",
            "with", "true", "false");

    private final List<Token> tokens;
    private final SourceLines lines;
    private int index;
    private int depth;

    Parser(List<Token> tokens, SourceLines lines) {
        this.tokens = tokens;
        this.lines = lines;
    }

    SelectStatement statement() {
        SelectStatement statement = select();
        if (!peek().is(Kind.EOF)) {
            throw unexpected(peek(), "the end of the statement");
        }
        return statement;
    }

    // ---------------------------------------------------------------- SELECT

    private SelectStatement select() {
        enter();
        Token start = expectWord("SELECT");
        List<SelectItem> items = new ArrayList<>();
        items.add(selectItem());
        while (peek().is(Kind.COMMA)) {
            advance();
            items.add(selectItem());
        }
        if (!peek().isWord("FROM")) {
            throw unexpected(peek(), "',' or FROM");
        }
        advance();
        Token object = expectIdentifier("an object name");
        if (isReserved(object)) {
            throw unexpected(object, "an object name");
        }
        if (peek().is(Kind.DOT)) {
            throw unexpected(peek(), "a single object after FROM");
        }
        String alias = null;
        if (peek().is(Kind.IDENTIFIER) && !isReserved(peek())) {
            alias = advance().text();
        }
        if (peek().is(Kind.COMMA)) {
            throw unexpected(peek(), "one object after FROM");
        }
        String scope = null;
        if (peek().isWord("USING")) {
            advance();
            expectWord("SCOPE");
            scope = expectIdentifier("a scope such as Everything or Mine").text();
        }
        Condition where = null;
        if (peek().isWord("WHERE")) {
            advance();
            where = condition();
        }
        String with = null;
        if (peek().isWord("WITH")) {
            advance();
            StringBuilder words = new StringBuilder(expectIdentifier("a WITH filter such as SECURITY_ENFORCED").text());
            while (peek().is(Kind.IDENTIFIER) && !isClauseStart(peek())) {
                words.append(' ').append(advance().text());
            }
            with = words.toString();
        }
        List<Operand> groupBy = List.of();
        Condition having = null;
        if (peek().isWord("GROUP")) {
            advance();
            expectWord("BY");
            groupBy = new ArrayList<>();
            groupBy.add(operand());
            while (peek().is(Kind.COMMA)) {
                advance();
                groupBy.add(operand());
            }
            if (peek().isWord("HAVING")) {
                advance();
                having = condition();
            }
        }
        List<OrderItem> orderBy = List.of();
        if (peek().isWord("ORDER")) {
            advance();
            expectWord("BY");
            orderBy = new ArrayList<>();
            orderBy.add(orderItem());
            while (peek().is(Kind.COMMA)) {
                advance();
                orderBy.add(orderItem());
            }
        }
        Integer limit = null;
        if (peek().isWord("LIMIT")) {
            advance();
            limit = nonNegativeInteger("a number of rows");
        }
        Integer offset = null;
        if (peek().isWord("OFFSET")) {
            advance();
            offset = nonNegativeInteger("a number of rows to skip");
        }
        List<String> forOptions = List.of();
        if (peek().isWord("FOR")) {
            advance();
            forOptions = new ArrayList<>();
            forOptions.add(forOption());
            while (peek().is(Kind.COMMA)) {
                advance();
                forOptions.add(forOption());
            }
        }
        leave();
        return new SelectStatement(items, object.text(), alias, scope, where, with, groupBy, having, orderBy, limit,
                offset, forOptions, start.position());
    }

    private String forOption() {
        Token t = expectIdentifier("VIEW, REFERENCE or UPDATE");
        String word = t.text().toUpperCase(Locale.ROOT);
        if (!Set.of("VIEW", "REFERENCE", "UPDATE").contains(word)) {
            throw unexpected(t, "VIEW, REFERENCE or UPDATE");
        }
        return word;
    }

    private SelectItem selectItem() {
        Token t = peek();
        if (t.is(Kind.LPAREN)) {
            advance();
            if (!peek().isWord("SELECT")) {
                throw unexpected(peek(), "SELECT (a relationship sub-select)");
            }
            SelectStatement sub = select();
            expect(Kind.RPAREN, "')' closing the sub-select");
            return new SelectItem.Subquery(sub, t.position());
        }
        Token name = expectIdentifier("a field name");
        if (name.isWord("TYPEOF") && peek().is(Kind.IDENTIFIER) && !isReserved(peek())) {
            return typeOf(name);
        }
        if (isReserved(name)) {
            throw unexpected(name, "a field name");
        }
        if (peek().is(Kind.LPAREN)) {
            advance();
            List<FieldPath> args = new ArrayList<>();
            if (!peek().is(Kind.RPAREN)) {
                args.add(functionArgument());
                while (peek().is(Kind.COMMA)) {
                    advance();
                    args.add(functionArgument());
                }
            }
            expect(Kind.RPAREN, "')' closing " + name.text() + "(");
            String alias = null;
            if (peek().is(Kind.IDENTIFIER) && !isReserved(peek())) {
                alias = advance().text();
            }
            return new SelectItem.Function(name.text(), args, alias, name.position());
        }
        return new SelectItem.Field(pathFrom(name), null, name.position());
    }

    /** A function argument: a field path, or a nested function whose field is kept ({@code FORMAT(convertCurrency(Amount))}). */
    private FieldPath functionArgument() {
        enter();
        Token name = expectIdentifier("a field name");
        FieldPath path;
        if (peek().is(Kind.LPAREN)) {
            advance();
            path = functionArgument();
            expect(Kind.RPAREN, "')' closing " + name.text() + "(");
        } else {
            path = pathFrom(name);
        }
        leave();
        return path;
    }

    private SelectItem typeOf(Token typeofToken) {
        FieldPath field = pathFrom(advance());
        List<SelectItem.TypeOf.When> whens = new ArrayList<>();
        while (peek().isWord("WHEN")) {
            advance();
            String type = expectIdentifier("an object name").text();
            expectWord("THEN");
            whens.add(new SelectItem.TypeOf.When(type, fieldList()));
        }
        if (whens.isEmpty()) {
            throw unexpected(peek(), "WHEN");
        }
        List<FieldPath> elseFields = List.of();
        if (peek().isWord("ELSE")) {
            advance();
            elseFields = fieldList();
        }
        expectWord("END");
        return new SelectItem.TypeOf(field, whens, elseFields, typeofToken.position());
    }

    private List<FieldPath> fieldList() {
        List<FieldPath> fields = new ArrayList<>();
        fields.add(pathFrom(expectIdentifier("a field name")));
        while (peek().is(Kind.COMMA)) {
            advance();
            fields.add(pathFrom(expectIdentifier("a field name")));
        }
        return fields;
    }

    private FieldPath pathFrom(Token first) {
        if (isReserved(first)) {
            throw unexpected(first, "a field name");
        }
        List<String> segments = new ArrayList<>();
        segments.add(first.text());
        while (peek().is(Kind.DOT)) {
            advance();
            Token next = expectIdentifier("a field name after '.'");
            if (isReserved(next)) {
                throw unexpected(next, "a field name after '.'");
            }
            segments.add(next.text());
        }
        return new FieldPath(segments, first.position());
    }

    private OrderItem orderItem() {
        Operand operand = operand();
        boolean descending = false;
        if (peek().isWord("ASC")) {
            advance();
        } else if (peek().isWord("DESC")) {
            advance();
            descending = true;
        }
        boolean nullsFirst = !descending;
        if (peek().isWord("NULLS")) {
            advance();
            if (peek().isWord("FIRST")) {
                nullsFirst = true;
            } else if (peek().isWord("LAST")) {
                nullsFirst = false;
            } else {
                throw unexpected(peek(), "FIRST or LAST");
            }
            advance();
        }
        return new OrderItem(operand, descending, nullsFirst);
    }

    private int nonNegativeInteger(String what) {
        Token t = peek();
        if (!t.is(Kind.INTEGER)) {
            throw unexpected(t, what);
        }
        advance();
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw lines.error("number too large: '" + t.text() + "'", t.text(), what, t.position());
        }
    }

    // ---------------------------------------------------------------- conditions

    private Condition condition() {
        enter();
        Condition first = unary();
        Condition result = first;
        if (peek().isWord("AND") || peek().isWord("OR")) {
            String joiner = peek().text().toUpperCase(Locale.ROOT);
            String other = joiner.equals("AND") ? "OR" : "AND";
            List<Condition> parts = new ArrayList<>();
            parts.add(first);
            while (peek().isWord(joiner)) {
                advance();
                parts.add(unary());
            }
            if (peek().isWord(other)) {
                // SOQL does not rank AND above OR: mixing them needs parentheses.
                throw unexpected(peek(), "parentheses around the " + joiner + " conditions; SOQL does not mix AND "
                        + "and OR without them");
            }
            result = joiner.equals("AND") ? new Condition.And(parts, first.position())
                    : new Condition.Or(parts, first.position());
        }
        leave();
        return result;
    }

    private Condition unary() {
        Token t = peek();
        if (t.isWord("NOT")) {
            enter();
            advance();
            Condition part = unary();
            leave();
            return new Condition.Not(part, t.position());
        }
        if (t.is(Kind.LPAREN)) {
            advance();
            Condition inner = condition();
            expect(Kind.RPAREN, "')' or AND or OR");
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        Operand operand = operand();
        Token op = peek();
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
            advance();
            return new Condition.Comparison(operand, operator, literal(), operand.position());
        }
        if (op.isWord("LIKE")) {
            advance();
            Token valueToken = peek();
            Literal value = literal();
            if (!(value instanceof Literal.StringValue)) {
                throw unexpected(valueToken, "a quoted pattern after LIKE");
            }
            return new Condition.Comparison(operand, Operator.LIKE, value, operand.position());
        }
        boolean negated = false;
        if (op.isWord("NOT")) {
            advance();
            if (!peek().isWord("IN")) {
                throw unexpected(peek(), "IN after NOT");
            }
            negated = true;
        }
        if (peek().isWord("IN")) {
            advance();
            Token open = expect(Kind.LPAREN, "'(' and a list of values or a sub-select");
            if (peek().isWord("SELECT")) {
                SelectStatement sub = select();
                expect(Kind.RPAREN, "')' closing the sub-select");
                return new Condition.SemiJoin(operand, negated, sub, operand.position());
            }
            List<Literal> values = literalListAfterOpen(open);
            return new Condition.In(operand, negated, values, operand.position());
        }
        if (op.isWord("INCLUDES") || op.isWord("EXCLUDES")) {
            advance();
            Token open = expect(Kind.LPAREN, "'(' and a list of values");
            return new Condition.Includes(operand, op.isWord("EXCLUDES"), literalListAfterOpen(open),
                    operand.position());
        }
        throw unexpected(op, "an operator (=, !=, <>, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES)");
    }

    private List<Literal> literalListAfterOpen(Token open) {
        List<Literal> values = new ArrayList<>();
        values.add(literal());
        while (peek().is(Kind.COMMA)) {
            advance();
            values.add(literal());
        }
        expect(Kind.RPAREN, "',' or ')'");
        return values;
    }

    private Operand operand() {
        Token name = expectIdentifier("a field name");
        if (isReserved(name)) {
            throw unexpected(name, "a field name");
        }
        if (peek().is(Kind.LPAREN)) {
            advance();
            FieldPath argument = functionArgument();
            expect(Kind.RPAREN, "')' closing " + name.text() + "(");
            return new Operand.Function(name.text(), argument, name.position());
        }
        return new Operand.Field(pathFrom(name));
    }

    private Literal literal() {
        Token t = peek();
        switch (t.kind()) {
            case STRING -> {
                advance();
                return new Literal.StringValue(t.text(), t.raw());
            }
            case INTEGER, DECIMAL -> {
                advance();
                return new Literal.NumberValue(new BigDecimal(t.text()));
            }
            case PLUS, MINUS -> {
                advance();
                Token number = peek();
                if (!number.is(Kind.INTEGER) && !number.is(Kind.DECIMAL)) {
                    throw unexpected(number, "a number after '" + t.text() + "'");
                }
                advance();
                BigDecimal value = new BigDecimal(number.text());
                return new Literal.NumberValue(t.is(Kind.MINUS) ? value.negate() : value);
            }
            case DATE -> {
                advance();
                try {
                    return new Literal.DateValue(LocalDate.parse(t.text()));
                } catch (DateTimeParseException e) {
                    throw lines.error("invalid date '" + t.text() + "'", t.text(), "a real calendar date",
                            t.position());
                }
            }
            case DATETIME -> {
                advance();
                try {
                    return new Literal.DateTimeValue(parseDateTime(t.text()));
                } catch (DateTimeParseException e) {
                    throw lines.error("invalid datetime '" + t.text() + "'", t.text(),
                            "a datetime such as 2024-01-31T23:59:59Z", t.position());
                }
            }
            case IDENTIFIER -> {
                if (t.isWord("true") || t.isWord("false")) {
                    advance();
                    return new Literal.BooleanValue(t.isWord("true"));
                }
                if (t.isWord("null")) {
                    advance();
                    return new Literal.NullValue();
                }
                Optional<DateFunction> function = DateFunction.named(t.text());
                if (function.isPresent()) {
                    advance();
                    int n = 0;
                    if (function.get().takesNumber()) {
                        expect(Kind.COLON, "':' and a number after " + function.get().name());
                        Token number = peek();
                        if (!number.is(Kind.INTEGER)) {
                            throw unexpected(number, "a whole number after " + function.get().name() + ":");
                        }
                        advance();
                        try {
                            n = Integer.parseInt(number.text());
                        } catch (NumberFormatException e) {
                            throw lines.error("number too large: '" + number.text() + "'", number.text(),
                                    "a smaller number", number.position());
                        }
                    }
                    return new Literal.RelativeDate(function.get(), n);
                }
                throw unexpected(t, "a value: a quoted string, a number, true, false, null, a date or a date "
                        + "literal such as TODAY");
            }
            default -> throw unexpected(t, "a value");
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

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(index);
    }

    private Token advance() {
        Token t = tokens.get(index);
        if (!t.is(Kind.EOF)) {
            index++;
        }
        return t;
    }

    private Token expect(Kind kind, String expected) {
        Token t = peek();
        if (!t.is(kind)) {
            throw unexpected(t, expected);
        }
        return advance();
    }

    private Token expectWord(String word) {
        Token t = peek();
        if (!t.isWord(word)) {
            throw unexpected(t, word);
        }
        return advance();
    }

    private Token expectIdentifier(String expected) {
        Token t = peek();
        if (!t.is(Kind.IDENTIFIER)) {
            throw unexpected(t, expected);
        }
        return advance();
    }

    private static boolean isReserved(Token t) {
        return t.is(Kind.IDENTIFIER) && RESERVED.contains(t.text().toLowerCase(Locale.ROOT));
    }

    private static boolean isClauseStart(Token t) {
        return t.isWord("GROUP") || t.isWord("ORDER") || t.isWord("LIMIT") || t.isWord("OFFSET") || t.isWord("FOR")
                || t.isWord("HAVING");
    }

    private MalformedQueryException unexpected(Token t, String expected) {
        return lines.error("unexpected token: " + t.shown(), t.is(Kind.EOF) ? "<EOF>" : t.raw(), expected,
                t.position());
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            Token t = peek();
            throw lines.error("query is nested too deeply (more than " + MAX_DEPTH + " levels)",
                    t.is(Kind.EOF) ? "<EOF>" : t.raw(), null, t.position());
        }
    }

    private void leave() {
        depth--;
    }
}
