package dev.sfstream.pubsub;

import dev.sfstream.ChannelName;
import dev.sfstream.TransportException;
import dev.sfstream.auth.Authenticator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes platform events to one topic over the Pub/Sub API's {@code PublishStream}: each event is encoded in Avro
 * against the topic's current schema (from a map of field names to values, or from a record), sent in batches of up
 * to {@code batchSize} events and 3 MB (Salesforce's advice: at most 200 events and 3 MB per request, 4 MB refused),
 * with up to {@code maxInFlight} requests awaiting Salesforce's answer, and each event gets its own
 * {@link PublishResult}, in the order published, matched by its correlation key.
 *
 * <pre>{@code
 * try (PubSubPublisher orders = PubSubPublisher.builder().authenticator(auth).topic("/event/Order_Placed__e").build()) {
 *     PublishResult r = orders.publish(Map.of("Order_Number__c", "O-42", "Amount__c", 99.5)).join();
 *     if (!r.isPublished()) {
 *         log.warn("{}", r);                   // Salesforce refused event <key> on /event/Order_Placed__e: ...
 *     }
 * }
 * }</pre>
 *
 * <p>Back-pressure: at most {@code bufferCapacity} events wait for their result; {@code publish} blocks (at most the
 * request timeout) while that many do. Faults heal as for subscribers: a refused token is renewed once, a busy or
 * unreachable service is retried with backoff (up to the connection timeout), and events the server never saw are
 * sent again (so are those on a stream that ended because the token was refused). Events on a stream that broke
 * otherwise before Salesforce answered are not sent again, since they may have been published: their results fail
 * with a {@link TransportException} saying so. An event Salesforce refuses
 * completes normally with a result that says which event and why; a field that does not fit the topic's schema fails
 * its future with an {@link IllegalArgumentException} naming the field.
 *
 * <p>Thread-safe: {@code publish} may be called from any thread; results complete on sfstream's worker threads.
 */
public final class PubSubPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubPublisher.class);

    private final PubSubTransport transport;
    private final Authenticator authenticator;
    private final String topic;
    private final Duration requestTimeout;
    private final Semaphore room;
    private final Set<CompletableFuture<PublishResult>> unanswered = ConcurrentHashMap.newKeySet();
    private final PublishPipeline pipeline;
    private volatile boolean closed;

    private PubSubPublisher(Builder b) {
        this.transport = b.transport;
        this.authenticator = b.authenticator;
        this.topic = b.topic;
        this.requestTimeout = b.requestTimeout;
        this.room = new Semaphore(b.bufferCapacity);
        this.pipeline = new PublishPipeline(b.transport, b.authenticator, b.topic, b.batchSize, b.maxInFlight,
                b.requestTimeout, b.connectionTimeout, b.backoffInitial, b.backoffMax);
    }

    /** A builder: an authenticator and a topic are required, the rest has defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The topic events are published to. */
    public String topic() {
        return topic;
    }

    /** Publishes an event given as field names and values, with a correlation key made for it. */
    public CompletableFuture<PublishResult> publish(Map<String, ?> fields) {
        return publish(fields, null);
    }

    /**
     * Publishes an event given as field names and values. {@code CreatedDate} defaults to now and
     * {@code CreatedById} to the publishing user.
     *
     * @param correlationKey the event's key in its result (at most 36 characters), or null for a UUID
     * @throws TransportException when the buffer stayed full for the request timeout
     */
    public CompletableFuture<PublishResult> publish(Map<String, ?> fields, String correlationKey) {
        return enqueue(Objects.requireNonNull(fields, "fields"), correlationKey);
    }

    /** Publishes an Avro record (copied by field name into the topic's current schema). */
    public CompletableFuture<PublishResult> publish(GenericRecord record) {
        return publish(record, null);
    }

    /** Publishes an Avro record with a correlation key of its own (at most 36 characters). */
    public CompletableFuture<PublishResult> publish(GenericRecord record, String correlationKey) {
        return enqueue(Objects.requireNonNull(record, "record"), correlationKey);
    }

    private CompletableFuture<PublishResult> enqueue(Object source, String correlationKey) {
        if (closed) {
            throw new IllegalStateException("the publisher of " + topic + " is closed");
        }
        if (correlationKey != null && (correlationKey.isEmpty() || correlationKey.length() > 36)) {
            throw new IllegalArgumentException("a correlation key has 1 to 36 characters, got '" + correlationKey
                    + "'");
        }
        try {
            if (!room.tryAcquire(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TransportException("the publish buffer of " + topic + " stayed full for "
                        + requestTimeout.toSeconds() + " s: Salesforce does not take events as fast as they come",
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for room to publish to " + topic, e);
        }
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        unanswered.add(result);
        result.whenComplete((r, e) -> {
            unanswered.remove(result);
            room.release();
        });
        pipeline.add(new PublishPipeline.Pending(source, correlationKey != null ? correlationKey
                : UUID.randomUUID().toString(), result));
        return result;
    }

    /**
     * Waits until every event published so far has its result.
     *
     * @throws TransportException when that takes longer than {@code timeout}
     */
    public void flush(Duration timeout) {
        CompletableFuture<?>[] all = unanswered.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).exceptionally(e -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while flushing the publisher of " + topic, e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new TransportException(all.length + " events to " + topic + " had no result after "
                    + timeout.toSeconds() + " s", e);
        }
    }

    /** Waits (up to the request timeout) for the results of what was published, then ends the stream. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush(requestTimeout);
        } catch (TransportException e) {
            LOG.warn("sfstream: closing the publisher of {}: {}", topic, e.getMessage());
        }
        closed = true;
        pipeline.close().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
    }

    @Override
    public String toString() {
        return "PubSubPublisher[" + topic + ", " + transport + "]";
    }

    /**
     * Builds a {@link PubSubPublisher}; {@link #build()} checks every setting and names the one that is wrong. Not
     * thread-safe: one thread builds, and the publisher it builds is thread-safe.
     */
    public static final class Builder {
        private PubSubTransport transport = PubSubTransport.defaults();
        private Authenticator authenticator;
        private String topic;
        private int batchSize = 200;
        private int maxInFlight = 4;
        private int bufferCapacity = 10_000;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofMinutes(10);
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Where tokens come from. Required. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** The endpoint and connection settings; {@link PubSubTransport#defaults()} by default. */
        public Builder transport(PubSubTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The platform event topic, {@code /event/<Name>__e}. Required. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The most events per request; 200 (Salesforce's advice), at most 200. */
        public Builder batchSize(int events) {
            this.batchSize = events;
            return this;
        }

        /** How many requests may await Salesforce's answer at once; 4. */
        public Builder maxInFlight(int requests) {
            this.maxInFlight = requests;
            return this;
        }

        /** How many events may wait for their result before {@code publish} blocks; 10,000. */
        public Builder bufferCapacity(int events) {
            this.bufferCapacity = events;
            return this;
        }

        /** How long a unary call, a blocked {@code publish} and {@code close} may wait; 30 seconds. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long failures may last before waiting events fail with a {@link TransportException}; 10 minutes. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        /** The backoff after failures: from {@code initial} doubling to {@code max}, jittered; 0.5 s to 30 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * Checks every setting and builds the publisher (it connects on the first publish).
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        public PubSubPublisher build() {
            if (authenticator == null) {
                throw new IllegalArgumentException("authenticator is required");
            }
            ChannelName name = ChannelName.of(topic);
            if (name.kind() != ChannelName.Kind.PLATFORM_EVENT) {
                throw new IllegalArgumentException("topic " + topic + ": only platform events (/event/...) can be "
                        + "published");
            }
            if (batchSize < 1 || batchSize > 200) {
                throw new IllegalArgumentException("batchSize must be between 1 and 200, got " + batchSize);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be 1 or more, got " + maxInFlight);
            }
            if (bufferCapacity < 1) {
                throw new IllegalArgumentException("bufferCapacity must be 1 or more, got " + bufferCapacity);
            }
            for (Duration d : List.of(requestTimeout, connectionTimeout, backoffInitial, backoffMax)) {
                if (d == null || d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("timeouts and backoff must be positive durations, got " + d);
                }
            }
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new IllegalArgumentException("backoff max must be at least backoff initial");
            }
            return new PubSubPublisher(this);
        }
    }
}
