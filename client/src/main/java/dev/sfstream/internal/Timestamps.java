package dev.sfstream.internal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A fast path for the one timestamp shape Salesforce's streaming events carry,
 * {@code 2016-03-29T16:40:08.208Z}: read without the general-purpose parser, which is far slower and shows in a
 * profile of a large replay. Anything else returns {@code null} for the caller to parse the slow way.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** Reads {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z}; {@code null} for any other shape or an impossible date. */
    public static Instant parseUtc(String s) {
        int n = s.length();
        if ((n != 24 && n != 20) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = 0;
        if (n == 24) {
            if (s.charAt(19) != '.') {
                return null;
            }
            millis = digits(s, 20, 3);
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
                || millis < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, millis * 1_000_000L);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
