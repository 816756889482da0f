package dev.sfstream.soql;

import dev.sfstream.soql.ast.Position;

/** One lexical token: its kind, its text as written (for strings: the value, escapes resolved) and where it starts. */
record Token(Kind kind, String text, String raw, Position position) {

    enum Kind {
        IDENTIFIER, STRING, INTEGER, DECIMAL, DATE, DATETIME,
        LPAREN, RPAREN, COMMA, DOT, COLON, PLUS, MINUS,
        EQ, NE, LT, LE, GT, GE,
        EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** Whether this is the identifier {@code word}, ignoring case: SOQL keywords are case-insensitive. */
    boolean isWord(String word) {
        return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(word);
    }

    /** The token as an error message shows it: {@code 'FORM'}, or {@code <EOF>}. */
    String shown() {
        if (kind == Kind.EOF) {
            return "<EOF>";
        }
        String t = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
        return kind == Kind.STRING ? "''" + t + "''" : "'" + t + "'";
    }
}
