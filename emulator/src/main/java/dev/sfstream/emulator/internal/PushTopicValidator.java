package dev.sfstream.emulator.internal;

import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.PushTopicRules;
import dev.sfstream.soql.RuleViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Salesforce's checks on a PushTopic record: the field rules of the soql module (the same texts the client checks
 * offline), the known fields and their defaults, the restricted NotifyForFields picklist, the read-only
 * NotifyForOperations and a unique name.
 */
final class PushTopicValidator implements OrgData.Validator {
    private static final Set<String> WRITABLE = fields("Name", "Query", "ApiVersion", "IsActive", "NotifyForFields",
            "NotifyForOperationCreate", "NotifyForOperationUpdate", "NotifyForOperationDelete",
            "NotifyForOperationUndelete", "Description");
    private static final List<String> OPERATIONS = List.of("NotifyForOperationCreate", "NotifyForOperationUpdate",
            "NotifyForOperationDelete", "NotifyForOperationUndelete");

    @Override
    public void validate(OrgData org, Map<String, Object> merged, Map<String, Object> incoming, String existingId) {
        for (String field : incoming.keySet()) {
            if (field.equalsIgnoreCase("NotifyForOperations")) {
                throw new DmlException(400, List.of(new ApiError("INVALID_FIELD_FOR_INSERT_UPDATE",
                        "Unable to create/update fields: NotifyForOperations. Please check the security settings of "
                                + "this field and verify that it is read/write for your profile or permission set.",
                        List.of("NotifyForOperations"))));
            }
            if (!WRITABLE.contains(field)) {
                throw new DmlException(400, "INVALID_FIELD",
                        "No such column '" + field + "' on sobject of type PushTopic");
            }
        }
        merged.putIfAbsent("IsActive", true);
        merged.putIfAbsent("NotifyForFields", NotifyForFields.REFERENCED.salesforceName());
        for (String op : OPERATIONS) {
            merged.putIfAbsent(op, true);
        }
        NotifyForFields mode;
        try {
            mode = NotifyForFields.fromSalesforceName(String.valueOf(merged.get("NotifyForFields")));
        } catch (IllegalArgumentException e) {
            throw new DmlException(400, List.of(new ApiError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    "NotifyForFields: bad value for restricted picklist field: " + merged.get("NotifyForFields"),
                    List.of("NotifyForFields"))));
        }
        merged.put("NotifyForFields", mode.salesforceName());
        Double apiVersion = apiVersion(merged.get("ApiVersion"));
        if (apiVersion != null) {
            merged.put("ApiVersion", apiVersion);
        }
        for (String op : OPERATIONS) {
            merged.put(op, Boolean.parseBoolean(String.valueOf(merged.get(op))));
        }
        merged.put("IsActive", Boolean.parseBoolean(String.valueOf(merged.get("IsActive"))));
        String name = merged.get("Name") == null ? null : String.valueOf(merged.get("Name"));
        String query = merged.get("Query") == null ? null : String.valueOf(merged.get("Query"));
        String description = merged.get("Description") == null ? null : String.valueOf(merged.get("Description"));
        List<ApiError> errors = new ArrayList<>();
        for (RuleViolation v : PushTopicRules.check(name, query, apiVersion, description, mode)) {
            errors.add(new ApiError(v.errorCode(), v.message(), v.fields()));
        }
        if (!errors.isEmpty()) {
            throw new DmlException(400, errors);
        }
        for (Map<String, Object> other : org.records("PushTopic")) {
            Object otherId = other.get("Id");
            if (!otherId.equals(existingId) && name.equalsIgnoreCase(String.valueOf(other.get("Name")))) {
                throw new DmlException(400, List.of(new ApiError("DUPLICATE_VALUE",
                        "duplicate value found: Name duplicates value on record with id: " + otherId,
                        List.of("Name"))));
            }
        }
        merged.put("NotifyForOperations", notifyForOperations(merged));
    }

    private static Double apiVersion(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new DmlException(400, List.of(new ApiError("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of double from VALUE_STRING value " + value, List.of("ApiVersion"))));
        }
    }

    /** The read-only summary field: All, Create, Update, or Extended (neither create nor update). */
    private static String notifyForOperations(Map<String, Object> merged) {
        boolean create = Boolean.TRUE.equals(merged.get("NotifyForOperationCreate"));
        boolean update = Boolean.TRUE.equals(merged.get("NotifyForOperationUpdate"));
        if (create && update) {
            return "All";
        }
        if (create) {
            return "Create";
        }
        if (update) {
            return "Update";
        }
        return "Extended";
    }

    private static Set<String> fields(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
