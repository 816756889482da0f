package dev.sfstream.examples.springboot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Where the proxied events go: a log here; a message bus, a queue or your domain code in a real service. */
@Component
public class SalesforceEventLog {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceEventLog.class);

    @EventListener
    void on(SalesforceEvent event) {
        LOG.info("{} {} {}", event.name(), event.recordId(), event.record());
    }
}
