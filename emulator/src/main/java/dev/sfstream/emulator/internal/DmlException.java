package dev.sfstream.emulator.internal;

import java.util.List;

/** A refused REST operation: the HTTP status and the errors Salesforce puts in the body. */
public final class DmlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<ApiError> errors;

    public DmlException(int status, List<ApiError> errors) {
        super(errors.isEmpty() ? "error " + status : errors.get(0).errorCode() + ": " + errors.get(0).message());
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public DmlException(int status, String errorCode, String message) {
        this(status, List.of(ApiError.of(errorCode, message)));
    }

    public int status() {
        return status;
    }

    public List<ApiError> errors() {
        return errors;
    }
}
