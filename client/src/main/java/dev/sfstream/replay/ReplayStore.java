package dev.sfstream.replay;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where replay markers are kept, one per channel under a namespace (an org ID, or a name the user picks, so two orgs
 * never share markers). A marker is put only after the consumer has finished with the event, and never moves
 * backwards: a put older than the stored marker is ignored.
 *
 * <p>Implementations: {@link #inMemory()}, {@link #file(Path)} (crash-safe, group-committed), and the Redis store
 * of module sfstream-redis; {@link #open(String)} chooses one from a URI. Implementations are thread-safe.
 */
public interface ReplayStore extends AutoCloseable {
    /** The marker of a channel, if one was put. */
    Optional<ReplayMarker> get(String namespace, String channel);

    /**
     * Stores a marker if it is later than the one stored.
     *
     * @return whether the stored marker moved
     */
    boolean put(String namespace, String channel, ReplayMarker marker);

    /**
     * Replaces a channel's marker whatever the order, if the stored one still is {@code invalid}: after Salesforce
     * refused a marker (an org refresh, a marker past retention), the events that follow may have lower replay IDs,
     * and the forward-only rule must not keep the refused marker forever. Stores should do this atomically; the
     * default falls back to {@link #put} (forward-only), which suits a store that cannot compare and set.
     *
     * @return whether the stored marker is now {@code marker}
     */
    default boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        return put(namespace, channel, marker);
    }

    /** Makes every put so far durable (a no-op for the in-memory store). */
    void flush();

    /** Flushes and releases the store (file lock, connections). */
    @Override
    void close();

    /** A store that lives as long as the process: markers are lost on restart. */
    static ReplayStore inMemory() {
        return new InMemoryReplayStore();
    }

    /** The crash-safe file store, with default settings (group commit every 100 ms). */
    static ReplayStore file(Path path) {
        return FileReplayStore.builder(path).build();
    }

    /**
     * A store from a location: a path or {@code file:...} for the file store, {@code memory:} for the in-memory store,
     * {@code redis://...} or {@code rediss://...} for the Redis store (module sfstream-redis on the classpath), or
     * any scheme a {@link ReplayStoreProvider} on the classpath serves.
     *
     * @throws IllegalArgumentException when no store serves the location, saying what to add
     */
    static ReplayStore open(String location) {
        return ReplayStores.open(location);
    }
}
