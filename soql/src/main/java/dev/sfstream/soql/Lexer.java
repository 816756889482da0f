package dev.sfstream.soql;

import dev.sfstream.soql.Token.Kind;
import dev.sfstream.soql.ast.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SOQL statement into tokens. Hand-written: one pass, no regular expressions, every failure a
 * {@link MalformedQueryException} with the position of the offending character.
 */
final class Lexer {
    private final String src;
    private final SourceLines lines;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String src, SourceLines lines) {
        this.src = src;
        this.lines = lines;
    }

    List<Token> tokenize() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (pos >= src.length()) {
                tokens.add(new Token(Kind.EOF, "", "", here()));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Position here() {
        return new Position(line, pos - lineStart + 1, pos);
    }

    private void skipWhitespace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else {
                return;
            }
        }
    }

    private Token next() {
        Position at = here();
        char c = src.charAt(pos);
        if (isIdentifierStart(c)) {
            int start = pos;
            while (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
                pos++;
            }
            String word = src.substring(start, pos);
            return new Token(Kind.IDENTIFIER, word, word, at);
        }
        if (c >= '0' && c <= '9') {
            return number(at);
        }
        if (c == '\'') {
            return string(at);
        }
        pos++;
        return switch (c) {
            case '(' -> simple(Kind.LPAREN, "(", at);
            case ')' -> simple(Kind.RPAREN, ")", at);
            case ',' -> simple(Kind.COMMA, ",", at);
            case '.' -> simple(Kind.DOT, ".", at);
            case ':' -> simple(Kind.COLON, ":", at);
            case '+' -> simple(Kind.PLUS, "+", at);
            case '-' -> simple(Kind.MINUS, "-", at);
            case '=' -> simple(Kind.EQ, "=", at);
            case '!' -> {
                if (peekIs('=')) {
                    pos++;
                    yield simple(Kind.NE, "!=", at);
                }
                throw noViableAlternative(c, at);
            }
            case '<' -> {
                if (peekIs('=')) {
                    pos++;
                    yield simple(Kind.LE, "<=", at);
                }
                if (peekIs('>')) {
                    pos++;
                    yield simple(Kind.NE, "<>", at);
                }
                yield simple(Kind.LT, "<", at);
            }
            case '>' -> {
                if (peekIs('=')) {
                    pos++;
                    yield simple(Kind.GE, ">=", at);
                }
                yield simple(Kind.GT, ">", at);
            }
            default -> throw noViableAlternative(c, at);
        };
    }

    private boolean peekIs(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private static Token simple(Kind kind, String text, Position at) {
        return new Token(kind, text, text, at);
    }

    private MalformedQueryException noViableAlternative(char c, Position at) {
        String shown = Character.isISOControl(c) || Character.isSurrogate(c)
                ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        return lines.error("no viable alternative at character '" + shown + "'", shown, null, at);
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private boolean digitsAt(int from, int count) {
        if (from + count > src.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            char d = src.charAt(i);
            if (d < '0' || d > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean charAt(int i, char c) {
        return i < src.length() && src.charAt(i) == c;
    }

    private Token number(Position at) {
        int start = pos;
        // A date (YYYY-MM-DD) or datetime (YYYY-MM-DDThh:mm:ss[.sss](Z|+hh:mm|-hhmm)) literal.
        if (digitsAt(pos, 4) && charAt(pos + 4, '-') && digitsAt(pos + 5, 2) && charAt(pos + 7, '-')
                && digitsAt(pos + 8, 2)) {
            pos += 10;
            if (pos < src.length() && (src.charAt(pos) == 'T' || src.charAt(pos) == 't')) {
                return dateTime(start, at);
            }
            if (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
                throw lines.error("invalid date literal '" + src.substring(start, pos + 1) + "'",
                        src.substring(start, pos + 1), "a date such as 2024-01-31", at);
            }
            String text = src.substring(start, pos);
            return new Token(Kind.DATE, text, text, at);
        }
        while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) {
            pos++;
        }
        Kind kind = Kind.INTEGER;
        if (charAt(pos, '.') && pos + 1 < src.length() && src.charAt(pos + 1) >= '0' && src.charAt(pos + 1) <= '9') {
            pos++;
            while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
                pos++;
            }
            kind = Kind.DECIMAL;
        }
        if (pos < src.length() && isIdentifierStart(src.charAt(pos))) {
            int end = pos;
            while (end < src.length() && isIdentifierPart(src.charAt(end))) {
                end++;
            }
            String bad = src.substring(start, end);
            throw lines.error("invalid number '" + bad + "'", bad, "a number", at);
        }
        String text = src.substring(start, pos);
        return new Token(kind, text, text, at);
    }

    private Token dateTime(int start, Position at) {
        pos++; // the T
        if (!(digitsAt(pos, 2) && charAt(pos + 2, ':') && digitsAt(pos + 3, 2) && charAt(pos + 5, ':')
                && digitsAt(pos + 6, 2))) {
            throw badDateTime(start, at);
        }
        pos += 8;
        if (charAt(pos, '.')) {
            pos++;
            int fractionStart = pos;
            while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == fractionStart) {
                throw badDateTime(start, at);
            }
        }
        if (charAt(pos, 'Z') || charAt(pos, 'z')) {
            pos++;
        } else if (charAt(pos, '+') || charAt(pos, '-')) {
            pos++;
            if (digitsAt(pos, 2) && charAt(pos + 2, ':') && digitsAt(pos + 3, 2)) {
                pos += 5;
            } else if (digitsAt(pos, 4)) {
                pos += 4;
            } else {
                throw badDateTime(start, at);
            }
        } else {
            throw badDateTime(start, at);
        }
        if (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
            throw badDateTime(start, at);
        }
        String text = src.substring(start, pos);
        return new Token(Kind.DATETIME, text, text, at);
    }

    private MalformedQueryException badDateTime(int start, Position at) {
        int end = Math.min(src.length(), Math.max(pos + 1, start + 1));
        String bad = src.substring(start, end);
        return lines.error("invalid datetime literal '" + bad + "'", bad,
                "a datetime such as 2024-01-31T23:59:59Z", at);
    }

    private Token string(Position at) {
        int start = pos;
        pos++; // opening quote
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw lines.error("unterminated string literal", src.substring(start, Math.min(src.length(), start + 40)),
                        "a closing quote (')", at);
            }
            char c = src.charAt(pos);
            if (c == '\'') {
                pos++;
                String raw = src.substring(start + 1, pos - 1);
                return new Token(Kind.STRING, value.toString(), raw, at);
            }
            if (c == '\\') {
                Position escapeAt = here();
                if (pos + 1 >= src.length()) {
                    throw lines.error("unterminated string literal", "\\", "a closing quote (')", at);
                }
                char e = src.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n', 'N' -> value.append('\n');
                    case 'r', 'R' -> value.append('\r');
                    case 't', 'T' -> value.append('\t');
                    case 'b', 'B' -> value.append('\b');
                    case 'f', 'F' -> value.append('\f');
                    case '"' -> value.append('"');
                    case '\'' -> value.append('\'');
                    case '\\' -> value.append('\\');
                    case '_' -> value.append('_');
                    case '%' -> value.append('%');
                    case 'u', 'U' -> {
                        if (pos + 4 > src.length()) {
                            throw lines.error("invalid unicode escape in string literal", "\\u", "four hex digits",
                                    escapeAt);
                        }
                        String hex = src.substring(pos, pos + 4);
                        try {
                            value.append((char) Integer.parseInt(hex, 16));
                        } catch (NumberFormatException ex) {
                            throw lines.error("invalid unicode escape in string literal", "\\u" + hex,
                                    "four hex digits", escapeAt);
                        }
                        pos += 4;
                    }
                    default -> throw lines.error("invalid escape sequence '\\" + e + "' in string literal",
                            "\\" + e, "one of \\n \\r \\t \\b \\f \\\" \\' \\\\ \\_ \\% \\uXXXX", escapeAt);
                }
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            value.append(c);
            pos++;
        }
    }
}
