package dev.sfstream.bayeux;

import java.io.IOException;

/**
 * A Bayeux request that got no usable answer: no connection, a timeout, an HTTP error status, a body that is not
 * Bayeux JSON or is too large. {@code status} is the HTTP status, or 0 when there was no response.
 */
final class TransportFailure extends IOException {
    private static final long serialVersionUID = 1L;

    final int status;

    TransportFailure(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }
}
