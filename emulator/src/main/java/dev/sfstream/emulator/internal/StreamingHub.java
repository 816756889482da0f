package dev.sfstream.emulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.LongFunction;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerSessionImpl;

/**
 * Where events are kept and handed to subscribed clients: one {@link ChannelLog} per channel, and for each
 * channel the client sessions subscribed to it, each with its own cursor.
 *
 * <p>Delivery is a pull from the log into the CometD session's queue ("pumping"), done under the session's lock:
 * when an event is published, when a client subscribes, and on every {@code /meta/connect}. So a client that
 * subscribes with a replay ID gets the retained events after it, then the live ones, in replay ID order, without
 * a gap or a duplicate even while events are being published. At most {@code batchSize} events wait in a session's
 * queue, so a long replay goes out as a series of connect responses rather than one huge one; and no more events
 * go out in a day than the org's {@link DeliveryAllocation} allows.
 *
 * <p>Events leave a log when they age out, when the channel holds more than its capacity, or when the org is over
 * its {@link RetentionBudget}, oldest first across the org.
 *
 * <p>Lock order: a session's lock, then a log's lock, then the budget's; a log's lock is never held while taking a
 * session's lock.
 */
public final class StreamingHub {
    private final Map<String, ChannelLog> logs = new ConcurrentHashMap<>();
    /** Subscribers by the log they read, for delivery of a new event; and by session, for its connects. */
    private final Map<String, Set<Subscriber>> byChannel = new ConcurrentHashMap<>();
    private final Map<ServerSession, List<Subscriber>> bySession = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final OrgClock clock;
    private final int batchSize;
    private final int capacity;
    private final RetentionBudget budget;
    private final DeliveryAllocation allocation;
    private final AvroEvents avro = new AvroEvents(new EventSchemas());
    private volatile BayeuxServer bayeux;
    private volatile java.util.function.Consumer<String> pubSub = channel -> { };

    public StreamingHub(OrgClock clock, int batchSize, int capacity, long retainedEventBytes, long dailyDeliveryLimit) {
        this.clock = clock;
        this.batchSize = batchSize;
        this.capacity = capacity;
        this.budget = new RetentionBudget(retainedEventBytes);
        this.allocation = new DeliveryAllocation(dailyDeliveryLimit, clock);
    }

    /** The org's daily delivery allocation, which every delivery draws on. */
    DeliveryAllocation allocation() {
        return allocation;
    }

    void attach(BayeuxServer bayeux) {
        this.bayeux = bayeux;
    }

    /** Retention by channel type: 72 hours for platform events and change events, 24 hours otherwise. */
    static Duration retentionOf(String channel) {
        return channel.startsWith("/event/") || channel.startsWith("/data/") ? Duration.ofHours(72)
                : Duration.ofHours(24);
    }

    ChannelLog log(String channel) {
        return logs.computeIfAbsent(channel, c -> new ChannelLog(c, retentionOf(c), capacity, budget, avro));
    }

    /** Whether a channel has a log: some event was published on it, or somebody subscribed to it. */
    boolean hasLog(String channel) {
        return logs.containsKey(channel);
    }

    /** The Pub/Sub API's encoding of the events, and the schemas of the event types. */
    AvroEvents avro() {
        return avro;
    }

    /** Who hears of new events of a channel besides the CometD subscribers: the Pub/Sub API's streams. */
    void onAppended(java.util.function.Consumer<String> listener) {
        this.pubSub = listener;
    }

    /**
     * Appends an event to a channel's log, then drops the org's oldest events while it is over its retention budget;
     * call {@link #pump(String)} once the caller's own locks are released.
     */
    RetainedEvent append(String channel, Instant at, LongFunction<Map<String, Object>> data,
            Map<String, Object> record, Set<String> userIds) {
        ChannelLog log = log(channel);
        RetainedEvent event = log.append(at, data, record, userIds);
        budget.trim(log, event.replayId);
        return event;
    }

    /**
     * Puts back a snapshot's channels: each one's replay ID counter and retained events, counted against the budget
     * oldest first across channels (by creation time), so that a smaller budget than the snapshot's drops the
     * oldest events. Called before the server starts.
     */
    void restore(Map<String, OrgSnapshot.LoadedChannel> channels) {
        record Restored(ChannelLog log, RetainedEvent event) {
        }
        List<Restored> all = new ArrayList<>();
        channels.forEach((name, c) -> {
            ChannelLog log = log(name);
            log.restore(c.lastReplayId(), c.events());
            c.events().forEach(e -> all.add(new Restored(log, e)));
        });
        all.sort(java.util.Comparator.comparing((Restored r) -> r.event().createdAt)
                .thenComparingLong(r -> r.event().replayId));
        all.forEach(r -> budget.added(r.log(), r.event()));
        budget.trim(null, 0);
    }

    /** Every channel log, by channel, for a snapshot. */
    Map<String, ChannelLog> logs() {
        return new java.util.TreeMap<>(logs);
    }

    /** Hands new events of a channel to every subscriber of it. */
    public void pump(String channel) {
        for (Subscriber s : byChannel.getOrDefault(channel, Set.of())) {
            pump(s);
        }
        pubSub.accept(channel);
    }

    /** Hands waiting events of every subscription of a session to it (on each {@code /meta/connect}). */
    void pumpSession(ServerSession session) {
        for (Subscriber s : bySession.getOrDefault(session, List.of())) {
            pump(s);
        }
    }

