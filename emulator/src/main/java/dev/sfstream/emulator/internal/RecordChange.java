package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One committed DML operation on a record, as the streaming side needs it: what the record was, what it is, which
 * fields changed, who changed it and when.
 *
 * @param before the record before the operation ({@code null} on create)
 * @param after the record after the operation ({@code null} on delete)
 * @param changedFields on update, the fields whose value changed (system fields excluded); empty otherwise
 */
public record RecordChange(Operation operation, String sobjectType, String id, Map<String, Object> before,
        Map<String, Object> after, Set<String> changedFields, String userId, Instant at) {

    /** The four record events of the Streaming API. */
    public enum Operation {
        CREATE("created", "CREATE"),
        UPDATE("updated", "UPDATE"),
        DELETE("deleted", "DELETE"),
        UNDELETE("undeleted", "UNDELETE");

        private final String pushTopicType;
        private final String changeType;

        Operation(String pushTopicType, String changeType) {
            this.pushTopicType = pushTopicType;
            this.changeType = changeType;
        }

        /** The {@code data.event.type} of a PushTopic notification. */
        public String pushTopicType() {
            return pushTopicType;
        }

        /** The {@code ChangeEventHeader.changeType} of a change event. */
        public String changeType() {
            return changeType;
        }
    }

    /** The record as the notification describes it: after the change, or before it for a delete. */
    public Map<String, Object> current() {
        return after != null ? after : before;
    }
}
