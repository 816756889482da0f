package dev.sfstream.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.RestException;
import dev.sfstream.soql.RuleViolation;
import dev.sfstream.soql.Soql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * PushTopic administration over REST: declare (create, or update the topic of that name), deactivate, delete,
 * get, list.
 *
 * <p>Every definition is checked offline first, with Salesforce's own rules and texts (module sfstream-soql): a
 * refused definition fails before any call, with the {@link RestException} Salesforce would have answered.
 * {@link #declare} is idempotent and safe when two processes declare the same topic at once: exactly one topic
 * results. Thread-safe.
 */
public final class PushTopics {
    private final SalesforceRest rest;

    public PushTopics(SalesforceRest rest) {
        this.rest = Objects.requireNonNull(rest, "rest");
    }

    /**
     * Creates the topic, or updates the one with that name to match; does nothing when it already matches. The name
     * is matched without regard to case, as Salesforce does, and an existing topic keeps its name: use the returned
     * topic's {@code definition().channel()} to subscribe.
     *
     * @return the topic as stored
     * @throws RestException when the definition breaks Salesforce's rules (checked offline) or Salesforce refuses it
     */
    public PushTopic declare(PushTopicDefinition definition) {
        checkOffline(definition);
        Optional<PushTopic> existing = get(definition.name());
        if (existing.isEmpty()) {
            try {
                String id = rest.create("PushTopic", definition.fields());
                return new PushTopic(id, definition);
            } catch (RestException e) {
                if (!"DUPLICATE_VALUE".equals(e.errorCode())) {
                    throw e;
                }
                // Another process created it between our look-up and our create: update theirs.
                existing = get(definition.name());
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        PushTopic current = existing.get();
        // Names are unique without regard to case: a topic declared as "leadupdates" where "LeadUpdates" exists is
        // that topic, and keeps its name, so that /topic/LeadUpdates subscribers go on receiving.
        PushTopicDefinition wanted = definition.withName(current.definition().name());
        if (current.definition().equals(wanted)) {
            return current;
        }
        Map<String, Object> fields = new java.util.LinkedHashMap<>(wanted.fields());
        fields.remove("Name");
        rest.update("PushTopic", current.id(), fields);
        return new PushTopic(current.id(), wanted);
    }

    /** Stops the topic from notifying (IsActive = false); it keeps its name and query. */
    public void deactivate(String name) {
        PushTopic topic = require(name);
        rest.update("PushTopic", topic.id(), Map.of("IsActive", false));
    }

    /** Deletes the topic. */
    public void delete(String name) {
        rest.delete("PushTopic", require(name).id());
    }

    /** The topic of that name (names are unique), if any. */
    public Optional<PushTopic> get(String name) {
        Objects.requireNonNull(name, "name");
        List<ObjectNode> records = rest.query("SELECT " + PushTopic.FIELDS + " FROM PushTopic WHERE Name = "
                + Soql.quote(name)).records();
        return records.isEmpty() ? Optional.empty() : Optional.of(PushTopic.from(records.get(0)));
    }

    /** Every topic of the org, by name. */
    public List<PushTopic> list() {
        List<PushTopic> out = new ArrayList<>();
        rest.query("SELECT " + PushTopic.FIELDS + " FROM PushTopic ORDER BY Name").records()
                .forEach(r -> out.add(PushTopic.from(r)));
        return out;
    }

    private PushTopic require(String name) {
        return get(name).orElseThrow(() -> new RestException(404, List.of(new RestException.Error("NOT_FOUND",
                "no PushTopic named " + name, List.of("Name"))), "PushTopic " + name));
    }

    /**
     * Refuses a definition Salesforce would refuse, with Salesforce's errors.
     *
     * @throws RestException status 400, the errors Salesforce would answer
     */
    public static void checkOffline(PushTopicDefinition definition) {
        List<RuleViolation> violations = definition.violations();
        if (!violations.isEmpty()) {
            List<RestException.Error> errors = new ArrayList<>();
            violations.forEach(v -> errors.add(new RestException.Error(v.errorCode(), v.message(), v.fields())));
            throw new RestException(400, errors, "PushTopic " + definition.name() + " (checked offline)");
        }
    }
}