    /** Registers a subscription and hands it what it is owed at once. */
    void register(Subscriber subscriber) {
        bySession.computeIfAbsent(subscriber.session, k -> new CopyOnWriteArrayList<>()).add(subscriber);
        byChannel.computeIfAbsent(subscriber.logChannel, c -> ConcurrentHashMap.newKeySet()).add(subscriber);
        if (subscriber.session.isDisconnected()) {
            removeSession(subscriber.session); // it went away while subscribing
            return;
        }
        pump(subscriber);
    }

    /** Removes a session's subscription, as subscribed (filter included). */
    void unregister(ServerSession session, String subscription) {
        List<Subscriber> list = bySession.getOrDefault(session, List.of());
        for (Subscriber s : list) {
            if (s.subscription.equals(subscription)) {
                list.remove(s);
                forget(s);
            }
        }
    }

    /** Removes every subscription of a session. */
    void removeSession(ServerSession session) {
        List<Subscriber> list = bySession.remove(session);
        if (list != null) {
            list.forEach(this::forget);
        }
    }

    private void forget(Subscriber s) {
        Set<Subscriber> set = byChannel.get(s.logChannel);
        if (set != null) {
            set.remove(s);
        }
    }

    /** Whether any client session is subscribed to a channel (its log, filters included). */
    boolean hasSubscribers(String channel) {
        return !byChannel.getOrDefault(channel, Set.of()).isEmpty();
    }

    boolean isSubscribed(ServerSession session, String subscription) {
        for (Subscriber s : bySession.getOrDefault(session, List.of())) {
            if (s.subscription.equals(subscription)) {
                return true;
            }
        }
        return false;
    }

    private void pump(Subscriber s) {
        ServerSessionImpl session = s.session;
        ChannelLog log = log(s.logChannel);
        if (log.lastReplayId() <= s.cursor) {
            // Nothing new: the common case of a connect. The cursor only grows, so a stale read of it only sends
            // us down the locked path; an event appended after this read is pumped by its publisher.
            return;
        }
        Lock lock = session.getLock();
        lock.lock();
        try {
            if (session.isDisconnected()) {
                return;
            }
            int room = allocation.reserve(Math.max(0, batchSize - session.getQueue().size()));
            if (room <= 0) {
                return;
            }
            List<RetainedEvent> batch = new ArrayList<>();
            while (batch.size() < room) {
                List<RetainedEvent> next = log.after(s.cursor, room - batch.size(), clock.instant());
                if (next.isEmpty()) {
                    break;
                }
                for (RetainedEvent e : next) {
                    s.cursor = e.replayId;
                    if (s.accepts.test(e)) {
                        batch.add(e);
                    }
                }
            }
            allocation.release(room - batch.size());
            if (batch.isEmpty()) {
                return;
            }
            session.startBatch();
            try {
                for (RetainedEvent e : batch) {
                    session.deliver(null, e.message(bayeux, s.logChannel, s.subscription), Promise.noop());
                }
            } finally {
                session.endBatch();
            }
            deliveries.addAndGet(batch.size());
        } finally {
            lock.unlock();
        }
    }

    /** The users with a session subscribed to a channel. */
    Set<String> subscribedUsers(String channel) {
        Set<String> users = new java.util.HashSet<>();
        for (Subscriber s : byChannel.getOrDefault(channel, Set.of())) {
            Object user = s.session.getAttribute(ClientSessions.USER_ID);
            if (user != null) {
                users.add(user.toString());
            }
        }
        return users;
    }

    /** Events handed to clients since the emulator started. */
    public long deliveries() {
        return deliveries.get();
    }

    /** For {@code /emulator/status}: the retained events of the org, their bytes, and its retention budget. */
    public Map<String, Object> retention() {
        Instant now = clock.instant();
        logs.values().forEach(log -> log.size(now)); // let the events that aged out go first
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", budget.events());
        m.put("bytes", budget.bytes());
        m.put("maxBytes", budget.maxBytes());
        return m;
    }

    /** For {@code /emulator/status}: each channel's last replay ID, retained count and bytes, and subscribers. */
    public Map<String, Object> status() {
        Map<String, Object> channels = new LinkedHashMap<>();
        Instant now = clock.instant();
        new java.util.TreeMap<>(logs).forEach((name, log) -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("lastReplayId", log.lastReplayId());
            info.put("retained", log.size(now));
            info.put("retainedBytes", log.bytes(now));
            info.put("subscribers", byChannel.getOrDefault(name, Set.of()).size());
            channels.put(name, info);
        });
        byChannel.forEach((name, list) -> {
            if (!list.isEmpty() && !channels.containsKey(name)) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("lastReplayId", 0L);
                info.put("retained", 0);
                info.put("retainedBytes", 0L);
                info.put("subscribers", list.size());
                channels.put(name, info);
            }
        });
        return channels;
    }

    /** For {@code /emulator/status}: every subscription as {clientId, channel}. */
    public List<Map<String, Object>> subscriptions() {
        List<Map<String, Object>> out = new ArrayList<>();
        bySession.values().forEach(list -> list.forEach(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clientId", s.session.getId());
            m.put("channel", s.subscription);
            out.add(m);
        }));
        out.sort(java.util.Comparator.comparing((Map<String, Object> m) -> (String) m.get("channel"))
                .thenComparing(m -> (String) m.get("clientId")));
        return out;
    }
}
