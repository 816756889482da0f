package dev.sfstream.emulator.internal;

import java.util.List;

/** One entry of a Salesforce REST error body: {@code {"message": ..., "errorCode": ..., "fields": [...]}}. */
public record ApiError(String errorCode, String message, List<String> fields) {
    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static ApiError of(String errorCode, String message) {
        return new ApiError(errorCode, message, List.of());
    }
}
