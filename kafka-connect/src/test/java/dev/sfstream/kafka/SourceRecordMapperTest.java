package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ReplayGap;
import dev.sfstream.StreamingEvent;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayPosition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** How an event becomes a record: topic, key, value, headers, timestamp, source partition and offset. */
class SourceRecordMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-23T12:00:00Z");
    private static final String ORG = "00D000000000001AAA";

    private final SourceRecordMapper maps = new SourceRecordMapper(ORG, new TopicNames("salesforce.${channel}"),
            StreamingSourceConfig.ValueFormat.MAP);
    private final SourceRecordMapper json = new SourceRecordMapper(ORG, new TopicNames("salesforce.${channel}"),
            StreamingSourceConfig.ValueFormat.JSON);

    static StreamingEvent event(String message) throws Exception {
        return StreamingEvent.of((ObjectNode) JSON.readTree(message.replace('\'', '"')), RECEIVED);
    }

    static StreamingEvent pushTopic() throws Exception {
        return event("{'channel':'/topic/Leads','data':{'event':{'createdDate':'2026-11-23T10:15:30.000Z',"
                + "'replayId':5,'type':'updated'},'sobject':{'Id':'00Q5e000001AbcDEAS','LastName':'Doe',"
                + "'NumberOfEmployees':42}}}");
    }

    private static String header(SourceRecord record, String key) {
        Header h = record.headers().lastWithName(key);
        return h == null ? null : String.valueOf(h.value());
    }

    @Test
    void aPushTopicEventIsKeyedByItsRecordIdWithTheMessageAsAMap() throws Exception {
        StreamingEvent event = pushTopic();
        SourceRecord record = maps.toRecord(event);

        assertThat(record.topic()).isEqualTo("salesforce.topic.Leads");
        assertThat(record.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.key()).isEqualTo("00Q5e000001AbcDEAS");
        assertThat(record.valueSchema()).isNull();
        assertThat(record.value()).isEqualTo(JSON.convertValue(event.json(), Map.class));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) record.value();
        assertThat(value).containsEntry("channel", "/topic/Leads").containsKey("data");
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30Z").toEpochMilli());
        assertThat(record.sourcePartition()).isEqualTo(Map.of("org", ORG, "channel", "/topic/Leads"));
        assertThat(record.sourceOffset()).isEqualTo(Map.of("replayId", 5L));
        assertThat(header(record, "sfstream.channel")).isEqualTo("/topic/Leads");
        assertThat(record.headers().lastWithName("sfstream.replayId").value()).isEqualTo(5L);
        assertThat(header(record, "sfstream.eventType")).isEqualTo("updated");
        assertThat(header(record, "sfstream.createdDate")).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(record).isInstanceOf(EventRecord.class);
        assertThat(((EventRecord) record).event()).isSameAs(event);
    }

    @Test
    void theJsonFormatIsTheMessageTextAsAString() throws Exception {
        StreamingEvent event = pushTopic();
        SourceRecord record = json.toRecord(event);

        assertThat(record.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.value()).isEqualTo(event.json().toString());
        assertThat(JSON.readTree((String) record.value())).isEqualTo(event.json());
        assertThat(record.key()).isEqualTo("00Q5e000001AbcDEAS");
    }

    @Test
    void aChangeEventIsKeyedByItsFirstRecordIdAndTypedByItsChangeType() throws Exception {
        StreamingEvent event = event("{'channel':'/data/AccountChangeEvent','data':{'schema':'abc','payload':{"
                + "'ChangeEventHeader':{'entityName':'Account','recordIds':['001A','001B'],'changeType':'UPDATE',"
                + "'commitTimestamp':1763892930000},'Name':'Acme'},'event':{'replayId':77}}}");
        SourceRecord record = maps.toRecord(event);

        assertThat(record.key()).isEqualTo("001A");
        assertThat(record.topic()).isEqualTo("salesforce.data.AccountChangeEvent");
        assertThat(header(record, "sfstream.eventType")).isEqualTo("UPDATE");
        assertThat(record.timestamp()).isEqualTo(1763892930000L);
        assertThat(record.sourceOffset()).isEqualTo(Map.of("replayId", 77L));
    }

    @Test
    void aPlatformEventIsKeyedByItsReplayId() throws Exception {
        StreamingEvent event = event("{'channel':'/event/Order__e','data':{'schema':'s1','payload':{"
                + "'CreatedDate':'2026-11-23T09:00:00.000Z','Order_Number__c':'42'},'event':{'replayId':9,"
                + "'EventUuid':'u-1'}}}");
        SourceRecord record = maps.toRecord(event);

        assertThat(record.key()).isEqualTo("9");
        assertThat(header(record, "sfstream.eventType")).isEqualTo("event");
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z").toEpochMilli());
        assertThat(record.topic()).isEqualTo("salesforce.event.Order__e");
    }

    @Test
    void aGenericEventIsKeyedByItsReplayIdAndTypedGeneric() throws Exception {
        StreamingEvent event = event("{'channel':'/u/notes','data':{'event':{'createdDate':"
                + "'2026-11-23T08:00:00.000+0000','replayId':3},'payload':'hello'}}");
        SourceRecord record = json.toRecord(event);

        assertThat(record.key()).isEqualTo("3");
        assertThat(header(record, "sfstream.eventType")).isEqualTo("generic");
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-23T08:00:00Z").toEpochMilli());
    }

    @Test
    void aPushTopicEventWithoutAnIdFallsBackToTheReplayId() throws Exception {
        StreamingEvent event = event("{'channel':'/topic/Leads','data':{'event':{'replayId':12,'type':'deleted'},"
                + "'sobject':{'LastName':'Doe'}}}");

        assertThat(maps.toRecord(event).key()).isEqualTo("12");
        assertThat(SourceRecordMapper.eventType(event)).isEqualTo("deleted");
    }

    @Test
    void aPubSubEventKeepsItsReplayIdBytesInItsOffsetAndAHeader() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree(("{'channel':'/event/Order__e','data':{'schema':'s1',"
                + "'payload':{'CreatedDate':'2026-11-23T09:00:00.000Z','Order_Number__c':'42'},'event':{"
                + "'replayId':9,'EventUuid':'u-1'}}}").replace('\'', '"'));
        ReplayPosition nine = ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 9});
        SourceRecord record = maps.toRecord(StreamingEvent.of(message, RECEIVED, nine));

        assertThat(record.sourceOffset()).isEqualTo(Map.of("replayId", 9L, "replayPosition", "pubsub:AAAAAAAAAAk="));
        assertThat(header(record, "sfstream.replayPosition")).isEqualTo("pubsub:AAAAAAAAAAk=");
        assertThat(record.headers().lastWithName("sfstream.replayId").value()).isEqualTo(9L);
        assertThat(record.key()).isEqualTo("9");

        ReplayPosition long12 = ReplayPosition.ofBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        SourceRecord wide = maps.toRecord(StreamingEvent.of(message, RECEIVED, long12));
        assertThat(SourceOffsets.position(wide.sourceOffset())).hasValue(long12);
        assertThat(header(wide, "sfstream.replayPosition")).isEqualTo(long12.encode());
    }

    @Test
    void aStreamingApiEventHasNoReplayPositionHeader() throws Exception {
        assertThat(maps.toRecord(pushTopic()).headers().lastWithName("sfstream.replayPosition")).isNull();
    }

    @Test
    void aReplayGapNoticeHasNoRecord() {
        StreamingEvent gap = StreamingEvent.gap(new ReplayGap("/topic/Leads", 5, ReplayFallback.NEW_EVENTS,
                "expired"));

        assertThatThrownBy(() -> maps.toRecord(gap)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nestedValuesBecomePlainMapsAndLists() throws Exception {
        StreamingEvent event = event("{'channel':'/event/Order__e','data':{'payload':{'Lines__c':[1,2],"
                + "'Ship__c':{'City':'Paris'}},'event':{'replayId':1}}}");
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) maps.toRecord(event).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) value.get("data")).get("payload");

        assertThat(payload.get("Lines__c")).isEqualTo(List.of(1, 2));
        assertThat(payload.get("Ship__c")).isEqualTo(Map.of("City", "Paris"));
    }
}
