package dev.sfstream.emulator.internal;

import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Publishing over the Pub/Sub API ({@code Publish} and {@code PublishStream}), by Salesforce's PublishStream page and
 * Allocations page: each event's Avro payload is read with the schema its {@code schema_id} names; its
 * {@code CreatedDate} and {@code CreatedById} are required; an event over 1 MB is refused on its own; one
 * {@link PublishResult} per event, in order, with the event's replay ID or an error, and the event's {@code id} as
 * {@code correlation_key} (a new UUID when it has none). A request over 4 MB fails as a whole. A published event goes
 * into the one log: Streaming API subscribers of {@code /event/...} get it too.
 */
final class PubSubPublisher {
    /** Salesforce's maximum event message size. */
    static final int MAX_EVENT_BYTES = 1_048_576;
    /** Salesforce's maximum publish request. */
    static final int MAX_REQUEST_BYTES = 4 * 1_048_576;

    private final EmulatedOrg org;
    private final PubSubTopics topics;

    PubSubPublisher(EmulatedOrg org, PubSubTopics topics) {
        this.org = org;
        this.topics = topics;
    }

    /**
     * Publishes a request's events.
     *
     * @throws StatusRuntimeException for the request as a whole: too large, no such topic, a topic that takes no
     *     publishing
     */
    PublishResponse publish(PublishRequest request, String topic, PubSubAuth.Caller caller) {
        if (request.getSerializedSize() > MAX_REQUEST_BYTES) {
            throw PubSubErrors.requestTooLarge();
        }
        String channel = topics.resolve(topic, caller);
        if (!PubSubTopics.canPublish(channel)) {
            throw PubSubErrors.cannotPublish(caller.rpcId(), caller.method(), channel);
        }
        String eventName = channel.substring("/event/".length());
        PublishResponse.Builder response = PublishResponse.newBuilder().setRpcId(caller.rpcId());
        for (ProducerEvent event : request.getEventsList()) {
            response.addResults(publish(event, eventName));
        }
        return response.setSchemaId(topics.currentSchema(channel).id()).build();
    }

    private PublishResult publish(ProducerEvent event, String eventName) {
        String id = event.getId();
        if (id.length() > 36) {
            return failed(id, "The event ID must be 36 characters or fewer: " + id);
        }
        if (event.getPayload().size() > MAX_EVENT_BYTES) {
            return failed(id, "The event payload size of " + event.getPayload().size() + " bytes exceeds the maximum "
                    + "allowed size of " + MAX_EVENT_BYTES + " bytes");
        }
        Optional<EventSchemas.EventSchema> schema = org.hub().avro().schemas().byId(event.getSchemaId());
        if (schema.isEmpty() || !schema.get().avro().getName().equalsIgnoreCase(eventName)) {
            return failed(id, "The schema ID " + event.getSchemaId() + " isn't a schema of " + eventName
                    + ". Get the topic's schema ID with GetTopic.");
        }
        Map<String, Object> fields;
        try {
            fields = AvroEvents.read(schema.get().avro(), event.getPayload());
        } catch (IOException | RuntimeException e) {
            return failed(id, "The event payload can't be deserialized with schema " + event.getSchemaId() + ".");
        }
        Object createdById = fields.remove("CreatedById");
        Object createdDate = fields.remove("CreatedDate");
        if (createdById == null || createdById.toString().isBlank() || !(createdDate instanceof Instant at)) {
            return failed(id, "The CreatedById and CreatedDate fields are required.");
        }
        try {
            EmulatedOrg.PublishedEvent published = org.publishPlatformEvent(eventName, fields, createdById.toString(),
                    at);
            return PublishResult.newBuilder().setReplayId(ReplayIds.encode(published.replayId()))
                    .setCorrelationKey(id.isEmpty() ? UUID.randomUUID().toString() : id).build();
        } catch (DmlException e) {
            return failed(id, e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
        }
    }

    private static PublishResult failed(String id, String message) {
        return PublishResult.newBuilder().setCorrelationKey(id)
                .setError(Error.newBuilder().setCode(ErrorCode.PUBLISH).setMsg(message)).build();
    }
}
