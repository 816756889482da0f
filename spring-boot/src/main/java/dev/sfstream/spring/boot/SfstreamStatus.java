package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the handler service stands, for a health check or a status page: a snapshot, immutable.
 *
 * @param running whether the service was started and not stopped since
 * @param state the client's connection state ({@code NEW} before the first start)
 * @param stateReason why the state last changed, in words
 * @param failure the message of the error the client gave up on, if it did (never a secret)
 * @param channels the channels the handlers listen on
 * @param stoppedChannels the channels stopped after a handler failure (error policy STOP)
 * @param lastEvents per channel, when its last event was handed to the handlers
 */
public record SfstreamStatus(boolean running, ConnectionState state, String stateReason, Optional<String> failure,
        List<String> channels, List<String> stoppedChannels, Map<String, Instant> lastEvents) {
    public SfstreamStatus {
        channels = List.copyOf(channels);
        stoppedChannels = List.copyOf(stoppedChannels);
        lastEvents = Map.copyOf(lastEvents);
    }
}
