package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The two datetime formats on Salesforce's wire, kept in one place. */
public final class SalesforceTime {
    /** Record fields over REST: {@code 2024-05-16T10:00:00.000+0000}. */
    private static final DateTimeFormatter RECORD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);
    /** Streaming {@code createdDate} since API 37.0: {@code 2016-03-29T16:40:08.208Z}. */
    private static final DateTimeFormatter EVENT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SalesforceTime() {
    }

    public static String record(Instant at) {
        return RECORD.format(at);
    }

    public static String event(Instant at) {
        return EVENT.format(at);
    }
}
