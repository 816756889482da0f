package dev.sfstream;

import java.util.List;

/**
 * The {@code ChangeEventHeader} of a Change Data Capture event: which records changed, how, in which transaction
 * and by whom.
 */
public record ChangeEventHeader(String entityName, List<String> recordIds, String changeType, String changeOrigin,
        String transactionKey, long sequenceNumber, boolean isTransactionEnd, long commitTimestamp,
        long commitNumber, String commitUser, List<String> changedFields, List<String> nulledFields,
        List<String> diffFields) {
    public ChangeEventHeader {
        recordIds = List.copyOf(recordIds);
        changedFields = List.copyOf(changedFields);
        nulledFields = List.copyOf(nulledFields);
        diffFields = List.copyOf(diffFields);
    }
}
