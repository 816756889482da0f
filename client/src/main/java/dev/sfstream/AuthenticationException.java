package dev.sfstream;

/**
 * Salesforce refused to authenticate: bad credentials, a revoked refresh token, a disabled flow. Carries
 * Salesforce's OAuth {@code error} and {@code error_description} (such as {@code invalid_grant} /
 * {@code authentication failure}), never the secret that was sent.
 */
public final class AuthenticationException extends StreamingException {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final String errorDescription;
    private final int httpStatus;

    public AuthenticationException(String error, String errorDescription, int httpStatus, String message) {
        super(message, null);
        this.error = error;
        this.errorDescription = errorDescription;
        this.httpStatus = httpStatus;
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
        this.error = null;
        this.errorDescription = null;
        this.httpStatus = 0;
    }

    /** Salesforce's OAuth {@code error}, such as {@code invalid_grant}; {@code null} when there was none. */
    public String error() {
        return error;
    }

    /** Salesforce's {@code error_description}, such as {@code authentication failure}. */
    public String errorDescription() {
        return errorDescription;
    }

    /** The HTTP status of the token response; 0 when no response came. */
    public int httpStatus() {
        return httpStatus;
    }
}
