package dev.sfstream.spring.boot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replay store location as it may be shown: {@code redis://user:secret@host} and
 * {@code jdbc:postgresql://host/db?password=secret} lose their password.
 */
final class StoreLocation {
    /** scheme://user:password@ (the user part may be empty, as in redis://:password@host). */
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/]*):([^@/]*)@");
    /**
     * A password parameter of a JDBC URL, whatever comes before "password" in its name:
     * {@code ?password=...}, {@code &sslpassword=...} (the driver's key password), {@code ;password=...}
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][a-z_]*password=)[^&;]*");

    /** The location that means the application's DataSource. */
    static final String DATA_SOURCE = "jdbc";

    private StoreLocation() {
    }

    /** The location with its passwords (of the user part, or a password parameter) replaced by {@code ***}. */
    static String redact(String location) {
        if (location == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(location);
        String shown = m.find() ? m.replaceFirst(Matcher.quoteReplacement(m.group(1)) + ":***@") : location;
        return PASSWORD_PARAMETER.matcher(shown).replaceAll("$1***");
    }

    /** Whether the location means the application's DataSource ({@code jdbc}). */
    static boolean dataSource(String location) {
        return location != null && location.trim().equalsIgnoreCase(DATA_SOURCE);
    }

    /** Whether the location keeps markers in memory only. */
    static boolean inMemory(String location) {
        return location.trim().equalsIgnoreCase("memory:");
    }
}
