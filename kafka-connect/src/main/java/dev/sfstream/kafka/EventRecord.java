package dev.sfstream.kafka;

import dev.sfstream.StreamingEvent;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source record that remembers the Salesforce event it was made from, so that
 * {@link SalesforceStreamingSourceTask#commitRecord} can commit that event in the client without a lookup table
 * (Connect hands back the record as the task returned it, before any transformation).
 */
final class EventRecord extends SourceRecord {
    private final StreamingEvent event;

    EventRecord(StreamingEvent event, Map<String, ?> partition, Map<String, ?> offset, String topic, Schema keySchema,
            Object key, Schema valueSchema, Object value, Long timestamp, Iterable<Header> headers) {
        super(partition, offset, topic, null, keySchema, key, valueSchema, value, timestamp, headers);
        this.event = event;
    }

    /** The event this record was made from. */
    StreamingEvent event() {
        return event;
    }
}
