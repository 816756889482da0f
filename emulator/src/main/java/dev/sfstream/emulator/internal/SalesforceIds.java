package dev.sfstream.emulator.internal;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes record IDs the way Salesforce does: a three-character key prefix of the object type, twelve more
 * characters, and the three-character case-insensitive checksum that turns the 15-character ID into 18.
 *
 * <p>Standard types get their real prefix; any other type gets a stable made-up prefix starting with {@code a}, as
 * custom objects do. Thread-safe.
 */
public final class SalesforceIds {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private static final Map<String, String> PREFIXES = Map.ofEntries(
            Map.entry("account", "001"),
            Map.entry("contact", "003"),
            Map.entry("lead", "00Q"),
            Map.entry("opportunity", "006"),
            Map.entry("case", "500"),
            Map.entry("task", "00T"),
            Map.entry("event", "00U"),
            Map.entry("user", "005"),
            Map.entry("recordtype", "012"),
            Map.entry("pushtopic", "0IF"),
            Map.entry("streamingchannel", "0M6"),
            Map.entry("campaign", "701"),
            Map.entry("organization", "00D"));

    private final AtomicLong counter = new AtomicLong(1);
    private final String instance;

    /** @param instance two characters standing for the org's pod, part of every ID */
    public SalesforceIds(String instance) {
        if (instance.length() != 2) {
            throw new IllegalArgumentException("instance must be two characters");
        }
        this.instance = instance;
    }

    /** The key prefix of an object type. Platform events ({@code __e}) share {@code e00}. */
    public static String prefixOf(String sobjectType) {
        String key = sobjectType.toLowerCase(Locale.ROOT);
        String known = PREFIXES.get(key);
        if (known != null) {
            return known;
        }
        if (key.endsWith("__e")) {
            return "e00";
        }
        int h = Math.floorMod(key.hashCode(), 62 * 62);
        return "a" + BASE62.charAt(h / 62) + BASE62.charAt(h % 62);
    }

    /** A new 18-character ID for a record of the given type. */
    public String next(String sobjectType) {
        return withChecksum(prefixOf(sobjectType) + instance + "0" + base62(counter.getAndIncrement(), 9));
    }

    /** The next value of the ID counter, for a snapshot. */
    public long counter() {
        return counter.get();
    }

    /** Continues numbering from a snapshot's counter, so restored and new IDs never collide. */
    public void restoreCounter(long next) {
        counter.accumulateAndGet(next, Math::max);
    }

    private static String base62(long value, int width) {
        char[] out = new char[width];
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    /** Appends the checksum suffix to a 15-character ID. */
    public static String withChecksum(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("not a 15-character ID: " + id15);
        }
        StringBuilder sb = new StringBuilder(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            sb.append(CHECKSUM.charAt(bits));
        }
        return sb.toString();
    }

    /** The 18-character form of a 15- or 18-character ID; anything else is returned unchanged. */
    public static String to18(String id) {
        if (id != null && id.length() == 15 && id.chars().allMatch(Character::isLetterOrDigit)) {
            return withChecksum(id);
        }
        return id;
    }
}
