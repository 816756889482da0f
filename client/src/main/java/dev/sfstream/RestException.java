package dev.sfstream;

import java.util.List;

/**
 * A Salesforce REST call was refused. Carries the HTTP status and Salesforce's first error: {@code errorCode}
 * (such as {@code INVALID_FIELD} or {@code DUPLICATE_VALUE}), {@code message} and {@code fields}, and every error of
 * the body.
 */
public final class RestException extends StreamingException {
    private static final long serialVersionUID = 1L;

    /** One error of a REST error body. */
    public record Error(String errorCode, String message, List<String> fields) {
        public Error {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }
    }

    private final int status;
    private final transient List<Error> errors;

    public RestException(int status, List<Error> errors, String context) {
        super(describe(status, errors, context), null);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    private static String describe(int status, List<Error> errors, String context) {
        if (errors.isEmpty()) {
            return context + ": HTTP " + status;
        }
        StringBuilder text = new StringBuilder(context).append(": ");
        for (int i = 0; i < errors.size(); i++) {
            Error e = errors.get(i);
            text.append(i == 0 ? "" : "; ").append(e.errorCode()).append(", ").append(e.message());
        }
        return text.toString();
    }

    public int status() {
        return status;
    }

    public List<Error> errors() {
        return errors;
    }

    /** The first error's code, or {@code null}. */
    public String errorCode() {
        return errors.isEmpty() ? null : errors.get(0).errorCode();
    }

    /**
     * The first error's {@code message} as Salesforce wrote it, or {@code null}. ({@link #getMessage()} adds the
     * call and the error code around it.)
     */
    public String message() {
        return errors.isEmpty() ? null : errors.get(0).message();
    }

    /** The first error's fields. */
    public List<String> fields() {
        return errors.isEmpty() ? List.of() : errors.get(0).fields();
    }
}
