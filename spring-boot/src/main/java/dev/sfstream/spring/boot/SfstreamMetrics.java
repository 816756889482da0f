package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import dev.sfstream.HoldEvent;
import dev.sfstream.ReplayGap;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingObserver;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.service.ErrorPolicy;
import dev.sfstream.service.HandlerFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the client observes, as Micrometer meters (every name under {@code sfstream.}, tags bounded by the channels
 * the handlers listen on):
 *
 * <ul>
 *   <li>{@value #RECEIVED}, {@value #DUPLICATES}, {@value #DELIVERED}, {@value #COMMITTED}: counters tagged
 *       {@code channel};</li>
 *   <li>{@value #HANDLER}: a timer of the handlers' work on each event (retries included) tagged {@code channel} and
 *       {@code outcome} ({@code success}, {@code failure}: the channel stopped, {@code skipped}: error policy
 *       SKIP);</li>
 *   <li>{@value #RECONNECTS}, {@value #TOKEN_RENEWALS}: counters; {@value #GAPS}: a counter tagged {@code channel}
 *       and {@code fallback};</li>
 *   <li>{@value #LAG}: a gauge per channel, the seconds between now and the {@code createdDate} of the channel's last
 *       delivered event;</li>
 *   <li>{@value #WAITING}: a gauge of the events handed out and not finished yet.</li>
 * </ul>
 * Thread-safe.
 */
public class SfstreamMetrics implements StreamingObserver, HandlerFailureListener {
    public static final String RECEIVED = "sfstream.events.received";
    public static final String DUPLICATES = "sfstream.events.duplicates";
    public static final String DELIVERED = "sfstream.events.delivered";
    public static final String COMMITTED = "sfstream.events.committed";
    public static final String HANDLER = "sfstream.handler";
    public static final String RECONNECTS = "sfstream.reconnects";
    public static final String TOKEN_RENEWALS = "sfstream.token.renewals";
    public static final String GAPS = "sfstream.replay.gaps";
    public static final String LAG = "sfstream.lag";
    public static final String WAITING = "sfstream.events.waiting";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Held here: a registry keeps only a weak reference to a gauge's object. */
    private final Map<String, LastEvent> lastEvents = new ConcurrentHashMap<>();
    /** Per channel, the policy of a handler failure told and not yet timed (one channel is handled in order). */
    private final Map<String, ErrorPolicy> pendingFailures = new ConcurrentHashMap<>();
    private final Counter reconnects;
    private final Counter tokenRenewals;
    private volatile ConnectionState state = ConnectionState.NEW;

    /** The createdDate of a channel's last delivered event. */
    private static final class LastEvent {
        volatile Instant createdDate;
    }

    /**
     * @param registry where the meters go
     * @param eventsWaiting the events handed out and not finished yet, read when the gauge is
     */
    public SfstreamMetrics(MeterRegistry registry, Supplier<Integer> eventsWaiting) {
        this(registry, eventsWaiting, Clock.systemUTC());
    }

    SfstreamMetrics(MeterRegistry registry, Supplier<Integer> eventsWaiting, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.reconnects = Counter.builder(RECONNECTS)
                .description("Times the connection went into recovery (backoff, new token or handshake)")
                .register(registry);
        this.tokenRenewals = Counter.builder(TOKEN_RENEWALS)
                .description("Access tokens renewed after Salesforce refused one").register(registry);
        Gauge.builder(WAITING, eventsWaiting, s -> s.get())
                .description("Events handed to the handlers and not finished yet").register(registry);
    }

    @Override
    public void received(String channel) {
        counter(RECEIVED, channel, "Events received from Salesforce, duplicates included").increment();
    }

    @Override
    public void duplicateDropped(String channel) {
        counter(DUPLICATES, channel, "Events dropped because they had been handed out already").increment();
    }

    @Override
    public void delivered(StreamingEvent event) {
        counter(DELIVERED, event.channel(), "Events handed to the handlers").increment();
        lastEvents.computeIfAbsent(event.channel(), this::lagGauge).createdDate = event.createdDate();
    }

    private LastEvent lagGauge(String channel) {
        LastEvent last = new LastEvent();
        Gauge.builder(LAG, last, l -> l.createdDate == null ? Double.NaN
                        : Duration.between(l.createdDate, clock.instant()).toMillis() / 1000.0)
                .description("Seconds between now and the createdDate of the channel's last delivered event")
                .baseUnit("seconds").tag("channel", channel).register(registry);
        return last;
    }

    @Override
    public void handled(String channel, Duration took, Throwable failure) {
        ErrorPolicy failed = pendingFailures.remove(channel);
        String outcome;
        if (failure == null) {
            outcome = failed == ErrorPolicy.SKIP ? "skipped" : "success";
        } else if (failure instanceof HoldEvent && failed == null) {
            return; // the channel was stopped before: no handler ran
        } else {
            outcome = "failure";
        }
        timers.computeIfAbsent(channel + '\n' + outcome, k -> Timer.builder(HANDLER)
                .description("Time the handlers took on an event, retries included")
                .tag("channel", channel).tag("outcome", outcome).register(registry)).record(took);
    }

    @Override
    public void onFailure(HandlerFailure failure) {
        pendingFailures.put(failure.channel(), failure.policy());
    }

    @Override
    public void committed(String channel, ReplayMarker marker) {
        counter(COMMITTED, channel, "Replay markers stored, each after its event and those before it were "
                + "finished").increment();
    }

    @Override
    public void stateChanged(ConnectionState next, String reason) {
        if (next == ConnectionState.RECONNECTING && state != ConnectionState.RECONNECTING) {
            reconnects.increment();
        }
        state = next;
    }

    @Override
    public void tokenRenewed() {
        tokenRenewals.increment();
    }

    @Override
    public void gap(ReplayGap gap) {
        counters.computeIfAbsent(GAPS + '\n' + gap.channel() + '\n' + gap.fallback(), k -> Counter.builder(GAPS)
                .description("Replay gaps: a stored replay ID could not be used and the fallback decided")
                .tag("channel", gap.channel()).tag("fallback", gap.fallback().name().toLowerCase(Locale.ROOT))
                .register(registry)).increment();
    }

    private Counter counter(String name, String channel, String description) {
        return counters.computeIfAbsent(name + '\n' + channel, k -> Counter.builder(name).description(description)
                .tag("channel", channel).register(registry));
    }
}
