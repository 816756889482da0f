package dev.sfstream.redis;

import java.time.Duration;

/** The short duration form of the store's URI parameters and messages: {@code 0}, {@code 30s}, {@code 73h}, {@code 4d}. */
final class Durations {
    private Durations() {
    }

    /**
     * Reads {@code 0} or a whole number followed by {@code s}, {@code m}, {@code h} or {@code d}.
     *
     * @throws IllegalArgumentException naming the parameter and showing the forms it takes
     */
    static Duration parse(String value, String name) {
        String v = value.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be 0 or a duration such as 30s, 73h or 4d, got '" + value
                    + "'");
        }
    }

    /** The largest whole unit that shows the duration exactly: {@code 12h}, {@code 90m}, {@code 45s}. */
    static String show(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
