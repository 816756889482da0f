package com.example.readme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingEvent;
import dev.sfstream.service.HandleNotification;
import dev.sfstream.service.HandleSObjectNotification;
import dev.sfstream.service.Subscribe;
import dev.sfstream.soql.NotifyForFields;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The README's declarative handler example, word for word, in a package of its own as a user's code would be.
 * Proxies Lead and Opportunity changes as named events, like nameko-salesforce's example.
 */
public class SalesforceEventProxy {
    /** A Contact as your code sees it; Jackson maps the notification's record to it. */
    public record Contact(String Id, String FirstName, String LastName) { }

    private final Consumer<Map<String, Object>> dispatch;   // your message bus, a queue, a log...

    public SalesforceEventProxy(Consumer<Map<String, Object>> dispatch) {
        this.dispatch = dispatch;
    }

    @HandleSObjectNotification(sobjectType = "Lead")
    @HandleSObjectNotification(sobjectType = "Opportunity")
    void onChange(String sobjectType, String recordType, JsonNode notification) {
        dispatch.accept(Map.of(                                           // salesforce_lead_created, ...
                "event", "salesforce_" + sobjectType.toLowerCase(Locale.ROOT) + "_"
                        + notification.path("event").path("type").asText(),
                "payload", notification.path("sobject")));
    }

    @HandleNotification(name = "ContactNameUpdated",
            query = "SELECT Id, FirstName, LastName FROM Contact",
            notifyForFields = NotifyForFields.SELECT, notifyForOperationCreate = false)
    void onContactName(String name, Contact contact) {
        dispatch.accept(Map.of("event", "contact_renamed", "payload", contact.FirstName() + " " + contact.LastName()));
    }

    @Subscribe("/event/Order_Placed__e")
    void onOrder(String channel, StreamingEvent event) {
        dispatch.accept(Map.of("event", "order_placed", "payload", event.platformEvent().orElseThrow().payload()));
    }
}
