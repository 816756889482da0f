package dev.sfstream;

/**
 * The server could not be reached or kept answering with garbage for longer than the client's connection timeout,
 * or a single request failed where no retry is possible. The message says what was tried and for how long.
 */
public final class TransportException extends StreamingException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
