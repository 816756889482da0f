package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.PubSubSettings;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The Pub/Sub API's open streams and the faults that act on them: every {@code Subscribe},
 * {@code ManagedSubscribe} and {@code PublishStream} call while it is open, found by topic when an event is appended
 * to the log, ticked by one timer for keepalives and idle closes, and ended by the faults on demand. Thread-safe.
 *
 * <p>Busy and exhausted spells run on the wall clock, as the Streaming API's busy spell does; a stall is measured on
 * {@link System#nanoTime()}.
 */
final class PubSubStreams {
    /** A stream while it is open. */
    interface Open {
        PubSubAuth.Caller caller();

        /** The topic, or empty before the first request named it. */
        String topic();

        /** Sends what is due (events, a keepalive) or closes an idle stream; called by the timer. */
        void tick(long nanos);

        /** Hands new events of its topic to it, soon, on the server's executor. */
        void drainSoon();

        /** Ends the stream with an error, unless it has ended already. */
        void end(StatusRuntimeException error);

        /** Its line in {@code /emulator/status}. */
        Map<String, Object> status();
    }

    private final Set<Open> open = ConcurrentHashMap.newKeySet();
    private final PubSubSettings settings;
    private final Executor executor;
    private volatile long stalledUntil = System.nanoTime();
    private volatile Instant exhaustedUntil = Instant.EPOCH;
    private volatile Instant busyUntil = Instant.EPOCH;

    PubSubStreams(PubSubSettings settings, Executor executor) {
        this.settings = settings;
        this.executor = executor;
    }

    PubSubSettings settings() {
        return settings;
    }

    Executor executor() {
        return executor;
    }

    void add(Open stream) {
        open.add(stream);
    }

    void remove(Open stream) {
        open.remove(stream);
    }

    /** An event was appended to a channel: its streams take it. */
    void appended(String channel) {
        for (Open s : open) {
            if (channel.equals(s.topic())) {
                s.drainSoon();
            }
        }
    }

    /** The timer's beat. */
    void tick() {
        long now = System.nanoTime();
        for (Open s : open) {
            try {
                s.tick(now);
            } catch (RuntimeException e) {
                s.end(io.grpc.Status.INTERNAL.withDescription("emulator error: " + e).asRuntimeException());
            }
        }
    }

    /** Whether open streams stay silent now. */
    boolean stalled() {
        return System.nanoTime() - stalledUntil < 0;
    }

    /** Why a new call is refused now (exhausted, busy), or empty. */
    Optional<StatusRuntimeException> refusal(String rpcId, String method) {
        Instant now = Instant.now();
        if (now.isBefore(exhaustedUntil)) {
            return Optional.of(PubSubErrors.exhausted(rpcId, method));
        }
        if (now.isBefore(busyUntil)) {
            return Optional.of(PubSubErrors.unavailable(rpcId, method));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- faults

    /** Ends every open stream as a network reset would; returns how many. */
    int resetStreams() {
        return endAll(s -> true, s -> PubSubErrors.reset());
    }

    /** Open streams send nothing, keepalives included, and are not closed for idleness, for a while. */
    void stall(Duration duration) {
        stalledUntil = System.nanoTime() + duration.toNanos();
    }

    /** New calls get RESOURCE_EXHAUSTED for a while. */
    void exhaust(Duration duration) {
        exhaustedUntil = Instant.now().plus(duration);
    }

    /** Ends every open stream, and refuses new calls for a while, with Salesforce's service-unavailable error. */
    void busy(Duration duration) {
        busyUntil = Instant.now().plus(duration);
        endAll(s -> true, s -> PubSubErrors.unavailable(s.caller().rpcId(), s.caller().method()));
    }

    /** Ends the streams whose token is no longer valid with the auth error. */
    void revoked(Predicate<PubSubAuth.Caller> stillValid) {
        endAll(s -> !stillValid.test(s.caller()), s -> PubSubErrors.auth(s.caller().rpcId(), s.caller().method()));
    }

    private int endAll(Predicate<Open> which, java.util.function.Function<Open, StatusRuntimeException> error) {
        int ended = 0;
        for (Open s : List.copyOf(open)) {
            if (which.test(s)) {
                s.end(error.apply(s));
                ended++;
            }
        }
        return ended;
    }

    /** Closes every stream as the server stops. */
    void closeAll() {
        endAll(s -> true, s -> io.grpc.Status.UNAVAILABLE.withDescription("the emulator is stopping")
                .asRuntimeException());
    }

    /** For {@code /emulator/status}: each open stream, with its topic, pending credit and delivered count. */
    List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        open.forEach(s -> out.add(s.status()));
        out.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("topic")))
                .thenComparing(m -> String.valueOf(m.get("rpcId"))));
        return out;
    }
}
