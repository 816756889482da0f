package dev.sfstream.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper of the client. Thread-safe once configured, as Jackson documents; every JSON read and
 * write of sfstream goes through it so that the mapping rules live in one place.
 */
public final class Json {
    /** Shared, configured once: unknown properties are ignored, as Salesforce adds fields over time. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }
}
