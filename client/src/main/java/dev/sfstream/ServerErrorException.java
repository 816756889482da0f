package dev.sfstream;

import dev.sfstream.bayeux.BayeuxError;

/**
 * The Streaming API answered with an error the client does not heal from by itself, such as
 * {@code 403::Organization concurrent user limit exceeded} during {@code open()}. Carries the parsed Bayeux error
 * ({@code code}, {@code args}, {@code text}) and the channel it concerns.
 */
public final class ServerErrorException extends StreamingException {
    private static final long serialVersionUID = 1L;

    private final transient BayeuxError error;
    private final String channel;

    public ServerErrorException(String channel, BayeuxError error, String message) {
        super(message, null);
        this.channel = channel;
        this.error = error;
    }

    /** The Bayeux error, as Salesforce sent it. */
    public BayeuxError error() {
        return error;
    }

    /** The meta channel or subscription the error answered. */
    public String channel() {
        return channel;
    }
}
