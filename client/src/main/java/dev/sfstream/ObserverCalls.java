package dev.sfstream;

import dev.sfstream.replay.ReplayMarker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a {@link StreamingObserver} so that one that throws never disturbs delivery: it is logged and ignored. */
final class ObserverCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverCalls.class);

    private final StreamingObserver observer;

    ObserverCalls(StreamingObserver observer) {
        this.observer = observer;
    }

    void received(String channel) {
        call(() -> observer.received(channel));
    }

    void duplicateDropped(String channel) {
        call(() -> observer.duplicateDropped(channel));
    }

    void delivered(StreamingEvent event) {
        if (!event.isReplayGap()) {
            call(() -> observer.delivered(event));
        }
    }

    /** A consumer finished with an event (not a gap notice), {@code startNanos} being when it began. */
    void handled(StreamingEvent event, long startNanos, Throwable failure) {
        if (!event.isReplayGap()) {
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            call(() -> observer.handled(event.channel(), took, failure));
        }
    }

    void committed(String channel, ReplayMarker marker) {
        call(() -> observer.committed(channel, marker));
    }

    void stateChanged(ConnectionState state, String reason) {
        call(() -> observer.stateChanged(state, reason));
    }

    void tokenRenewed() {
        call(observer::tokenRenewed);
    }

    void gap(ReplayGap gap) {
        call(() -> observer.gap(gap));
    }

    private void call(Runnable r) {
        if (observer == StreamingObserver.NONE) {
            return;
        }
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("sfstream: a StreamingObserver failed; ignored", e);
        }
    }
}
