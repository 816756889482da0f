package dev.sfstream.redis;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The background half of the store: keeps the newest pending marker of each key and writes them to Redis,
 * pipelined, on a shared worker. When a write fails for a reason that may heal it keeps the markers and tries again
 * with capped backoff for as long as the store is open; when Redis refuses the credentials it stops, because
 * waiting does not fix a password. Attempts never overlap: {@link #writing} is held from the moment one is
 * scheduled until it ends, across the backoff delay.
 */
final class MarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisReplayStore.class);

    /**
     * The forward-only put, atomic inside Redis. ARGV: the position as a number (-1 when it has none: always
     * newer), created date, TTL in milliseconds (0: none), and the position's text when it is not that number (a
     * Pub/Sub replay ID), kept as a third part of the value; and the stored value a replacement may overwrite
     * whatever the order (a marker Salesforce refused), or ''; and the writer's lease epoch, or '' outside an
     * exclusive group. With an epoch, KEYS[2] is the group's epoch counter: when it is newer, nothing is written
     * and the script returns the newer epoch, negated (the fence, in the same script as the write). A SET
     * without PX also drops a TTL an earlier version of sfstream gave the key; a refused put with no TTL configured
     * drops it too, so that a kept marker does not expire behind the client's back.
     */
    static final String PUT_SCRIPT = """
            if ARGV[6] ~= '' and tonumber(redis.call('GET', KEYS[2]) or '0') > tonumber(ARGV[6]) then
              return -tonumber(redis.call('GET', KEYS[2]))
            end
            local current = redis.call('GET', KEYS[1])
            local ttl = tonumber(ARGV[3])
            if current then
              local id = tonumber(string.match(current, '^(%-?%d+)'))
              if current ~= ARGV[5] and id and tonumber(ARGV[1]) >= 0 and id >= tonumber(ARGV[1]) then
                if ttl == 0 then
                  redis.call('PERSIST', KEYS[1])
                end
                return 0
              end
            end
            local value = ARGV[1] .. '|' .. ARGV[2]
            if ARGV[4] ~= '' then
              value = value .. '|' .. ARGV[4]
            end
            if ttl > 0 then
              redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], value)
            end
            return 1
            """;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final RedisClient redis;
    private final String address;
    private final String ttlMillis;
    private final Duration retryFor;
    private final Outage outage;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Per namespace and group, the newest epoch this store has seen: a put with an older lease is fenced. */
    private final Map<String, Long> newestEpoch = new ConcurrentHashMap<>();
    /** Per key, the stored value a pending marker may replace whatever the order (a marker Salesforce refused). */
    private final Map<String, String> replacing = new ConcurrentHashMap<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Object progress = new Object();
    private final Backoff backoff = new Backoff(FIRST_RETRY, LONGEST_RETRY); // used by attempts only
    private volatile String scriptSha;
    private volatile ScheduledFuture<?> retry;
    private volatile ReplayStoreException refused;
    private volatile boolean stopped;

    /** A marker waiting to be written, with the lease of its writer (null outside an exclusive group). */
    record Pending(ReplayMarker marker, Lease lease) {
        long epoch() {
            return lease == null ? Long.MIN_VALUE : lease.epoch();
        }
    }

    MarkerWriter(RedisClient redis, String address, Duration ttl, Duration retryFor, String scriptSha) {
        this.redis = redis;
        this.address = address;
        this.ttlMillis = Long.toString(ttl.toMillis());
        this.retryFor = retryFor;
        this.outage = new Outage(address, retryFor);
        this.scriptSha = scriptSha;
    }

    /**
     * Keeps the marker for writing if it is later than the one pending for the key.
     *
     * @return whether it was kept
     */
    boolean offer(String key, ReplayMarker marker, Lease lease) {
        if (lease != null) {
            checkFence(lease, key);
        }
        Pending put = new Pending(marker, lease);
        Pending kept = pending.merge(key, put, (old, p) -> p.marker().isAfter(old.marker())
                || (!old.marker().isAfter(p.marker()) && p.epoch() > old.epoch()) ? p : old);
        if (kept != put) {
            return false;
        }
        schedule();
        return true;
    }

    /** Keeps the marker for writing over {@code invalid}, whatever the order of the two. */
    boolean offerReplacing(String key, ReplayMarker invalid, ReplayMarker marker) {
        replacing.put(key, value(invalid));
        pending.put(key, new Pending(marker, null));
        schedule();
        return true;
    }

    /** Throws when a newer epoch than the lease's is known for its group. */
    void checkFence(Lease lease, String key) {
        Long newest = newestEpoch.get(lease.namespace() + '\u0000' + lease.group());
        if (newest != null && newest > lease.epoch()) {
            throw RedisReplayStore.fenced(lease, newest, key);
        }
    }

    /**
     * The group now has {@code epoch} (a takeover, or a write refused by it): pending markers of older leases of
     * the group are dropped, and puts with them are fenced from now on.
     */
    void epochSeen(String namespace, String group, long epoch) {
        newestEpoch.merge(namespace + '\u0000' + group, epoch, Math::max);
        pending.entrySet().removeIf(e -> e.getValue().lease() != null
                && e.getValue().lease().namespace().equals(namespace) && e.getValue().lease().group().equals(group)
                && e.getValue().lease().epoch() < epoch);
    }

    /** A marker as the value of its key: {@code <number>|<createdDate>}, and {@code |<position>} for bytes. */
    static String value(ReplayMarker m) {
        String base = m.replayId() + "|" + m.createdDate();
        return m.position().isBytes() ? base + "|" + m.position().encode() : base;
    }

    Optional<ReplayMarker> pendingMarker(String key) {
        Pending p = pending.get(key);
        return p == null ? Optional.empty() : Optional.of(p.marker());
    }

    int pendingCount() {
        return pending.size();
    }

    Optional<Instant> failingSince() {
        return outage.since();
    }

    /** The refusal of the credentials, once Redis answered with one (it does not heal), to throw in the caller. */
    Optional<ReplayStoreException> refused() {
        ReplayStoreException r = refused;
        return r == null ? Optional.empty() : Optional.of(new ReplayStoreException(r.getMessage(), r.getCause()));
    }

    /**
     * Waits until every marker offered so far is in Redis, at most {@code retryFor}. A failed flush leaves the
     * markers pending and the retries going.
     *
     * @throws ReplayStoreException naming how many markers are not written, or the refusal of the credentials
     */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + retryFor.toNanos();
        retryNow();
        synchronized (progress) {
            while (!pending.isEmpty()) {
                Optional<ReplayStoreException> r = refused();
                if (r.isPresent()) {
                    throw r.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    int count = pending.size();
                    throw new ReplayStoreException(count + " replay marker(s) could not be written to Redis at "
                            + address + " within retryFor (" + retryFor.toSeconds() + " s)"
                            + outage.cause().map(c -> ": " + c).orElse("")
                            + "; they are kept in memory and retried while the store is open", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReplayStoreException("interrupted while flushing replay markers to Redis at " + address,
                            e);
                }
            }
        }
    }

    /** Stops the retries; markers still pending are not written. */
    void stop() {
        stopped = true;
        ScheduledFuture<?> r = retry;
        if (r != null) {
            r.cancel(false);
        }
    }

    /** Starts an attempt unless one is running or waiting for its retry. */
    private void schedule() {
        if (!stopped && refused == null && writing.compareAndSet(false, true)) {
            Shared.workers().execute(this::attempt);
        }
    }

    /** Runs at once a retry that is waiting for its backoff: a flush wants to know now. */
    private void retryNow() {
        ScheduledFuture<?> r = retry;
        if (r != null && r.cancel(false)) {
            Shared.workers().execute(this::attempt); // the cancelled retry held writing; this attempt takes it over
        } else {
            schedule();
        }
    }

    private void attempt() {
        if (stopped) {
            ended();
            return;
        }
        Map<String, Pending> batch = new HashMap<>(pending);
        try {
            if (!batch.isEmpty()) {
                send(batch);
                batch.forEach((k, m) -> {
                    if (pending.remove(k, m)) { // only where no later marker arrived meanwhile
                        replacing.remove(k);
                    }
                });
                outage.ended(batch.size());
            }
            backoff.reset();
        } catch (JedisException e) {
            if (stopped) {
                ended();
                return;
            }
            if (RedisFailure.of(e) == RedisFailure.CREDENTIALS) {
                ReplayStoreException r = RedisFailure.credentialsRefused(e, address);
                outage.refused(r.getMessage());
                refused = r;
                ended();
                return;
            }
            outage.failed(e, pending.size());
            // writing stays held across the delay, so that puts meanwhile do not start attempts of their own
            retry = Shared.timer().schedule(() -> Shared.workers().execute(this::attempt), backoff.next().toMillis(),
                    TimeUnit.MILLISECONDS);
            notifyProgress();
            return;
        }
        ended();
        if (!pending.isEmpty()) {
            schedule();
        }
    }

    private void ended() {
        writing.set(false);
        notifyProgress();
    }

    private void notifyProgress() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void send(Map<String, Pending> batch) {
        try {
            sendWith(scriptSha, batch);
        } catch (JedisNoScriptException e) {
            // Redis restarted and lost its script cache: load the script again and send once more
            String sha = redis.scriptLoad(PUT_SCRIPT);
            scriptSha = sha;
            sendWith(sha, batch);
        }
    }

    private void sendWith(String sha, Map<String, Pending> batch) {
        List<Map.Entry<String, Pending>> entries = new ArrayList<>(batch.entrySet());
        List<Response<Object>> responses = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Map.Entry<String, Pending> e : entries) {
                ReplayMarker m = e.getValue().marker();
                Lease lease = e.getValue().lease();
                String text = m.position().isBytes() ? m.position().encode() : "";
                List<String> keys = lease == null ? List.of(e.getKey())
                        : List.of(e.getKey(), RedisReplayStore.epochKey(lease.namespace(), lease.group()));
                responses.add(pipeline.evalsha(sha, keys, List.of(Long.toString(m.replayId()),
                        m.createdDate().toString(), ttlMillis, text, replacing.getOrDefault(e.getKey(), ""),
                        lease == null ? "" : Long.toString(lease.epoch()))));
            }
            pipeline.sync();
        }
        for (int i = 0; i < entries.size(); i++) {
            Object result = responses.get(i).get();
            Lease lease = entries.get(i).getValue().lease();
            if (lease != null && result instanceof Long n && n < 0) {
                epochSeen(lease.namespace(), lease.group(), -n);
                LOG.warn("sfstream: the replay marker of {} (group {}) was refused by Redis at {}: another replica "
                        + "took over (epoch {} after {}); it was not written", entries.get(i).getKey(), lease.group(),
                        address, -n, lease.epoch());
            }
        }
    }
}
