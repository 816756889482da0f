package dev.sfstream.pubsub;

import com.salesforce.eventbus.protobuf.CommitReplayResponse;
import dev.sfstream.ChannelName;
import dev.sfstream.replay.ReplayPosition;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commits of one managed subscription: what was handed out and committed, which {@code CommitReplayRequest}s
 * Salesforce has not answered yet, and whether a keepalive's replay ID may be committed (only when everything handed
 * out is committed: the server then keeps a position inside the retention window even on a quiet topic). Salesforce
 * may answer several commits with one response ("no guaranteed 1:1"), so an answer settles its request and every
 * earlier one. A refused commit is logged; it does not end the stream. Confined to the session's lane.
 */
final class ManagedCommits {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedCommits.class);

    private final ManagedSubscription subscription;
    private final ChannelName channel;
    private final Map<String, ReplayPosition> unanswered = new LinkedHashMap<>();
    private CompletableFuture<Void> answered = CompletableFuture.completedFuture(null);
    private ReplayPosition delivered;
    private ReplayPosition committed;
    private ReplayPosition acknowledged;
    private ReplayPosition resend;

    ManagedCommits(ManagedSubscription subscription, ChannelName channel) {
        this.subscription = subscription;
        this.channel = channel;
    }

    /** An event was handed out. */
    void delivered(ReplayPosition position) {
        delivered = position;
    }

    /** Whether every event handed out is committed. */
    boolean caughtUp() {
        return delivered == null || (committed != null && !delivered.isAfter(committed));
    }

    /** The request ID of a commit to send, or null when the position is not past the last one committed. */
    String send(ReplayPosition position) {
        if (committed != null && !position.isAfter(committed)) {
            return null;
        }
        committed = position;
        if (unanswered.isEmpty()) {
            answered = new CompletableFuture<>();
        }
        String id = UUID.randomUUID().toString();
        unanswered.put(id, position);
        return id;
    }

    /** Salesforce answered a commit. */
    void answered(CommitReplayResponse r) {
        if (r.hasError()) {
            LOG.warn("sfstream: Salesforce refused a commit on the managed subscription {} of {}: {} {}",
                    subscription, channel, r.getError().getCode(), r.getError().getMsg());
        }
        if (unanswered.containsKey(r.getCommitRequestId())) {
            Iterator<Map.Entry<String, ReplayPosition>> it = unanswered.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, ReplayPosition> e = it.next();
                it.remove();
                if (!r.hasError()) {
                    acknowledged = e.getValue();
                }
                if (e.getKey().equals(r.getCommitRequestId())) {
                    break;
                }
            }
        }
        if (unanswered.isEmpty()) {
            answered.complete(null);
        }
    }

    /** A stream ended: its unanswered commits may not have reached Salesforce, so the next stream sends them again. */
    void streamEnded() {
        if (!unanswered.isEmpty()) {
            resend = committed;
            committed = acknowledged;
            unanswered.clear();
        }
        answered.complete(null);
    }

    /** The commit the previous stream left unanswered, to send on the next one; null when there is none. */
    ReplayPosition takeResend() {
        ReplayPosition p = resend;
        resend = null;
        return p;
    }

    /** Completes once every commit sent is answered (at once when none waits). */
    CompletableFuture<Void> allAnswered() {
        return unanswered.isEmpty() ? CompletableFuture.completedFuture(null) : answered;
    }
}
