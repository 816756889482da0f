package dev.sfstream.replay;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Markers in memory only: lost when the process ends. The client's default. Thread-safe. */
public final class InMemoryReplayStore implements ReplayStore {
    private final Map<String, ReplayMarker> markers = new ConcurrentHashMap<>();

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        return Optional.ofNullable(markers.get(key(namespace, channel)));
    }

    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        boolean[] moved = {false};
        markers.compute(key(namespace, channel), (k, old) -> {
            if (marker.isAfter(old)) {
                moved[0] = true;
                return marker;
            }
            return old;
        });
        return moved[0];
    }

    @Override
    public boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        boolean[] moved = {false};
        markers.compute(key(namespace, channel), (k, old) -> {
            if (invalid.equals(old) || marker.isAfter(old)) {
                moved[0] = true;
                return marker;
            }
            return old;
        });
        return moved[0];
    }

    @Override
    public void flush() {
        // nothing to make durable
    }

    @Override
    public void close() {
        // nothing to release
    }

    private static String key(String namespace, String channel) {
        return namespace + '\u0000' + channel;
    }

    @Override
    public String toString() {
        return "InMemoryReplayStore[" + markers.size() + " markers]";
    }
}
