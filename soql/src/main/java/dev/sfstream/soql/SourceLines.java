package dev.sfstream.soql;

import dev.sfstream.soql.ast.Position;

/** The statement's text, for building errors that show the offending line. */
final class SourceLines {
    private final String src;

    SourceLines(String src) {
        this.src = src;
    }

    String line(int number) {
        int start = 0;
        for (int i = 1; i < number; i++) {
            int nl = src.indexOf('\n', start);
            if (nl < 0) {
                return "";
            }
            start = nl + 1;
        }
        int end = src.indexOf('\n', start);
        return src.substring(start, end < 0 ? src.length() : end).replace("\r", "");
    }

    MalformedQueryException error(String problem, String token, String expected, Position at) {
        return new MalformedQueryException(problem, token, expected, at.line(), at.column(), line(at.line()));
    }
}
