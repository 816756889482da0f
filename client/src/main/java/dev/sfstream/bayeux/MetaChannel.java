package dev.sfstream.bayeux;

/** The Bayeux meta channels the Streaming API uses: handshake, connect, subscribe, unsubscribe, disconnect. */
public final class MetaChannel {
    public static final String HANDSHAKE = "/meta/handshake";
    public static final String CONNECT = "/meta/connect";
    public static final String SUBSCRIBE = "/meta/subscribe";
    public static final String UNSUBSCRIBE = "/meta/unsubscribe";
    public static final String DISCONNECT = "/meta/disconnect";

    private MetaChannel() {
    }

    /** Whether a channel is a meta channel. */
    public static boolean isMeta(String channel) {
        return channel != null && channel.startsWith("/meta/");
    }
}
