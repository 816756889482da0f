package dev.sfstream.internal;

import java.time.Duration;

/** The setting checks every builder of sfstream shares, with messages that name the setting. */
public final class Checks {
    private Checks() {
    }

    /**
     * An API version such as {@code 64.0}.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static String apiVersion(String value) {
        if (value == null || !value.matches("\\d{2,3}\\.0")) {
            throw new IllegalArgumentException("apiVersion must look like 64.0, got '" + value + "'");
        }
        return value;
    }

    /**
     * A Streaming API version: {@code 64.0}, and 37.0 or later (durable streaming, replay IDs).
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static String streamingApiVersion(String value) {
        apiVersion(value);
        if (Double.parseDouble(value) < 37.0) {
            throw new IllegalArgumentException("apiVersion must be 37.0 or later (durable streaming), got " + value);
        }
        return value;
    }

    /**
     * A positive duration.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
        return value;
    }
}
