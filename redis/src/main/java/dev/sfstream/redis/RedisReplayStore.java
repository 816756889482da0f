package dev.sfstream.redis;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * Replay markers in Redis, so that several processes (a service's instances taking turns, a consumer that moves
 * between hosts) share where a channel stands.
 *
 * <ul>
 *   <li>Keys are {@code sfstream:replay:{namespace}:{channel}}; the value is {@code <replayId>|<createdDate>}.</li>
 *   <li>The forward-only rule runs inside Redis, in one Lua script: a marker older than the stored one never
 *       replaces it, whichever process sends it.</li>
 *   <li>Each put refreshes a TTL (12 hours by default: Salesforce's retention runs shorter in practice than the
 *       24 hours it promises, and a marker past retention is no use).</li>
 *   <li>Commits never block delivery: a put records the marker and a background writer sends the latest marker of
 *       each key, pipelined. When Redis is away the writer retries with backoff and the client keeps delivering;
 *       if Redis stays away longer than {@code retryFor} (60 s by default), puts and {@link #flush()} throw a
 *       {@link ReplayStoreException}.</li>
 * </ul>
 * Thread-safe. Messages and {@link #toString()} show the Redis address without its password.
 */
public final class RedisReplayStore implements ReplayStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisReplayStore.class);
    static final String KEY_PREFIX = "sfstream:replay:";
    static final String PUT_SCRIPT = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local id = tonumber(string.match(current, '^(%-?%d+)'))
              if id and id >= tonumber(ARGV[1]) then
                return 0
              end
            end
            if tonumber(ARGV[3]) > 0 then
              redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
            end
            return 1
            """;

    private final RedisClient redis;
    private final String address;
    private final Duration ttl;
    private final Duration retryFor;
    private final Map<String, ReplayMarker> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Object flushed = new Object();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private volatile String scriptSha;
    private volatile Instant failingSince;
    private volatile ReplayStoreException failure;
    private volatile boolean closed;

    private RedisReplayStore(Builder b) {
        this.address = redact(b.uri);
        this.ttl = b.ttl;
        this.retryFor = b.retryFor;
        try {
            this.redis = RedisClient.create(b.uri);
        } catch (JedisException | IllegalArgumentException e) {
            throw new ReplayStoreException("cannot use the Redis replay store at " + address + ": " + e.getMessage(),
                    e);
        }
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        String key = key(namespace, channel);
        ReplayMarker local = pending.get(key);
        String value = withRetry("read the marker of " + channel, () -> redis.get(key));
        ReplayMarker stored = value == null ? null : parse(key, value);
        if (local != null && local.isAfter(stored)) {
            return Optional.of(local);
        }
        return Optional.ofNullable(stored);
    }

    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        ReplayStoreException f = failure;
        if (f != null) {
            throw f;
        }
        if (closed) {
            throw new ReplayStoreException("the Redis replay store at " + address + " is closed", null);
        }
        ReplayMarker kept = pending.merge(key(namespace, channel), marker, (old, m) -> m.isAfter(old) ? m : old);
        if (kept != marker) {
            return false;
        }
        scheduleWrite(Duration.ZERO);
        return true; // accepted for writing; the script in Redis still refuses it if another process went further
    }

    @Override
    public void flush() {
        long deadline = System.nanoTime() + retryFor.plusSeconds(1).toNanos();
        scheduleWrite(Duration.ZERO);
        synchronized (flushed) {
            while (!pending.isEmpty() || writing.get()) {
                ReplayStoreException f = failure;
                if (f != null) {
                    throw f;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ReplayStoreException("could not write replay markers to Redis at " + address
                            + " within " + retryFor.toSeconds() + " s", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(flushed, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReplayStoreException("interrupted while flushing replay markers to Redis", e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (failure == null) {
                flush();
            }
        } finally {
            closed = true;
            redis.close();
        }
    }

    private void scheduleWrite(Duration delay) {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        if (delay.isZero()) {
            Shared.workers().execute(this::write);
        } else {
            Shared.timer().schedule(() -> Shared.workers().execute(this::write), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Sends the pending markers, pipelined; on failure keeps them and retries with backoff. */
    private void write() {
        Map<String, ReplayMarker> batch = new java.util.HashMap<>(pending);
        try {
            if (!batch.isEmpty()) {
                send(batch);
                batch.forEach((k, m) -> pending.remove(k, m));
            }
            failingSince = null;
            backoff.reset();
        } catch (JedisException e) {
            Instant now = Instant.now();
            if (failingSince == null) {
                failingSince = now;
                LOG.warn("sfstream: Redis replay store at {} is unreachable ({}); retrying, delivery goes on",
                        address, e.getMessage());
            }
            if (Duration.between(failingSince, now).compareTo(retryFor) > 0) {
                failure = new ReplayStoreException("the Redis replay store at " + address + " has been unreachable "
                        + "for more than " + retryFor.toSeconds() + " s: " + e.getMessage(), e);
                LOG.error("sfstream: {}", failure.getMessage());
                finishWrite();
                return;
            }
            writing.set(false);
            scheduleWrite(backoff.next());
            return;
        }
        finishWrite();
        if (!pending.isEmpty()) {
            scheduleWrite(Duration.ZERO);
        }
    }

    private void finishWrite() {
        writing.set(false);
        synchronized (flushed) {
            flushed.notifyAll();
        }
    }

    private void send(Map<String, ReplayMarker> batch) {
        String sha = scriptSha;
        if (sha == null) {
            sha = redis.scriptLoad(PUT_SCRIPT);
            scriptSha = sha;
        }
        String ttlMillis = Long.toString(ttl.toMillis());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<Response<Object>> responses = new ArrayList<>();
            for (Map.Entry<String, ReplayMarker> e : batch.entrySet()) {
                responses.add(pipeline.evalsha(sha, List.of(e.getKey()), List.of(
                        Long.toString(e.getValue().replayId()), e.getValue().createdDate().toString(), ttlMillis)));
            }
            pipeline.sync();
            for (Response<Object> r : responses) {
                r.get();
            }
        } catch (JedisNoScriptException e) {
            scriptSha = null; // Redis restarted and lost its script cache: load it again and resend
            send(batch);
        }
    }

    private <T> T withRetry(String what, java.util.function.Supplier<T> call) {
        Backoff retry = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + retryFor.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (JedisException e) {
                if (System.nanoTime() > deadline) {
                    throw new ReplayStoreException("cannot " + what + " from Redis at " + address + " within "
                            + retryFor.toSeconds() + " s: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(retry.next().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ReplayStoreException("interrupted while reading from Redis", ie);
                }
            }
        }
    }

    static String key(String namespace, String channel) {
        return KEY_PREFIX + namespace + ":" + channel;
    }

    private ReplayMarker parse(String key, String value) {
        int bar = value.indexOf('|');
        try {
            return new ReplayMarker(Long.parseLong(value.substring(0, bar)), Instant.parse(value.substring(bar + 1)));
        } catch (RuntimeException e) {
            if (e instanceof DateTimeParseException || e instanceof NumberFormatException
                    || e instanceof IndexOutOfBoundsException || e instanceof IllegalArgumentException) {
                throw new ReplayStoreException("the Redis key " + key + " at " + address + " does not hold a replay "
                        + "marker (<replayId>|<createdDate>); it was left as it is", e);
            }
            throw e;
        }
    }

    /** The URI without its password, for messages. */
    static String redact(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return uri.toString().replace(userInfo + "@", shown + "@");
    }

    @Override
    public String toString() {
        return "RedisReplayStore[" + address + ", ttl=" + ttl + "]";
    }

    /** Builds a {@link RedisReplayStore}. */
    public static final class Builder {
        private final URI uri;
        private Duration ttl = Duration.ofHours(12);
        private Duration retryFor = Duration.ofSeconds(60);

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("a Redis replay store URI starts with redis:// or rediss://, got "
                        + redact(uri));
            }
        }

        /** How long a marker lives after its last put; 12 hours by default; zero for no expiry. */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must be zero (no expiry) or positive");
            }
            this.ttl = ttl;
            return this;
        }

        /** How long Redis may be away before puts fail; 60 seconds by default. */
        public Builder retryFor(Duration retryFor) {
            if (retryFor == null || retryFor.isNegative() || retryFor.isZero()) {
                throw new IllegalArgumentException("retryFor must be positive");
            }
            this.retryFor = retryFor;
            return this;
        }

        public RedisReplayStore build() {
            return new RedisReplayStore(this);
        }
    }
}
