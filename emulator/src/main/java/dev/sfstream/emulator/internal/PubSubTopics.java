package dev.sfstream.emulator.internal;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;

/**
 * The topics the Pub/Sub API serves, by Salesforce's "Supported Event Types" page: platform events
 * ({@code /event/<Name>__e}: declared ones, and undeclared ones once published, as the Streaming API side has them)
 * and change events ({@code /data/ChangeEvents}, {@code /data/<Type>ChangeEvent} for the types with Change Data
 * Capture). PushTopics ({@code /topic/...}) and generic channels ({@code /u/...}) are legacy events the API does not
 * serve: they are not found.
 */
final class PubSubTopics {
    private final EmulatedOrg org;

    PubSubTopics(EmulatedOrg org) {
        this.org = org;
    }

    /**
     * The topic's channel in the log, spelled as declared ({@code /event/order_placed__e} is
     * {@code /event/Order_Placed__e}).
     *
     * @throws StatusRuntimeException the empty-topic or not-found error
     */
    String resolve(String topic, PubSubAuth.Caller caller) {
        if (topic == null || topic.isBlank()) {
            throw PubSubErrors.topicEmpty(caller.rpcId(), caller.method());
        }
        if (topic.startsWith("/event/") && topic.endsWith("__e")) {
            PlatformEventSchema declared = org.declaredEvent(topic.substring("/event/".length()));
            if (declared != null) {
                return "/event/" + declared.name();
            }
            if (org.hub().hasLog(topic) && org.hub().log(topic).lastReplayId() > 0) {
                return topic;
            }
        } else if (topic.startsWith("/data/") && org.isChangeEventChannel(topic)) {
            return topic;
        }
        throw PubSubErrors.topicNotFound(caller.rpcId(), caller.method(), org.orgId(), topic);
    }

    /** Whether events may be published to the topic: platform events only. */
    static boolean canPublish(String channel) {
        return channel.startsWith("/event/");
    }

    /** The schema to publish with, and that {@code GetTopic} names: the event type's current one. */
    EventSchemas.EventSchema currentSchema(String channel) {
        EventSchemas schemas = org.hub().avro().schemas();
        if (channel.startsWith("/event/")) {
            String name = channel.substring("/event/".length());
            PlatformEventSchema declared = org.declaredEvent(name);
            return schemas.platformEvent(name, declared == null ? List.of() : declared.fields());
        }
        if (channel.equals("/data/ChangeEvents")) {
            // A topic of every type's change events, each with its own schema: name the latest event's.
            List<RetainedEvent> last = org.hub().log(channel).after(
                    Math.max(0, org.hub().log(channel).lastReplayId() - 4), 4, org.clock().instant());
            if (!last.isEmpty()) {
                var encoded = org.hub().log(channel).pubSubEvent(last.get(last.size() - 1));
                if (encoded != null) {
                    return schemas.byId(encoded.getEvent().getSchemaId()).orElseThrow();
                }
            }
            return schemas.changeEvent(org.settings().changeDataCaptureTypes().stream().sorted().findFirst()
                    .orElse("Account"));
        }
        return schemas.changeEvent(entityOf(channel));
    }

    /** The sObject type of a change event channel: {@code /data/Employee__ChangeEvent} is {@code Employee__c}. */
    String entityOf(String channel) {
        for (String type : org.settings().changeDataCaptureTypes()) {
            if (channel.equals(RecordEvents.changeEventChannel(type))) {
                return type;
            }
        }
        String base = channel.substring("/data/".length(), channel.length() - "ChangeEvent".length());
        return base.toLowerCase(Locale.ROOT).endsWith("__") ? base + "c" : base;
    }
}
