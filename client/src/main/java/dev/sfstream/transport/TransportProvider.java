package dev.sfstream.transport;

/**
 * Serves a {@link Transport} by name, found with {@link java.util.ServiceLoader}: module sfstream-pubsub registers
 * {@code pubsub}, so the client talks the Pub/Sub API without depending on gRPC. Register an implementation in
 * {@code META-INF/services/dev.sfstream.transport.TransportProvider}.
 */
public interface TransportProvider {
    /** The name {@link Transport#named(String)} finds it by, in lower case. */
    String name();

    /** The transport, with its default settings. */
    Transport transport();

    /**
     * The transport with settings given as text, as a command line or a configuration file has them (for the Pub/Sub
     * API: {@code endpoint}, {@code tls}). A provider without such settings refuses any.
     *
     * @throws IllegalArgumentException naming a setting it does not know or a value it cannot use
     */
    default Transport transport(java.util.Map<String, String> settings) {
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("the " + name() + " transport takes no settings, got "
                    + settings.keySet());
        }
        return transport();
    }
}
