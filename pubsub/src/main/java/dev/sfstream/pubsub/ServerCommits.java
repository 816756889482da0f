package dev.sfstream.pubsub;

import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replay store of a client of managed subscriptions: Salesforce keeps a managed subscription's replay ID, so a
 * commit on a managed channel goes to the server over the subscription's stream (a {@code CommitReplayRequest}),
 * and {@link #get} has nothing to say (the server decides where the subscription restarts). Other channels' markers go
 * to the store it wraps. Thread-safe.
 */
final class ServerCommits implements ReplayStore {
    private final PubSubTransport transport;
    private final ReplayStore others;
    private final Map<String, ReplayPosition> committed = new ConcurrentHashMap<>();

    ServerCommits(PubSubTransport transport, ReplayStore others) {
        this.transport = transport;
        this.others = others;
    }

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        if (transport.managed(channel) == null) {
            return others.get(namespace, channel);
        }
        transport.managedCommits.wired(channel);
        return Optional.empty();
    }

    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        if (transport.managed(channel) == null) {
            return others.put(namespace, channel, marker);
        }
        ReplayPosition p = marker.position();
        ReplayPosition before = committed.get(channel);
        if (before != null && !p.isAfter(before)) {
            return false;
        }
        committed.merge(channel, p, (a, b) -> b.isAfter(a) ? b : a);
        transport.managedCommits.commit(channel, p);
        return true;
    }

    @Override
    public boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        return transport.managed(channel) == null ? others.replace(namespace, channel, invalid, marker)
                : put(namespace, channel, marker);
    }

    @Override
    public void flush() {
        others.flush();
    }

    @Override
    public void close() {
        others.close();
    }

    @Override
    public String toString() {
        return "ServerCommits[managed channels: Salesforce; others: " + others + "]";
    }

    /**
     * Which subscription of the transport currently streams each managed channel (a managed subscription has one
     * active stream at a time), the commits waiting for one, and which channels a client reads through a
     * {@link ServerCommits} store. Thread-safe.
     */
    static final class Registry {
        private final Map<String, TopicSubscription> active = new ConcurrentHashMap<>();
        private final Map<String, ReplayPosition> waiting = new ConcurrentHashMap<>();
        private final Set<String> wired = ConcurrentHashMap.newKeySet();

        void wired(String channel) {
            wired.add(channel);
        }

        /** Whether a client read the channel through a {@link ServerCommits} store: its commits reach the server. */
        boolean isWired(String channel) {
            return wired.contains(channel);
        }

        void activate(String channel, TopicSubscription subscription) {
            active.put(channel, subscription);
        }

        void deactivate(String channel, TopicSubscription subscription) {
            active.remove(channel, subscription);
        }

        /** A commit: to the active subscription, or kept until one is active. */
        void commit(String channel, ReplayPosition position) {
            TopicSubscription s = active.get(channel);
            if (s != null) {
                s.commit(position);
            } else {
                keep(channel, position);
            }
        }

        /** Keeps a commit no subscription could send. */
        void keep(String channel, ReplayPosition position) {
            waiting.merge(channel, position, (a, b) -> b.isAfter(a) ? b : a);
        }

        /** The commit waiting for the channel's next stream, if any. */
        ReplayPosition takeWaiting(String channel) {
            return waiting.remove(channel);
        }
    }
}
