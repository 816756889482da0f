package dev.sfstream.soql;

import java.util.ArrayList;
import java.util.List;

/**
 * Salesforce's rules for a whole PushTopic record: Name, Query, ApiVersion, Description and NotifyForFields. The
 * query itself is checked by {@link PushTopicQuery}; this class adds the other fields' rules.
 *
 * <p>Texts follow Salesforce's field errors ({@code REQUIRED_FIELD_MISSING}, {@code STRING_TOO_LONG}). Salesforce
 * does not document which characters a name may hold; we accept letters, digits and underscores, which every
 * channel name built from them keeps valid.
 *
 * <p>Stateless and thread-safe.
 */
public final class PushTopicRules {
    /** The longest PushTopic name, which is also the channel name after {@code /topic/}. */
    public static final int MAX_NAME_LENGTH = 25;
    /** The longest description. */
    public static final int MAX_DESCRIPTION_LENGTH = 400;
    /** ApiVersion must be greater than this. */
    public static final double MIN_API_VERSION_EXCLUSIVE = 20.0;

    private PushTopicRules() {
    }

    /**
     * Checks a PushTopic as Salesforce does when it is created.
     *
     * @param name the PushTopic name
     * @param query the SOQL query
     * @param apiVersion the API version, such as 64.0; {@code null} when missing
     * @param description the description, or {@code null}
     * @param mode NotifyForFields, or {@code null} for Salesforce's default (Referenced)
     * @return every violation, empty when Salesforce would accept the record
     */
    public static List<RuleViolation> check(String name, String query, Double apiVersion, String description,
            NotifyForFields mode) {
        List<RuleViolation> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            missing.add("Name");
        }
        if (query == null || query.isEmpty()) {
            missing.add("Query");
        }
        if (apiVersion == null) {
            missing.add("ApiVersion");
        }
        if (!missing.isEmpty()) {
            found.add(new RuleViolation("REQUIRED_FIELD_MISSING",
                    "Required fields are missing: " + missing, missing));
        }
        if (name != null && !name.isEmpty()) {
            found.addAll(checkName(name));
        }
        if (apiVersion != null && !(apiVersion > MIN_API_VERSION_EXCLUSIVE)) {
            found.add(new RuleViolation("FIELD_INTEGRITY_EXCEPTION",
                    "ApiVersion: the API version must be greater than 20.0: " + apiVersion, List.of("ApiVersion")));
        }
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            found.add(tooLong("Description", description, MAX_DESCRIPTION_LENGTH));
        }
        if (query != null && !query.isEmpty()) {
            found.addAll(PushTopicQuery.check(query, mode));
        }
        return List.copyOf(found);
    }

    /** Checks a PushTopic name alone: length and characters. */
    public static List<RuleViolation> checkName(String name) {
        List<RuleViolation> found = new ArrayList<>();
        if (name.length() > MAX_NAME_LENGTH) {
            found.add(tooLong("Name", name, MAX_NAME_LENGTH));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                found.add(new RuleViolation("FIELD_INTEGRITY_EXCEPTION",
                        "Name: a PushTopic name may contain only letters, digits and underscores: " + name,
                        List.of("Name")));
                break;
            }
        }
        return found;
    }

    static RuleViolation tooLong(String field, String value, int max) {
        return new RuleViolation("STRING_TOO_LONG",
                field + ": data value too large: " + value + " (max length=" + max + ")", List.of(field));
    }
}
