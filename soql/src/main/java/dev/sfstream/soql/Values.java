package dev.sfstream.soql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a record's field values are read for comparison, with SOQL's coercions. A value a literal cannot be compared
 * with reads as {@code null} here, and the caller treats it as "no match".
 *
 * <p>Records come from JSON as often as from Java, so dates, datetimes, numbers and booleans are also read from
 * their string forms. An empty string is {@code null}, as Salesforce stores it.
 */
final class Values {
    private Values() {
    }

    static boolean isNull(Object v) {
        return v == null || (v instanceof CharSequence s && s.length() == 0);
    }

    static String asString(Object v) {
        if (isNull(v)) {
            return null;
        }
        return v instanceof String s ? s : String.valueOf(v);
    }

    static BigDecimal asNumber(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v instanceof String s && !s.isEmpty() && s.length() < 100) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Boolean asBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            if (s.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** A datetime value as an instant; a date counts as its first instant in UTC. */
    static Instant asInstant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (v instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof String s) {
            return parseInstant(s);
        }
        return null;
    }

    /** A date or datetime value as a date; a datetime counts as its date in UTC. */
    static LocalDate asDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof String s && s.length() == 10) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Instant i = asInstant(v);
        return i == null ? null : LocalDate.ofInstant(i, ZoneOffset.UTC);
    }

    /**
     * Reads the datetime forms Salesforce writes ({@code 2024-01-31T10:00:00.000+0000}) and ISO-8601
     * ({@code 2024-01-31T10:00:00Z}, {@code +01:00}); a bare date is its first instant in UTC.
     */
    static Instant parseInstant(String s) {
        String t = s.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            int n = t.length();
            if (n > 5 && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-') && t.indexOf(':', n - 5) < 0) {
                t = t.substring(0, n - 2) + ":" + t.substring(n - 2);
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The parts of a multi-select picklist value, lower-cased and trimmed. */
    static Set<String> picklistParts(String value) {
        Set<String> parts = new HashSet<>();
        for (String part : value.split(";", -1)) {
            String p = part.trim();
            if (!p.isEmpty()) {
                parts.add(p.toLowerCase(Locale.ROOT));
            }
        }
        return parts;
    }

    /** Whether text has the shape of a Salesforce ID (15 or 18 letters and digits). */
    static boolean looksLikeId(String s) {
        int n = s.length();
        if (n != 15 && n != 18) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares two IDs as Salesforce does: a 15-character ID is case-sensitive and equals the 18-character form
     * that starts with it; two 18-character IDs compare without case.
     */
    static boolean sameId(String a, String b) {
        if (a.length() == 18 && b.length() == 18) {
            return a.equalsIgnoreCase(b);
        }
        if (a.length() >= 15 && b.length() >= 15) {
            return a.regionMatches(0, b, 0, 15);
        }
        return a.equals(b);
    }
}
