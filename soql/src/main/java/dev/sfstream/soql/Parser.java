package dev.sfstream.soql;

import dev.sfstream.soql.Token.Kind;
import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.OrderItem;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for SOQL SELECT statements: the SELECT list (fields, functions, TYPEOF, relationship
 * sub-selects), FROM, USING SCOPE, WITH, GROUP BY, ORDER BY, LIMIT, OFFSET and FOR, and the field paths and
 * operands they name. WHERE and HAVING conditions are the {@link ConditionParser}'s. Nesting is capped at
 * {@link TokenCursor#MAX_DEPTH}. Not thread-safe: one per parse.
 */
final class Parser {
    private final TokenCursor cursor;
    private final SourceLines lines;
    private final ConditionParser conditions;

    Parser(List<Token> tokens, SourceLines lines) {
        this.cursor = new TokenCursor(tokens, lines);
        this.lines = lines;
        this.conditions = new ConditionParser(cursor, this);
    }

    SelectStatement statement() {
        SelectStatement statement = select();
        if (!cursor.peek().is(Kind.EOF)) {
            throw cursor.unexpected(cursor.peek(), "the end of the statement");
        }
        return statement;
    }

    SelectStatement select() {
        cursor.enter();
        Token start = cursor.expectWord("SELECT");
        List<SelectItem> items = new ArrayList<>();
        items.add(selectItem());
        while (cursor.peek().is(Kind.COMMA)) {
            cursor.advance();
            items.add(selectItem());
        }
        if (!cursor.peek().isWord("FROM")) {
            throw cursor.unexpected(cursor.peek(), "',' or FROM");
        }
        cursor.advance();
        Token object = cursor.expectIdentifier("an object name");
        if (TokenCursor.isReserved(object)) {
            throw cursor.unexpected(object, "an object name");
        }
        if (cursor.peek().is(Kind.DOT)) {
            throw cursor.unexpected(cursor.peek(), "a single object after FROM");
        }
        String alias = null;
        if (cursor.peek().is(Kind.IDENTIFIER) && !TokenCursor.isReserved(cursor.peek())) {
            alias = cursor.advance().text();
        }
        if (cursor.peek().is(Kind.COMMA)) {
            throw cursor.unexpected(cursor.peek(), "one object after FROM");
        }
        String scope = null;
        if (cursor.peek().isWord("USING")) {
            cursor.advance();
            cursor.expectWord("SCOPE");
            scope = cursor.expectIdentifier("a scope such as Everything or Mine").text();
        }
        Condition where = null;
        if (cursor.peek().isWord("WHERE")) {
            cursor.advance();
            where = conditions.condition();
        }
        String with = null;
        if (cursor.peek().isWord("WITH")) {
            cursor.advance();
            StringBuilder words = new StringBuilder(
                    cursor.expectIdentifier("a WITH filter such as SECURITY_ENFORCED").text());
            while (cursor.peek().is(Kind.IDENTIFIER) && !TokenCursor.isClauseStart(cursor.peek())) {
                words.append(' ').append(cursor.advance().text());
            }
            with = words.toString();
        }
        List<Operand> groupBy = List.of();
        Condition having = null;
        if (cursor.peek().isWord("GROUP")) {
            cursor.advance();
            cursor.expectWord("BY");
            groupBy = new ArrayList<>();
            groupBy.add(operand());
            while (cursor.peek().is(Kind.COMMA)) {
                cursor.advance();
                groupBy.add(operand());
            }
            if (cursor.peek().isWord("HAVING")) {
                cursor.advance();
                having = conditions.condition();
            }
        }
        List<OrderItem> orderBy = List.of();
        if (cursor.peek().isWord("ORDER")) {
            cursor.advance();
            cursor.expectWord("BY");
            orderBy = new ArrayList<>();
            orderBy.add(orderItem());
            while (cursor.peek().is(Kind.COMMA)) {
                cursor.advance();
                orderBy.add(orderItem());
            }
        }
        Integer limit = null;
        if (cursor.peek().isWord("LIMIT")) {
            cursor.advance();
            limit = nonNegativeInteger("a number of rows");
        }
        Integer offset = null;
        if (cursor.peek().isWord("OFFSET")) {
            cursor.advance();
            offset = nonNegativeInteger("a number of rows to skip");
        }
        List<String> forOptions = List.of();
        if (cursor.peek().isWord("FOR")) {
            cursor.advance();
            forOptions = new ArrayList<>();
            forOptions.add(forOption());
            while (cursor.peek().is(Kind.COMMA)) {
                cursor.advance();
                forOptions.add(forOption());
            }
        }
        cursor.leave();
        return new SelectStatement(items, object.text(), alias, scope, where, with, groupBy, having, orderBy, limit,
                offset, forOptions, start.position());
    }

    private String forOption() {
        Token t = cursor.expectIdentifier("VIEW, REFERENCE or UPDATE");
        String word = t.text().toUpperCase(Locale.ROOT);
        if (!Set.of("VIEW", "REFERENCE", "UPDATE").contains(word)) {
            throw cursor.unexpected(t, "VIEW, REFERENCE or UPDATE");
        }
        return word;
    }

    private SelectItem selectItem() {
        Token t = cursor.peek();
        if (t.is(Kind.LPAREN)) {
            cursor.advance();
            if (!cursor.peek().isWord("SELECT")) {
                throw cursor.unexpected(cursor.peek(), "SELECT (a relationship sub-select)");
            }
            SelectStatement sub = select();
            cursor.expect(Kind.RPAREN, "')' closing the sub-select");
            return new SelectItem.Subquery(sub, t.position());
        }
        Token name = cursor.expectIdentifier("a field name");
        if (name.isWord("TYPEOF") && cursor.peek().is(Kind.IDENTIFIER) && !TokenCursor.isReserved(cursor.peek())) {
            return typeOf(name);
        }
        if (TokenCursor.isReserved(name)) {
            throw cursor.unexpected(name, "a field name");
        }
        if (cursor.peek().is(Kind.LPAREN)) {
            cursor.advance();
            List<FieldPath> args = new ArrayList<>();
            if (!cursor.peek().is(Kind.RPAREN)) {
                args.add(functionArgument());
                while (cursor.peek().is(Kind.COMMA)) {
                    cursor.advance();
                    args.add(functionArgument());
                }
            }
            cursor.expect(Kind.RPAREN, "')' closing " + name.text() + "(");
            String alias = null;
            if (cursor.peek().is(Kind.IDENTIFIER) && !TokenCursor.isReserved(cursor.peek())) {
                alias = cursor.advance().text();
            }
            return new SelectItem.Function(name.text(), args, alias, name.position());
        }
        return new SelectItem.Field(pathFrom(name), null, name.position());
    }

    /**
     * A function argument: a field path, or a nested function whose field is kept
     * ({@code FORMAT(convertCurrency(Amount))}).
     */
    private FieldPath functionArgument() {
        cursor.enter();
        Token name = cursor.expectIdentifier("a field name");
        FieldPath path;
        if (cursor.peek().is(Kind.LPAREN)) {
            cursor.advance();
            path = functionArgument();
            cursor.expect(Kind.RPAREN, "')' closing " + name.text() + "(");
        } else {
            path = pathFrom(name);
        }
        cursor.leave();
        return path;
    }

    private SelectItem typeOf(Token typeofToken) {
        FieldPath field = pathFrom(cursor.advance());
        List<SelectItem.TypeOf.When> whens = new ArrayList<>();
        while (cursor.peek().isWord("WHEN")) {
            cursor.advance();
            String type = cursor.expectIdentifier("an object name").text();
            cursor.expectWord("THEN");
            whens.add(new SelectItem.TypeOf.When(type, fieldList()));
        }
        if (whens.isEmpty()) {
            throw cursor.unexpected(cursor.peek(), "WHEN");
        }
        List<FieldPath> elseFields = List.of();
        if (cursor.peek().isWord("ELSE")) {
            cursor.advance();
            elseFields = fieldList();
        }
        cursor.expectWord("END");
        return new SelectItem.TypeOf(field, whens, elseFields, typeofToken.position());
    }

    private List<FieldPath> fieldList() {
        List<FieldPath> fields = new ArrayList<>();
        fields.add(pathFrom(cursor.expectIdentifier("a field name")));
        while (cursor.peek().is(Kind.COMMA)) {
            cursor.advance();
            fields.add(pathFrom(cursor.expectIdentifier("a field name")));
        }
        return fields;
    }

    private FieldPath pathFrom(Token first) {
        if (TokenCursor.isReserved(first)) {
            throw cursor.unexpected(first, "a field name");
        }
        List<String> segments = new ArrayList<>();
        segments.add(first.text());
        while (cursor.peek().is(Kind.DOT)) {
            cursor.advance();
            Token next = cursor.expectIdentifier("a field name after '.'");
            if (TokenCursor.isReserved(next)) {
                throw cursor.unexpected(next, "a field name after '.'");
            }
            segments.add(next.text());
        }
        return new FieldPath(segments, first.position());
    }

    private OrderItem orderItem() {
        Operand operand = operand();
        boolean descending = false;
        if (cursor.peek().isWord("ASC")) {
            cursor.advance();
        } else if (cursor.peek().isWord("DESC")) {
            cursor.advance();
            descending = true;
        }
        boolean nullsFirst = !descending;
        if (cursor.peek().isWord("NULLS")) {
            cursor.advance();
            if (cursor.peek().isWord("FIRST")) {
                nullsFirst = true;
            } else if (cursor.peek().isWord("LAST")) {
                nullsFirst = false;
            } else {
                throw cursor.unexpected(cursor.peek(), "FIRST or LAST");
            }
            cursor.advance();
        }
        return new OrderItem(operand, descending, nullsFirst);
    }

    private int nonNegativeInteger(String what) {
        Token t = cursor.peek();
        if (!t.is(Kind.INTEGER)) {
            throw cursor.unexpected(t, what);
        }
        cursor.advance();
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw lines.error("number too large: '" + t.text() + "'", t.text(), what, t.position());
        }
    }

    Operand operand() {
        Token name = cursor.expectIdentifier("a field name");
        if (TokenCursor.isReserved(name)) {
            throw cursor.unexpected(name, "a field name");
        }
        if (cursor.peek().is(Kind.LPAREN)) {
            cursor.advance();
            FieldPath argument = functionArgument();
            cursor.expect(Kind.RPAREN, "')' closing " + name.text() + "(");
            return new Operand.Function(name.text(), argument, name.position());
        }
        return new Operand.Field(pathFrom(name));
    }
}
