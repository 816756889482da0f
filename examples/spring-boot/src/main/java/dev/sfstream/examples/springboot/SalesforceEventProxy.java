package dev.sfstream.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.service.HandleSObjectNotification;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Proxies Lead and Opportunity changes as named application events. The starter finds this bean, declares a
 * PushTopic per sObject type, and calls {@link #onChange} for every change, one type's changes in order; the
 * change's replay marker is committed once it returns.
 */
@Component
public class SalesforceEventProxy {
    private final ApplicationEventPublisher events;

    public SalesforceEventProxy(ApplicationEventPublisher events) {
        this.events = events;
    }

    @HandleSObjectNotification(sobjectType = "Lead", fields = {"FirstName", "LastName", "Company", "Status"})
    @HandleSObjectNotification(sobjectType = "Opportunity", fields = {"Name", "StageName", "Amount"})
    void onChange(String sobjectType, String recordType, JsonNode notification) {
        String name = "salesforce_" + sobjectType.toLowerCase(Locale.ROOT) + "_"
                + notification.path("event").path("type").asText();
        Map<String, Object> record = new LinkedHashMap<>();
        notification.path("sobject").properties().forEach(f -> record.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asText()));
        events.publishEvent(new SalesforceEvent(name, notification.path("sobject").path("Id").asText(), record));
    }
}
