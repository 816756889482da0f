package dev.sfstream.emulator.internal;

import java.util.List;
import java.util.Map;

/**
 * Salesforce's limits on how much one request may make the org keep, each with the error Salesforce answers, so that
 * no client can fill the emulator's heap one request at a time. The CometD endpoint's own limit (32,768 bytes) is
 * enforced in front of it, by {@link RequestLimitFilter}; the retained events as a whole are bounded by
 * {@link RetentionBudget}.
 */
final class SizeLimits {
    /** A platform event's payload: "the maximum event message size that you can publish is 1 MB", 1,048,576 bytes. */
    static final int PLATFORM_EVENT_BYTES = 1_048_576;
    /** A generic push event's {@code payload}: at most 3,000 characters (Streaming Channel Push REST API). */
    static final int GENERIC_PAYLOAD_CHARS = 3_000;
    /** The longest text field Salesforce has, a Long Text Area: 131,072 characters. */
    static final int LONG_TEXT_AREA_CHARS = 131_072;
    /**
     * A REST request body. Salesforce takes up to 50 MB of text, for blob fields the emulator does not have; nothing
     * it keeps needs more than a 1 MB platform event or a record of 1.6 million characters of long text (an object's
     * total), so 2 MiB leaves room for JSON syntax around either.
     */
    static final int REST_BODY_BYTES = 2 * 1024 * 1024;
    /** How much of a refused value the {@code STRING_TOO_LONG} message repeats. */
    private static final int SHOWN_CHARS = 255;

    private SizeLimits() {
    }

    /**
     * Refuses a text value longer than a Long Text Area, as Salesforce refuses a value too large for its field:
     * {@code STRING_TOO_LONG}, {@code <field>: data value too large: <value> (max length=131072)}.
     */
    static void checkFieldValue(String field, Object value) {
        if (value instanceof CharSequence text && text.length() > LONG_TEXT_AREA_CHARS) {
            String shown = text.length() > SHOWN_CHARS ? text.subSequence(0, SHOWN_CHARS) + "..." : text.toString();
            throw new DmlException(400, List.of(new ApiError("STRING_TOO_LONG", field + ": data value too large: "
                    + shown + " (max length=" + LONG_TEXT_AREA_CHARS + ")", List.of(field))));
        }
    }

    /**
     * Refuses a platform event whose payload, as JSON, is over 1 MB, with the error Salesforce's publish result
     * carries: {@code PAYLOAD_SIZE_EXCEEDED}, "The event payload size of N bytes exceeds the maximum allowed size of
     * 1048576 bytes".
     */
    static void checkPlatformEvent(Map<String, Object> payload) {
        long size = Json.sizeOf(payload);
        if (size > PLATFORM_EVENT_BYTES) {
            throw new DmlException(400, "PAYLOAD_SIZE_EXCEEDED", "The event payload size of " + size
                    + " bytes exceeds the maximum allowed size of " + PLATFORM_EVENT_BYTES + " bytes");
        }
    }

    /** Refuses a generic push payload over 3,000 characters. */
    static void checkGenericPayload(String payload) {
        if (payload.length() > GENERIC_PAYLOAD_CHARS) {
            throw new DmlException(400, "STRING_TOO_LONG", "payload: data value too large (max length="
                    + GENERIC_PAYLOAD_CHARS + ")");
        }
    }

    /** The answer to a REST body over {@link #REST_BODY_BYTES}: HTTP 413, {@code EXCEEDED_MAX_SIZE_REQUEST}. */
    static DmlException restBodyTooLarge() {
        return new DmlException(413, "EXCEEDED_MAX_SIZE_REQUEST", "The size of the request body exceeded "
                + REST_BODY_BYTES + " bytes");
    }
}
