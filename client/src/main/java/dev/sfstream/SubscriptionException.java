package dev.sfstream;

/**
 * A channel could not be subscribed: it does not exist, the user may not read it, a filter names an unknown field.
 * Names the channel and carries Salesforce's error text.
 */
public final class SubscriptionException extends StreamingException {
    private static final long serialVersionUID = 1L;

    private final String channel;

    public SubscriptionException(String channel, String message, Throwable cause) {
        super(message, cause);
        this.channel = channel;
    }

    public String channel() {
        return channel;
    }
}
