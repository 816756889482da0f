package dev.sfstream.examples.springboot;

import dev.sfstream.emulator.Emulator;
import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application against a local org, as Spring Boot runs an application with its development services:
 * {@code ./mvnw -f examples/spring-boot/pom.xml spring-boot:test-run} from the repository's root. The {@code emulator}
 * profile starts the emulator inside the application; {@link Demo} then changes a few records so that events flow
 * at once. Change more from another terminal, through the emulator's REST API, with the sfstream CLI:
 * {@code ./sfstream record create Lead LastName=Doe Company=Acme --emulator http://127.0.0.1:8089}.
 */
public class TestEventProxyApplication {
    public static void main(String[] args) {
        SpringApplication.from(EventProxyApplication::main).with(Demo.class).withAdditionalProfiles("emulator")
                .run(args);
    }

    /** A Lead created and updated and an Opportunity created, once the application runs. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Demo {
        @Bean
        ApplicationRunner changeRecords(Emulator emulator) {
            return args -> {
                String lead = emulator.create("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                        "Company", "Analytical Engines"));
                emulator.update("Lead", lead, Map.of("Status", "Working"));
                emulator.create("Opportunity", Map.of("Name", "Difference Engine", "StageName", "Prospecting",
                        "CloseDate", "2027-06-30", "Amount", 1833));
            };
        }
    }
}
