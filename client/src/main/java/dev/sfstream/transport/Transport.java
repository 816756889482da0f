package dev.sfstream.transport;

import dev.sfstream.ChannelName;
import dev.sfstream.bayeux.BayeuxTransport;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * An API that brings events: {@link #bayeux()} (the Streaming API, the default) or one found by name through
 * {@link TransportProvider}s on the classpath, such as {@code "pubsub"} (module sfstream-pubsub). Immutable and
 * thread-safe; one transport may serve many clients.
 */
public interface Transport {
    /** The transport's name: {@code bayeux}, {@code pubsub}. */
    String name();

    /**
     * Refuses a channel this API does not serve, saying where it is served.
     *
     * @throws IllegalArgumentException naming the channel and what to use instead
     */
    void checkChannel(ChannelName channel);

    /** A new session for one client (not yet open). */
    TransportSession newSession(TransportContext context);

    /** The Streaming API over Bayeux long-polling, with the client's settings: the default transport. */
    static Transport bayeux() {
        return BayeuxTransport.DEFAULT;
    }

    /**
     * The transport of that name: {@code bayeux}, or one a {@link TransportProvider} on the classpath serves.
     *
     * @throws IllegalArgumentException when none serves the name, saying which module to add
     */
    static Transport named(String name) {
        return named(name, java.util.Map.of());
    }

    /**
     * The transport of that name with settings given as text (see {@link TransportProvider#transport(java.util.Map)}).
     *
     * @throws IllegalArgumentException when none serves the name, or a setting is not understood
     */
    static Transport named(String name, java.util.Map<String, String> settings) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("bayeux") || wanted.equals("cometd") || wanted.equals("streaming")) {
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException("the Streaming API transport takes no settings, got "
                        + settings.keySet());
            }
            return bayeux();
        }
        for (TransportProvider provider : ServiceLoader.load(TransportProvider.class)) {
            if (provider.name().equals(wanted)) {
                return provider.transport(settings);
            }
        }
        throw new IllegalArgumentException("no transport named '" + name + "'"
                + (wanted.equals("pubsub") ? ": add the sfstream-pubsub module to the classpath" : "")
                + "; known here: bayeux" + providersSuffix());
    }

    private static String providersSuffix() {
        StringBuilder names = new StringBuilder();
        for (TransportProvider provider : ServiceLoader.load(TransportProvider.class)) {
            names.append(", ").append(provider.name());
        }
        return names.toString();
    }
}
