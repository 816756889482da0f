package dev.sfstream.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * nameko-salesforce's event proxy as a Spring Boot service: {@link SalesforceEventProxy} turns Lead and Opportunity
 * changes into named {@link SalesforceEvent}s, which {@link SalesforceEventLog} receives as any other application
 * event. The starter does the rest from {@code application.properties}.
 */
@SpringBootApplication
public class EventProxyApplication {
    public static void main(String[] args) {
        SpringApplication.run(EventProxyApplication.class, args);
    }
}
