package dev.sfstream.pubsub;

import dev.sfstream.StreamingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * What an event that came over the Pub/Sub API carries beyond its JSON: the Avro record as Salesforce sent it (a
 * change event's field lists still as bitmaps, its unchanged fields as nulls), its writer schema and its event ID.
 * Every method answers empty for an event of another transport (and for a replay gap notice).
 *
 * <pre>{@code
 * GenericRecord record = PubSubEvents.avroRecord(event).orElseThrow();
 * }</pre>
 *
 * Stateless and thread-safe; the record is decoded anew at each call, from the payload the event keeps.
 */
public final class PubSubEvents {
    private PubSubEvents() {
    }

    /** The event's Avro record, decoded with the schema of its own schema ID. */
    public static Optional<GenericRecord> avroRecord(StreamingEvent event) {
        if (!(event.json() instanceof PubSubMessage m)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GenericDatumReader<GenericRecord>(m.schema()).read(null,
                    DecoderFactory.get().binaryDecoder(m.payload().toByteArray(), null)));
        } catch (IOException e) {
            throw new UncheckedIOException("the payload no longer reads with its schema", e);
        }
    }

    /** The Avro schema the event was written with. */
    public static Optional<Schema> schema(StreamingEvent event) {
        return event.json() instanceof PubSubMessage m ? Optional.of(m.schema()) : Optional.empty();
    }

    /**
     * The event's ID on the Pub/Sub API ({@code ProducerEvent.id}): a platform event's {@code EventUuid}, and an ID
     * of its own for a change event.
     */
    public static Optional<String> eventId(StreamingEvent event) {
        return event.json() instanceof PubSubMessage m && !m.eventId().isEmpty() ? Optional.of(m.eventId())
                : Optional.empty();
    }

    /** Whether the event came over the Pub/Sub API. */
    public static boolean isPubSub(StreamingEvent event) {
        return event.json() instanceof PubSubMessage;
    }
}
