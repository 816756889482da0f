package dev.sfstream.spring.boot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A replay store location as it may be shown: {@code redis://user:secret@host} loses its password. */
final class StoreLocation {
    /** scheme://user:password@ (the user part may be empty, as in redis://:password@host). */
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/]*):([^@/]*)@");

    private StoreLocation() {
    }

    /** The location with the password of its user part replaced by {@code ***}. */
    static String redact(String location) {
        if (location == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(location);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement(m.group(1)) + ":***@") : location;
    }

    /** Whether the location keeps markers in memory only. */
    static boolean inMemory(String location) {
        return location.trim().equalsIgnoreCase("memory:");
    }
}
