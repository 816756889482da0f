package dev.sfstream.soql;

import dev.sfstream.soql.Token.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parsers' position in the token list, shared by the statement parser and the condition parser: looking at and
 * taking tokens, the errors that name the offending token and what was expected, and the nesting depth, capped at
 * {@link #MAX_DEPTH} (parentheses, NOT, sub-selects) so that hostile input ends in a
 * {@link MalformedQueryException}, never a stack overflow. Not thread-safe: one per parse.
 */
final class TokenCursor {
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

    TokenCursor(List<Token> tokens, SourceLines lines) {
        this.tokens = tokens;
        this.lines = lines;
    }

    /** The statement's text, for errors about a token's value rather than its place. */
    SourceLines lines() {
        return lines;
    }

    Token peek() {
        return tokens.get(index);
    }

    Token advance() {
        Token t = tokens.get(index);
        if (!t.is(Kind.EOF)) {
            index++;
        }
        return t;
    }

    Token expect(Kind kind, String expected) {
        Token t = peek();
        if (!t.is(kind)) {
            throw unexpected(t, expected);
        }
        return advance();
    }

    Token expectWord(String word) {
        Token t = peek();
        if (!t.isWord(word)) {
            throw unexpected(t, word);
        }
        return advance();
    }

    Token expectIdentifier(String expected) {
        Token t = peek();
        if (!t.is(Kind.IDENTIFIER)) {
            throw unexpected(t, expected);
        }
        return advance();
    }

    static boolean isReserved(Token t) {
        return t.is(Kind.IDENTIFIER) && RESERVED.contains(t.text().toLowerCase(Locale.ROOT));
    }

    static boolean isClauseStart(Token t) {
        return t.isWord("GROUP") || t.isWord("ORDER") || t.isWord("LIMIT") || t.isWord("OFFSET") || t.isWord("FOR")
                || t.isWord("HAVING");
    }

    MalformedQueryException unexpected(Token t, String expected) {
        return lines.error("unexpected token: " + t.shown(), t.is(Kind.EOF) ? "<EOF>" : t.raw(), expected,
                t.position());
    }

    void enter() {
        if (++depth > MAX_DEPTH) {
            Token t = peek();
            throw lines.error("query is nested too deeply (more than " + MAX_DEPTH + " levels)",
                    t.is(Kind.EOF) ? "<EOF>" : t.raw(), null, t.position());
        }
    }

    void leave() {
        depth--;
    }
}
