package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;

/**
 * One event kept in a channel's log: its replay ID, when it was created, the message {@code data} and, for
 * PushTopic events, the record it describes (filtered subscriptions match on it). Generic events pushed to chosen
 * users carry their user IDs. Its size, {@link #bytes}, is what it counts against the org's
 * {@link RetentionBudget}.
 *
 * <p>The Bayeux message for the channel itself is built once and shared by every subscriber, so its JSON is
 * generated once however many clients receive it.
 */
final class RetainedEvent {
    /**
     * What an event costs the heap besides its JSON: its maps, the message object, and once delivered CometD's copy
     * of the message as text and bytes. Measured on small events (a platform event of five fields: 280 bytes of JSON,
     * about 1.3 KB of heap, 2.2 KB once delivered), so that an event's heap stays within about three times its size.
     */
    static final int BOOKKEEPING_BYTES = 512;

    final long replayId;
    final Instant createdAt;
    final Map<String, Object> data;
    final Map<String, Object> record;
    final Set<String> userIds;
    /**
     * The event's size: its {@code data} as JSON in UTF-8, plus the record it carries as JSON, plus
     * {@link #BOOKKEEPING_BYTES}.
     */
    final long bytes;
    private volatile ServerMessage.Mutable shared;
    /** The event as the Pub/Sub API delivers it: set as it is appended, or when first asked for after a restore. */
    volatile com.salesforce.eventbus.protobuf.ConsumerEvent pubSub;

    RetainedEvent(long replayId, Instant createdAt, Map<String, Object> data, Map<String, Object> record,
            Set<String> userIds) {
        this.replayId = replayId;
        this.createdAt = createdAt;
        this.data = data;
        this.record = record;
        this.userIds = userIds;
        this.bytes = Json.sizeOf(data) + (record == null ? 0 : Json.sizeOf(record)) + BOOKKEEPING_BYTES;
    }

    /** The message to deliver on {@code channel}: shared when it is the log's own channel, new for a filtered one. */
    ServerMessage.Mutable message(BayeuxServer bayeux, String logChannel, String channel) {
        if (!logChannel.equals(channel)) {
            return build(bayeux, channel);
        }
        ServerMessage.Mutable m = shared;
        if (m == null) {
            m = build(bayeux, channel);
            shared = m;
        }
        return m;
    }

    private ServerMessage.Mutable build(BayeuxServer bayeux, String channel) {
        ServerMessage.Mutable m = bayeux.newMessage();
        m.setChannel(channel);
        m.setData(data);
        return m;
    }
}
