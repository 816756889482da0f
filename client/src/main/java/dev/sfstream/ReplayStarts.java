package dev.sfstream;

import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each channel (re)starts: the stored marker, what this process handed out, the fallback in force and the
 * marker's age; and the {@link ReplayGap} notice when a start cannot be honoured.
 *
 * <p>The store is read once per {@link StreamingClient#subscribe subscribe} call, on the subscriber's thread
 * ({@link #load}): a store that is away fails that call with a {@link ReplayStoreException}. Starts computed later,
 * on the protocol lane after a re-handshake, use what was read and what this process handed out since, so store
 * I/O never blocks the protocol and a store outage cannot lose a subscription.
 */
final class ReplayStarts {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayStarts.class);

    private final ReplayStore store;
    private final Delivery delivery;
    private final ClientSettings settings;
    private final Map<String, Optional<ReplayMarker>> stored = new ConcurrentHashMap<>();
    private final Set<String> subscribedOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> subscribedAt = new ConcurrentHashMap<>();
    private final Map<String, ReplayFrom> channelStarts = new ConcurrentHashMap<>();
    private final Map<String, Fallback> fallbacks = new ConcurrentHashMap<>();

    /** A fallback in force for a channel until a commit moves its marker past the refused ID. */
    private record Fallback(ReplayFrom start, ReplayPosition handedOutBefore) {
    }

    ReplayStarts(ReplayStore store, Delivery delivery, ClientSettings settings) {
        this.store = store;
        this.delivery = delivery;
        this.settings = settings;
    }

    /**
     * Reads the channel's stored marker, on the calling thread, before the subscription goes out.
     *
     * @param whenNoMarker the start when the store has no marker, or {@code null} for the client's {@code replayFrom}
     * @throws ReplayStoreException when the store cannot be read
     */
    void load(ChannelName channel, ReplayFrom whenNoMarker) {
        String ch = channel.value();
        if (whenNoMarker != null) {
            channelStarts.put(ch, whenNoMarker);
        }
        stored.put(ch, store.get(delivery.namespace(), ch));
    }

    /**
     * Where a (re)subscription starts. The first subscription of a channel in this process starts from
     * {@code startFrom} when set, else the stored marker, else {@code replayFrom}. A re-subscription (after a
     * re-handshake) starts from the later of the stored marker and the last event handed out: everything up to that
     * is either committed or already in this process, so nothing is lost and nothing comes twice.
     *
     * @throws ReplayIdInvalidException when the marker cannot be used and the fallback is FAIL
     */
    ReplayFrom start(ChannelName channel) {
        String ch = channel.value();
        boolean first = subscribedOnce.add(ch);
        if (first && settings.startFrom() != null) {
            return settings.startFrom();
        }
        Optional<ReplayMarker> marker = stored.getOrDefault(ch, Optional.empty());
        ReplayPosition handedOut = delivery.handedOut(ch);
        ReplayPosition position = later(marker.map(ReplayMarker::position).orElse(null), handedOut);
        Fallback fallback = fallbacks.get(ch);
        if (fallback != null) {
            if (handedOut == null || Objects.equals(handedOut, fallback.handedOutBefore())) {
                return fallback.start(); // nothing came since the gap: start where the fallback said
            }
            fallbacks.remove(ch); // events came since: resume after them, not from the refused marker
            return ReplayFrom.after(handedOut);
        }
        if (!first && position != null) {
            return ReplayFrom.after(position);
        }
        Instant since = subscribedAt.get(ch);
        if (!first && since != null) {
            // Subscribed for new events and nothing came before the session broke: there is no replay ID to resume
            // from, so ask for everything retained and drop what was created before the subscription.
            delivery.dropCreatedBefore(ch, since);
            return ReplayFrom.ALL_EVENTS;
        }
        if (marker.isEmpty()) {
            return channelStarts.getOrDefault(ch, settings.replayFrom());
        }
        ReplayMarker m = marker.get();
        Duration maxAge = settings.markerMaxAge().get(channel.kind());
        if (m.createdDate().isBefore(Instant.now().minus(maxAge))) {
            return applyFallback(channel, m.position(), "the stored marker (created " + m.createdDate()
                    + ") is older than the retention window of " + maxAge.toMinutes() / 60.0 + " h");
        }
        return ReplayFrom.after(m.position());
    }

    private static ReplayPosition later(ReplayPosition a, ReplayPosition b) {
        return a == null ? b : b != null && b.isAfter(a) ? b : a;
    }

    /** Salesforce confirmed a subscription sent with {@code sentReplay}; {@code serverTime} may be null. */
    void subscribed(ChannelName channel, ReplayFrom sent, Instant serverTime) {
        if (sent.equals(ReplayFrom.NEW_EVENTS) && serverTime != null) {
            // The server's Date header has whole seconds: a second of margin keeps every event created after.
            subscribedAt.putIfAbsent(channel.value(), serverTime.minusSeconds(1));
        }
    }

    /** Salesforce refused the replay ID sent: the fallback decides the next start. */
    void refused(ChannelName channel, ReplayFrom refused) {
        applyFallback(channel, refused.position().orElseThrow(), "Salesforce refused the replay ID");
    }

    private ReplayFrom applyFallback(ChannelName channel, ReplayPosition refused, String reason) {
        ReplayFallback fallback = settings.replayFallback();
        if (fallback == ReplayFallback.FAIL) {
            throw new ReplayIdInvalidException(channel.value(), refused.replayId(), "cannot resume " + channel
                    + " from replay ID " + refused + ": " + reason + "; the replay fallback is FAIL");
        }
        ReplayFrom start = fallback == ReplayFallback.NEW_EVENTS ? ReplayFrom.NEW_EVENTS : ReplayFrom.ALL_EVENTS;
        LOG.warn("sfstream: cannot resume {} from replay ID {} ({}); resuming from {}", channel, refused, reason,
                fallback == ReplayFallback.NEW_EVENTS ? "new events only" : "all retained events");
        fallbacks.put(channel.value(), new Fallback(start, delivery.handedOut(channel.value())));
        Optional<ReplayMarker> storedMarker = stored.getOrDefault(channel.value(), Optional.empty());
        if (storedMarker.isPresent() && storedMarker.get().position().equals(refused)) {
            // The stored marker is no use any more: the next commit replaces it, even with a lower replay ID.
            stored.put(channel.value(), Optional.empty());
            delivery.invalidate(channel.value(), storedMarker.get());
        }
        delivery.gap(new ReplayGap(channel.value(), refused.replayId(), fallback, reason));
        return start;
    }
}
