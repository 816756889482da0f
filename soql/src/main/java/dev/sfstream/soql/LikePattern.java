package dev.sfstream.soql;

import java.util.Locale;

/**
 * A compiled SOQL {@code LIKE} pattern: {@code %} matches any run of characters, {@code _} exactly one, {@code \%}
 * and {@code \_} the characters themselves; the match ignores case. Matching is linear-time with one backtrack
 * point per {@code %}, so no pattern can make it explode.
 */
final class LikePattern {
    private static final char ANY = '\uE000';
    private static final char ONE = '\uE001';

    private final char[] pattern;

    private LikePattern(char[] pattern) {
        this.pattern = pattern;
    }

    /** Compiles the raw text between the quotes, escapes as written. */
    static LikePattern compile(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char e = raw.charAt(++i);
                switch (e) {
                    case 'n', 'N' -> out.append('\n');
                    case 'r', 'R' -> out.append('\r');
                    case 't', 'T' -> out.append('\t');
                    case 'b', 'B' -> out.append('\b');
                    case 'f', 'F' -> out.append('\f');
                    case 'u', 'U' -> {
                        out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(e); // \% \_ \' \" \\ stand for themselves
                }
            } else if (c == '%') {
                out.append(ANY);
            } else if (c == '_') {
                out.append(ONE);
            } else {
                out.append(c);
            }
        }
        return new LikePattern(out.toString().toLowerCase(Locale.ROOT).toCharArray());
    }

    boolean matches(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        int t = 0;
        int p = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length && (pattern[p] == ONE || (pattern[p] != ANY && pattern[p] == text.charAt(t)))) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == ANY) {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY) {
            p++;
        }
        return p == pattern.length;
    }
}
