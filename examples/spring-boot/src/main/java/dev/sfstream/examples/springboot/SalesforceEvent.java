package dev.sfstream.examples.springboot;

import java.util.Map;

/**
 * A Salesforce change as a named application event, as nameko-salesforce's proxy dispatches them.
 *
 * @param name {@code salesforce_lead_created}, {@code salesforce_opportunity_updated}, ...
 * @param recordId the changed record's ID
 * @param record the record's fields that the notification carries
 */
public record SalesforceEvent(String name, String recordId, Map<String, Object> record) {
}
