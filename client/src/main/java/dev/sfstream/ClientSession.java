package dev.sfstream;

import dev.sfstream.internal.Futures;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client's connection through its transport and its subscriptions, kept consistent between delivery (where
 * events go), replay starts (the marker read on the subscriber's thread) and the transport session. A subscribe
 * that fails leaves nothing behind.
 *
 * <p>In an exclusive group the session exists only while this client holds the group's lease: as a standby it has
 * none and subscriptions are only recorded; on takeover a new session opens and every recorded channel starts from
 * its stored marker (another replica moved it meanwhile); on a lost lease the session closes, what was in flight is
 * dropped uncommitted, consumers are told with a {@link FencedException}, and the client waits again.
 */
final class ClientSession {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamingClient.class);
    private final Transport transport;
    private final ClientSettings settings;
    private final Delivery delivery;
    private final ReplayStarts starts;
    private final ConnectionReports reports;
    private final ObserverCalls observer;
    private final Exclusivity exclusivity;
    private final Map<String, Requested> requested = new LinkedHashMap<>();
    private volatile TransportSession session;
    private volatile long fetchesBefore;

    /** A subscription the application asked for: kept to subscribe it again after a takeover. */
    private record Requested(ChannelName name, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
    }

    ClientSession(ClientSettings settings, Delivery delivery, ReplayStarts starts, ConnectionReports reports,
            ObserverCalls observer, LeasedReplayStore leasedStore) {
        this.transport = settings.transport();
        this.settings = settings;
        this.delivery = delivery;
        this.starts = starts;
        this.reports = reports;
        this.observer = observer;
        this.exclusivity = settings.exclusiveGroup() == null ? null : new Exclusivity(leasedStore,
                settings.exclusiveGroup(), settings.leaseTtl(), new Takeovers());
        if (exclusivity != null) {
            delivery.onFenced(exclusivity::fenced);
        }
    }

    /** Connects, or (in an exclusive group whose lease another replica holds) waits as a standby. */
    void open(String namespace, String instanceUrl) {
        if (exclusivity != null && !exclusivity.start(namespace)) {
            reports.state(ConnectionState.STANDBY, "another replica of group " + exclusivity.group() + " is active");
            observer.stateChanged(ConnectionState.STANDBY, "standby");
            return;
        }
        exclusivity().ifPresent(delivery::lease);
        openSession(instanceUrl);
    }

    /** The lease this client holds now, if it is the active replica of an exclusive group. */
    java.util.Optional<Lease> lease() {
        return exclusivity();
    }

    private java.util.Optional<Lease> exclusivity() {
        return exclusivity == null ? java.util.Optional.empty() : exclusivity.lease();
    }

    private void openSession(String where) {
        CurrentOnly listener = new CurrentOnly(new ClientSessionListener(delivery, starts, reports, observer));
        TransportSession s = transport.newSession(settings.transportContext(listener));
        listener.mine = s;
        session = s;
        Futures.await(s.open(), settings.openTimeout(), "opening the connection to " + where);
    }

    /** Subscribes, its events to {@code listener} (or to the pull queue when null); returns once confirmed. */
    void subscribe(ChannelName name, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
        transport.checkChannel(name);
        synchronized (requested) {
            requested.put(name.value(), new Requested(name, whenNoMarker, listener));
        }
        TransportSession s = session;
        delivery.route(name.value(), listener);
        if (s == null && exclusivity != null) {
            return; // a standby: subscribed on takeover
        }
        try {
            starts.load(name, whenNoMarker);
            Futures.await(s.subscribe(name), settings.subscribeTimeout(), "subscribing to " + name);
        } catch (RuntimeException e) {
            // The session must not keep (and later confirm) a subscription nobody consumes.
            synchronized (requested) {
                requested.remove(name.value());
            }
            delivery.discard(name.value());
            s.unsubscribe(name.value());
            throw e;
        }
    }

    void unsubscribe(String channel) {
        synchronized (requested) {
            requested.remove(channel);
        }
        TransportSession s = session;
        if (s != null) {
            Futures.await(s.unsubscribe(channel), settings.requestTimeout().plus(Duration.ofSeconds(1)),
                    "unsubscribing from " + channel);
        }
        delivery.discard(channel);
    }

    List<String> list() {
        TransportSession s = session;
        if (s == null) {
            synchronized (requested) {
                return new ArrayList<>(requested.keySet());
            }
        }
        return Futures.await(s.subscriptions(), settings.requestTimeout(), "listing subscriptions");
    }

    long fetches() {
        TransportSession s = session;
        return fetchesBefore + (s == null ? 0 : s.fetches());
    }

    void resume() {
        TransportSession s = session;
        if (s != null) {
            s.resume();
        }
    }

    /**
     * Stops fetching, lets running and queued listeners finish (up to the close timeout), disconnects, writes the
     * store (closing it when {@code ownsStore}) and, last, gives an exclusive group's lease up so that a standby
     * takes over at once. Commits nothing the consumer did not finish.
     */
    void shutdown(dev.sfstream.replay.ReplayStore store, boolean ownsStore) {
        TransportSession s = session;
        if (s != null) {
            Futures.awaitQuietly(s.close(), settings.closeTimeout(), "disconnecting");
        }
        try {
            if (!delivery.awaitListeners(settings.closeTimeout())) {
                LOG.warn("sfstream: listeners still running after {} s; closing anyway (what they finish from now "
                        + "on is committed only if the store still takes it)", settings.closeTimeout().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
        try {
            if (ownsStore) {
                store.close();
            } else {
                store.flush();
            }
        } finally {
            if (exclusivity != null) {
                exclusivity.stop();
            }
            reports.state(ConnectionState.CLOSED, "closed");
        }
    }

    private List<Requested> requested() {
        synchronized (requested) {
            return new ArrayList<>(requested.values());
        }
    }

    /** What happens when this client takes the lease, and when it loses it. */
    private final class Takeovers implements Exclusivity.Listener {
        @Override
        public void active(Lease lease) {
            delivery.lease(lease);
            try {
                openSession("take over group " + lease.group());
                for (Requested r : requested()) {
                    delivery.discard(r.name().value()); // start from the stored marker, not from what was here
                    delivery.route(r.name().value(), r.listener());
                    starts.load(r.name(), r.whenNoMarker());
                    Futures.await(session.subscribe(r.name()), settings.subscribeTimeout(), "subscribing to "
                            + r.name());
                }
            } catch (StreamingException e) {
                reports.error(e);
            }
        }

        @Override
        public void lost(FencedException reason) {
            delivery.lease(null);
            TransportSession s = session;
            session = null;
            if (s != null) {
                fetchesBefore += s.fetches();
                s.close();
            }
            boolean pulling = false;
            for (Requested r : requested()) {
                delivery.discard(r.name().value());
                pulling |= r.listener() == null;
            }
            if (pulling) {
                delivery.lostAll(reason);
            }
            reports.error(reason);
            reports.state(ConnectionState.STANDBY, reason.getMessage());
            observer.stateChanged(ConnectionState.STANDBY, reason.getMessage());
        }
    }

    /** Passes on what a session says only while it is the client's current one: a closed one is past. */
    private final class CurrentOnly implements dev.sfstream.transport.SessionListener {
        private final ClientSessionListener target;
        private volatile TransportSession mine;

        CurrentOnly(ClientSessionListener target) {
            this.target = target;
        }

        private boolean current() {
            return mine == session;
        }

        @Override
        public void onEvents(List<StreamingEvent> events) {
            if (current()) {
                target.onEvents(events);
            }
        }

        @Override
        public void onStateChanged(ConnectionState state, String reason) {
            if (current()) {
                target.onStateChanged(state, reason);
            }
        }

        @Override
        public ReplayFrom replayStart(ChannelName channel) {
            return target.replayStart(channel);
        }

        @Override
        public void onReplayRefused(ChannelName channel, ReplayFrom refused) {
            target.onReplayRefused(channel, refused);
        }

        @Override
        public void onSubscribed(ChannelName channel, ReplayFrom sent, java.time.Instant serverTime) {
            target.onSubscribed(channel, sent, serverTime);
        }

        @Override
        public void onSubscriptionLost(ChannelName channel, StreamingException error) {
            if (current()) {
                target.onSubscriptionLost(channel, error);
            }
        }

        @Override
        public void onTokenRenewed() {
            target.onTokenRenewed();
        }

        @Override
        public void onFatal(StreamingException error) {
            if (current()) {
                target.onFatal(error);
            }
        }

        @Override
        public boolean hasRoom() {
            return target.hasRoom();
        }
    }
}
