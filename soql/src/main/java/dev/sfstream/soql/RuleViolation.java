package dev.sfstream.soql;

import java.util.List;
import java.util.Objects;

/**
 * One reason Salesforce refuses a PushTopic: its query, its name or another field, with Salesforce's error code and text.
 *
 * <p>{@link #toString()} gives the form Salesforce's documentation and Apex show, {@code INVALID_FIELD, 'LIMIT' is
 * not allowed}; a REST error body carries the three parts separately ({@code errorCode}, {@code message},
 * {@code fields}).
 *
 * @param errorCode Salesforce's code, such as {@code INVALID_FIELD} or {@code STRING_TOO_LONG}
 * @param message Salesforce's text
 * @param fields the PushTopic fields the error is about ({@code Query}, {@code Name}); may be empty
 */
public record RuleViolation(String errorCode, String message, List<String> fields) {
    public RuleViolation {
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(message, "message");
        fields = List.copyOf(fields);
    }

    @Override
    public String toString() {
        return errorCode + ", " + message;
    }
}
