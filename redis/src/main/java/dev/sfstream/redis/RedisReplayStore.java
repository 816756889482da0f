package dev.sfstream.redis;

import dev.sfstream.FencedException;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.internal.Backoff;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Replay markers in Redis, so that several processes (a service's instances taking turns, a consumer that moves
 * between hosts) share where a channel stands.
 *
 * <ul>
 *   <li>Keys are {@code sfstream:replay:{namespace}:{channel}}; the value is {@code <replayId>|<createdDate>}, and
 *       for a Pub/Sub position {@code <number>|<createdDate>|pubsub:<base64>}.</li>
 *   <li>The forward-only rule runs inside Redis, in one Lua script: a marker older than the stored one never
 *       replaces it, whichever process sends it.</li>
 *   <li>Markers do not expire by default. Whether a marker is too old to resume from is the client's judgement
 *       ({@code markerMaxAge}, {@code ReplayFallback}), made with a warning; a marker that Redis drops silently
 *       would make the client start from {@code replayFrom} and skip retained events without notice. A TTL, when
 *       wanted, must outlive Salesforce's longest retention: see {@link Builder#ttl(Duration)}.</li>
 *   <li>{@link Builder#build()} connects once: wrong credentials, a refused certificate or an unreachable
 *       Redis fail there, at once, with a {@link ReplayStoreException} saying which.</li>
 *   <li>Commits never block delivery: a put keeps the marker as the newest pending one of its channel and a
 *       background writer sends the pending markers, pipelined. When Redis is away the writer keeps them and retries
 *       with capped backoff for as long as the store is open, and writes them when Redis is back; puts go on being
 *       accepted. The outage is logged once as a WARN, once as an ERROR when it has lasted longer than
 *       {@code retryFor} (60 s by default), and once as an INFO when it ends; {@link #flush()} and so
 *       {@link #close()} throw when the markers cannot be written within {@code retryFor}. Events after the last
 *       marker that reached Redis are delivered again if the process stops before Redis is back (at least
 *       once).</li>
 *   <li>Refused credentials do not heal by waiting: once Redis refuses them, {@link #put}, {@link #get} and
 *       {@link #flush()} throw a {@link ReplayStoreException} saying so, at once.</li>
 *   <li>{@code rediss://} verifies the server's certificate and that it names the host of the URI, as the JDK's
 *       HTTPS client does; {@link Builder#sslContext(SSLContext)} gives the trust for a private CA.</li>
 *   <li>Leases ({@link LeasedReplayStore}), for replicas of an exclusive group: key
 *       {@code sfstream:lease:{namespace}:{group}} holds {@code <holder>|<epoch>} and expires by Redis's own clock
 *       ({@code PX}); {@code sfstream:epoch:{namespace}:{group}} counts the takeovers and never expires. Each is one
 *       Lua script. A marker written with a lease carries its epoch, and the put script refuses it when the counter
 *       is newer. Puts are written in the background, so a refusal surfaces late: the writer drops the refused
 *       marker, logs a WARN, and the next put with the old lease throws {@link FencedException}; the lease's
 *       renewal finds the loss too.</li>
 * </ul>
 * Thread-safe. Messages, logs and {@link #toString()} show the Redis address without its password.
 */
public final class RedisReplayStore implements LeasedReplayStore {
    static final String KEY_PREFIX = "sfstream:replay:";
    static final String LEASE_PREFIX = "sfstream:lease:";
    static final String EPOCH_PREFIX = "sfstream:epoch:";

    /**
     * Takes or renews a lease. KEYS: lease, epoch counter; ARGV: owner, TTL in ms. Returns the epoch held, or -1 when
     * another replica holds the lease.
     */
    static final String ACQUIRE_SCRIPT = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local holder, epoch = string.match(current, '^(.*)|(%d+)$')
              if holder == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return tonumber(epoch)
              end
              return -1
            end
            local epoch = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. epoch, 'PX', ARGV[2])
            return epoch
            """;
    /**
     * Renews a lease held; an expired one nobody took (the counter is still at its epoch) is held again. KEYS: lease,
     * epoch counter; ARGV: owner, epoch, TTL in ms. Returns 1 when renewed, 0 when lost.
     */
    static final String RENEW_SCRIPT = """
            local mine = ARGV[1] .. '|' .. ARGV[2]
            local current = redis.call('GET', KEYS[1])
            if current == mine then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return 1
            end
            if not current and redis.call('GET', KEYS[2]) == ARGV[2] then
              redis.call('SET', KEYS[1], mine, 'PX', ARGV[3])
              return 1
            end
            return 0
            """;
    /** Gives a lease up if it is still held. KEYS: lease; ARGV: owner, epoch. */
    static final String RELEASE_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] .. '|' .. ARGV[2] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;
    /**
     * The shortest TTL accepted: Salesforce keeps platform events and change events for 72 hours (PushTopic and
     * generic events for 24), and a marker must outlive the events it points into; one hour of margin.
     */
    static final Duration SHORTEST_TTL = Duration.ofHours(73);

    private final RedisEndpoint endpoint;
    private final Duration ttl;
    private final Duration retryFor;
    private final RedisClient redis;
    private final MarkerWriter writer;
    private volatile boolean closed;

    private RedisReplayStore(Builder b) {
        this.endpoint = new RedisEndpoint(b.uri, b.sslContext);
        this.ttl = b.ttl;
        this.retryFor = b.retryFor;
        this.redis = endpoint.client();
        String scriptSha;
        try {
            // the open check: connects, authenticates, and proves this user may load the put script
            scriptSha = redis.scriptLoad(MarkerWriter.PUT_SCRIPT);
        } catch (JedisException e) {
            redis.close();
            throw RedisFailure.atOpen(e, endpoint);
        }
        this.writer = new MarkerWriter(redis, endpoint.address(), ttl, retryFor, scriptSha);
    }

    /** A builder for a store at a {@code redis://} or {@code rediss://} URI: user, password and database in it. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        String key = key(namespace, channel);
        throwIfUnusable();
        String value = withRetry("read the marker of " + channel, () -> redis.get(key));
        ReplayMarker stored = value == null ? null : parse(key, value);
        ReplayMarker local = writer.pendingMarker(key).orElse(null);
        if (local != null && local.isAfter(stored)) {
            return Optional.of(local);
        }
        return Optional.ofNullable(stored);
    }

    /**
     * Keeps the marker as the newest pending one of its channel, if it is later; a background writer sends it to
     * Redis. Never waits for Redis and never fails because Redis is away.
     *
     * @return whether the marker was accepted for writing; the script in Redis still refuses it if another process
     *     went further
     * @throws ReplayStoreException when the store is closed or Redis refused its credentials
     */
    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        throwIfUnusable();
        return writer.offer(key(namespace, channel), marker, null);
    }

    /**
     * Like {@link #put(String, String, ReplayMarker)}, with the writer's lease: the script in Redis refuses the
     * marker when the group's epoch is newer. The write is in the background: a refusal is logged, the marker
     * dropped, and the next put with this lease throws.
     *
     * @throws FencedException when a write with this lease was refused already, or this store granted a newer
     *     epoch of the group
     */
    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker, Lease lease) {
        Objects.requireNonNull(marker, "marker");
        Objects.requireNonNull(lease, "lease");
        throwIfUnusable();
        return writer.offer(key(namespace, channel), marker, lease);
    }

    @Override
    public Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl) {
        throwIfUnusable();
        long epoch = lease("take the lease of group " + group, ACQUIRE_SCRIPT, List.of(leaseKey(namespace, group),
                epochKey(namespace, group)), List.of(owner, Long.toString(ttl.toMillis())));
        if (epoch < 0) {
            return Optional.empty();
        }
        writer.epochSeen(namespace, group, epoch);
        return Optional.of(new Lease(namespace, group, owner, epoch));
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        throwIfUnusable();
        long renewed = lease("renew the lease of group " + lease.group(), RENEW_SCRIPT, List.of(leaseKey(
                lease.namespace(), lease.group()), epochKey(lease.namespace(), lease.group())), List.of(lease.owner(),
                Long.toString(lease.epoch()), Long.toString(ttl.toMillis())));
        if (renewed == 1) {
            return Optional.of(lease);
        }
        writer.epochSeen(lease.namespace(), lease.group(), lease.epoch() + 1);
        return Optional.empty();
    }

    @Override
    public void release(Lease lease) {
        if (closed) {
            return;
        }
        lease("release the lease of group " + lease.group(), RELEASE_SCRIPT, List.of(leaseKey(lease.namespace(),
                lease.group())), List.of(lease.owner(), Long.toString(lease.epoch())));
    }

    /** One lease script, once: the caller (the client's lease lane) tries again at its next tick. */
    private long lease(String what, String script, List<String> keys, List<String> args) {
        try {
            Object result = redis.eval(script, keys, args);
            return (Long) result;
        } catch (JedisException e) {
            if (RedisFailure.of(e) == RedisFailure.CREDENTIALS) {
                throw RedisFailure.credentialsRefused(e, endpoint.address());
            }
            throw new ReplayStoreException("cannot " + what + " in Redis at " + endpoint.address() + ": "
                    + RedisFailure.describe(e), e);
        }
    }

    static String leaseKey(String namespace, String group) {
        return LEASE_PREFIX + namespace + ":" + group;
    }

    static String epochKey(String namespace, String group) {
        return EPOCH_PREFIX + namespace + ":" + group;
    }

    static FencedException fenced(Lease lease, long newer, String key) {
        return new FencedException(lease.group(), lease.epoch(), "another replica of group " + lease.group()
                + " took over (epoch " + newer + " after " + lease.epoch() + "): the marker of "
                + key.substring(key.lastIndexOf(':') + 1) + " was not written");
    }

    /** Like {@link #put}, over a marker Salesforce refused whatever the order, atomically inside Redis. */
    @Override
    public boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        throwIfUnusable();
        return writer.offerReplacing(key(namespace, channel), invalid, marker);
    }

    /**
     * Waits until every marker put so far is in Redis, at most {@code retryFor}.
     *
     * @throws ReplayStoreException when they cannot be written within {@code retryFor}, naming how many are not
     *     (they stay pending and retried while the store is open), or when Redis refused the credentials
     */
    @Override
    public void flush() {
        if (closed && writer.pendingCount() == 0) {
            return;
        }
        throwIfUnusable();
        writer.flush();
    }

    /** Flushes (see {@link #flush()}, which may throw), then stops the retries and closes the connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            writer.stop();
            redis.close();
        }
    }

    /**
     * How many markers are waiting to be written to Redis (the newest of each channel); zero once everything put
     * so far is in Redis. For health checks and tests.
     */
    public int pendingMarkers() {
        return writer.pendingCount();
    }

    /**
     * Since when writing to Redis has been failing (Redis away, or refusing the credentials); empty while writes
     * succeed. For health checks and tests.
     */
    public Optional<Instant> failingSince() {
        return writer.failingSince();
    }

    private void throwIfUnusable() {
        if (closed) {
            throw new ReplayStoreException("the Redis replay store at " + endpoint.address() + " is closed", null);
        }
        Optional<ReplayStoreException> refused = writer.refused();
        if (refused.isPresent()) {
            throw refused.get();
        }
    }

    private <T> T withRetry(String what, Supplier<T> call) {
        Backoff retry = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + retryFor.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (JedisException e) {
                if (RedisFailure.of(e) == RedisFailure.CREDENTIALS) {
                    throw RedisFailure.credentialsRefused(e, endpoint.address()); // waiting does not fix a password
                }
                if (System.nanoTime() > deadline) {
                    throw new ReplayStoreException("cannot " + what + " from Redis at " + endpoint.address()
                            + " within retryFor (" + retryFor.toSeconds() + " s): " + RedisFailure.describe(e), e);
                }
                try {
                    Thread.sleep(retry.next().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ReplayStoreException("interrupted while reading from Redis at " + endpoint.address(),
                            ie);
                }
            }
        }
    }

    static String key(String namespace, String channel) {
        return KEY_PREFIX + namespace + ":" + channel;
    }

    /** Reads {@code <replayId>|<createdDate>}, or {@code <number>|<createdDate>|<position>} for a Pub/Sub position. */
    private ReplayMarker parse(String key, String value) {
        String[] parts = value.split("\\|", 3);
        try {
            Instant created = Instant.parse(parts[1]);
            return parts.length == 3 ? new ReplayMarker(ReplayPosition.decode(parts[2]), created)
                    : new ReplayMarker(Long.parseLong(parts[0]), created);
        } catch (DateTimeParseException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ReplayStoreException("the Redis key " + key + " at " + endpoint.address() + " does not hold a "
                    + "replay marker (<replayId>|<createdDate>); it was left as it is", e);
        }
    }

    /** The URI without its password, for messages. */
    static String redact(URI uri) {
        return RedisEndpoint.redact(uri);
    }

    @Override
    public String toString() {
        return "RedisReplayStore[" + endpoint.address() + ", ttl=" + (ttl.isZero() ? "none" : ttl) + ", retryFor="
                + retryFor + "]";
    }

    /**
     * Configures a {@link RedisReplayStore}; {@link #build()} checks the settings, then connects once. Not
     * thread-safe; the store it builds is.
     */
    public static final class Builder {
        private final URI uri;
        private Duration ttl = Duration.ZERO;
        private Duration retryFor = Duration.ofSeconds(60);
        private SSLContext sslContext;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("a Redis replay store URI starts with redis:// or rediss://, got "
                        + redact(uri));
            }
        }

        /**
         * How long a marker lives after its last put: zero (the default) for no expiry, or at least 73 hours.
         * Salesforce keeps platform events and change events for 72 hours; a marker that expires first makes the
         * client start from {@code replayFrom} and skip events Salesforce still holds, with no notice. Deciding
         * that a marker is too old is the client's job ({@code markerMaxAge}), which warns and follows
         * {@code ReplayFallback}. A TTL only keeps abandoned namespaces from piling up in Redis.
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How long Redis may be away before the outage is logged as an ERROR and {@link RedisReplayStore#flush()}
         * gives up waiting; 60 seconds by default. The writer keeps retrying after it, as long as the store is
         * open. Reads wait at most this long.
         */
        public Builder retryFor(Duration retryFor) {
            this.retryFor = Objects.requireNonNull(retryFor, "retryFor");
            return this;
        }

        /**
         * The TLS context for a {@code rediss://} URI whose server certificate is issued by a private CA (one
         * holding that CA in its trust managers). Without it the JVM's default trust store is used (also set with
         * {@code -Djavax.net.ssl.trustStore}). Either way the certificate must name the URI's host.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * Checks the settings, then connects once.
         *
         * @throws IllegalArgumentException when a setting is wrong, saying what to use
         * @throws ReplayStoreException when Redis cannot be reached, refuses the credentials, or presents a
         *     certificate that is not accepted
         */
        public RedisReplayStore build() {
            if (ttl.isNegative() || (!ttl.isZero() && ttl.compareTo(SHORTEST_TTL) < 0)) {
                throw new IllegalArgumentException("the Redis replay store's ttl of " + Durations.show(ttl)
                        + " is shorter than Salesforce keeps events (up to 72 h): a marker would expire while its "
                        + "events can still be replayed, and the client would skip them without notice. Use 0 (no "
                        + "expiry, the default; the client's markerMaxAge judges old markers) or at least 73h");
            }
            if (retryFor.isNegative() || retryFor.isZero()) {
                throw new IllegalArgumentException("the Redis replay store's retryFor must be positive, got "
                        + Durations.show(retryFor));
            }
            if (sslContext != null && !"rediss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("an sslContext is for TLS, but " + redact(uri) + " is plain: use "
                        + "rediss://");
            }
            return new RedisReplayStore(this);
        }
    }
}
