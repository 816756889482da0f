package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import dev.sfstream.ReplayGap;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingObserver;
import dev.sfstream.replay.ReplayMarker;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several observers as the client's one: each is told in turn, and one that throws is logged and skipped without
 * keeping the next from being told.
 */
final class Observers implements StreamingObserver {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private final List<StreamingObserver> observers;

    Observers(List<StreamingObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    private void each(Consumer<StreamingObserver> call) {
        for (StreamingObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: the StreamingObserver {} failed; ignored", o.getClass().getName(), e);
            }
        }
    }

    @Override
    public void received(String channel) {
        each(o -> o.received(channel));
    }

    @Override
    public void duplicateDropped(String channel) {
        each(o -> o.duplicateDropped(channel));
    }

    @Override
    public void delivered(StreamingEvent event) {
        each(o -> o.delivered(event));
    }

    @Override
    public void handled(String channel, Duration took, Throwable failure) {
        each(o -> o.handled(channel, took, failure));
    }

    @Override
    public void committed(String channel, ReplayMarker marker) {
        each(o -> o.committed(channel, marker));
    }

    @Override
    public void stateChanged(ConnectionState state, String reason) {
        each(o -> o.stateChanged(state, reason));
    }

    @Override
    public void tokenRenewed() {
        each(StreamingObserver::tokenRenewed);
    }

    @Override
    public void gap(ReplayGap gap) {
        each(o -> o.gap(gap));
    }
}
