package dev.sfstream.replay;

import dev.sfstream.FencedException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Markers in memory only: lost when the process ends. The client's default. Its leases elect one active client
 * among clients of one JVM that share it (replicas in a test); their expiry follows this JVM's monotonic clock.
 * Thread-safe.
 */
public final class InMemoryReplayStore implements LeasedReplayStore {
    private final Map<String, ReplayMarker> markers = new ConcurrentHashMap<>();
    private final Map<String, Held> leases = new ConcurrentHashMap<>();

    /** A group's lease: its holder, epoch, and expiry in {@link System#nanoTime()}. */
    private record Held(String owner, long epoch, long expiresAt) {
        boolean expired() {
            return System.nanoTime() - expiresAt > 0;
        }
    }

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
    public synchronized Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl) {
        String key = key(namespace, group);
        Held held = leases.get(key);
        long expiresAt = System.nanoTime() + ttl.toNanos();
        if (held != null && held.owner().equals(owner)) {
            leases.put(key, new Held(owner, held.epoch(), expiresAt));
            return Optional.of(new Lease(namespace, group, owner, held.epoch()));
        }
        if (held != null && !held.expired()) {
            return Optional.empty();
        }
        long epoch = held == null ? 1 : held.epoch() + 1;
        leases.put(key, new Held(owner, epoch, expiresAt));
        return Optional.of(new Lease(namespace, group, owner, epoch));
    }

    @Override
    public synchronized Optional<Lease> renew(Lease lease, Duration ttl) {
        String key = key(lease.namespace(), lease.group());
        Held held = leases.get(key);
        if (held == null || held.epoch() != lease.epoch() || !held.owner().equals(lease.owner())) {
            return Optional.empty();
        }
        leases.put(key, new Held(lease.owner(), lease.epoch(), System.nanoTime() + ttl.toNanos()));
        return Optional.of(lease);
    }

    @Override
    public synchronized void release(Lease lease) {
        String key = key(lease.namespace(), lease.group());
        Held held = leases.get(key);
        if (held != null && held.epoch() == lease.epoch() && held.owner().equals(lease.owner())) {
            leases.put(key, new Held(held.owner(), held.epoch(), System.nanoTime()));
        }
    }

    @Override
    public synchronized boolean put(String namespace, String channel, ReplayMarker marker, Lease lease) {
        Held held = leases.get(key(lease.namespace(), lease.group()));
        if (held != null && held.epoch() > lease.epoch()) {
            throw new FencedException(lease.group(), lease.epoch(), "another replica of group " + lease.group()
                    + " took over (epoch " + held.epoch() + " after " + lease.epoch() + "): the marker of " + channel
                    + " was not written");
        }
        return put(namespace, channel, marker);
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
