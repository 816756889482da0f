package dev.sfstream.replay;

import java.net.URI;

/**
 * Serves replay store URIs of a scheme, found with {@link java.util.ServiceLoader}: the Redis store of module
 * sfstream-redis registers one for {@code redis://} and {@code rediss://}, so the client opens a Redis store
 * without depending on it. Register an implementation in
 * {@code META-INF/services/dev.sfstream.replay.ReplayStoreProvider}.
 */
public interface ReplayStoreProvider {
    /** Whether this provider serves the URI's scheme. */
    boolean supports(URI uri);

    /** Opens a store for the URI. */
    ReplayStore open(URI uri);
}
