package dev.sfstream.pubsub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import org.apache.avro.Schema;

/**
 * The JSON message of an event that came over the Pub/Sub API: an ordinary {@link ObjectNode} in the Streaming API's
 * shape (it equals, prints and serializes as one), which also keeps what it was decoded from, the Avro payload and
 * its writer schema, for {@link PubSubEvents}. Not to be modified, as every event's JSON.
 */
final class PubSubMessage extends ObjectNode {
    private static final long serialVersionUID = 1L;

    private final transient Schema schema;
    private final transient ByteString payload;
    private final String eventId;

    PubSubMessage(Schema schema, ByteString payload, String eventId) {
        super(JsonNodeFactory.instance);
        this.schema = schema;
        this.payload = payload;
        this.eventId = eventId;
    }

    Schema schema() {
        return schema;
    }

    ByteString payload() {
        return payload;
    }

    String eventId() {
        return eventId;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
