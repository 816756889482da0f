package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The datetime formats on Salesforce's wire, kept in one place. */
public final class SalesforceTime {
    /** Record fields over REST: {@code 2024-05-16T10:00:00.000+0000}. */
    private static final DateTimeFormatter RECORD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);
    /** Streaming {@code createdDate} since API 37.0: {@code 2016-03-29T16:40:08.208Z}. */
    private static final DateTimeFormatter EVENT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Datetime fields of a change event over CometD, seconds and no fraction: {@code 2017-07-25T19:16:44Z}. */
    private static final DateTimeFormatter CHANGE_EVENT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private SalesforceTime() {
    }

    /** Reads a datetime written by {@link #record(Instant)}. */
    public static Instant parseRecord(String value) {
        return RECORD.parse(value, Instant::from);
    }

    /** A datetime as a change event's payload writes it. */
    public static String changeEvent(Instant at) {
        return CHANGE_EVENT.format(at);
    }

    public static String record(Instant at) {
        return RECORD.format(at);
    }

    public static String event(Instant at) {
        return EVENT.format(at);
    }
}
