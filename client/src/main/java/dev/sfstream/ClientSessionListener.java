package dev.sfstream;

import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.transport.SessionListener;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects a client's transport session to its delivery, its replay starts and its connection reports. */
final class ClientSessionListener implements SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingClient.class);

    private final Delivery delivery;
    private final ReplayStarts starts;
    private final ConnectionReports reports;
    private final ObserverCalls observer;

    ClientSessionListener(Delivery delivery, ReplayStarts starts, ConnectionReports reports, ObserverCalls observer) {
        this.delivery = delivery;
        this.starts = starts;
        this.reports = reports;
        this.observer = observer;
    }

    @Override
    public void onTokenRenewed() {
        observer.tokenRenewed();
    }

    @Override
    public void onEvents(List<StreamingEvent> events) {
        delivery.accept(events);
    }

    @Override
    public void onStateChanged(ConnectionState state, String reason) {
        reports.state(state, reason);
        observer.stateChanged(state, reason);
    }

    @Override
    public ReplayFrom replayStart(ChannelName channel) {
        return starts.start(channel);
    }

    @Override
    public void onSubscribed(ChannelName channel, ReplayFrom sent, Instant serverTime) {
        starts.subscribed(channel, sent, serverTime);
    }

    @Override
    public void onReplayRefused(ChannelName channel, ReplayFrom refused) {
        starts.refused(channel, refused);
    }

    @Override
    public void onSubscriptionLost(ChannelName channel, StreamingException error) {
        LOG.error("sfstream: lost the subscription to {}: {}", channel, error.getMessage());
        delivery.lost(channel.value(), error);
        reports.error(error);
    }

    @Override
    public void onFatal(StreamingException error) {
        reports.error(error);
        delivery.fail(error);
    }

    @Override
    public boolean hasRoom() {
        return delivery.hasRoom();
    }
}
