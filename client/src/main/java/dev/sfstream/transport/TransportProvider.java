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
}
