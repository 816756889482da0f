package dev.sfstream;

import java.util.Objects;

/**
 * A confirmed subscription. {@link #close()} unsubscribes. Thread-safe.
 */
public final class Subscription implements AutoCloseable {
    private final StreamingClient client;
    private final ChannelName channel;

    Subscription(StreamingClient client, ChannelName channel) {
        this.client = Objects.requireNonNull(client);
        this.channel = Objects.requireNonNull(channel);
    }

    /** The channel, as subscribed. */
    public String channel() {
        return channel.value();
    }

    /** The channel's family. */
    public ChannelName.Kind kind() {
        return channel.kind();
    }

    /** Unsubscribes (waiting at most the client's request timeout for Salesforce's answer). */
    @Override
    public void close() {
        client.unsubscribe(channel.value());
    }

    @Override
    public String toString() {
        return "Subscription[" + channel + "]";
    }

}
