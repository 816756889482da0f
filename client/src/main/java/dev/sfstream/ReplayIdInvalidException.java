package dev.sfstream;

/**
 * Salesforce refused a replay ID (expired or unknown) and the client's {@code ReplayFallback} is {@code FAIL}.
 * Names the channel and the refused replay ID; the stored marker is left as it was.
 */
public final class ReplayIdInvalidException extends StreamingException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long replayId;

    public ReplayIdInvalidException(String channel, long replayId, String message) {
        super(message, null);
        this.channel = channel;
        this.replayId = replayId;
    }

    public String channel() {
        return channel;
    }

    public long replayId() {
        return replayId;
    }
}
