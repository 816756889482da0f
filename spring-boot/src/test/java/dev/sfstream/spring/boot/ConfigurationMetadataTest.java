package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata IDEs read: every sfstream.* property is there with a type and a description. */
class ConfigurationMetadataTest {
    @Test
    void everyPropertyHasATypeAndADescription() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            names.add(name);
            assertThat(name).startsWith("sfstream.");
            assertThat(property.path("type").asText()).as(name).isNotBlank();
            assertThat(property.path("description").asText()).as(name).isNotBlank().doesNotStartWith("The ");
        }
        assertThat(names).contains("sfstream.enabled", "sfstream.auto-startup", "sfstream.login-url",
                "sfstream.client-id", "sfstream.client-secret", "sfstream.username", "sfstream.password",
                "sfstream.security-token", "sfstream.refresh-token", "sfstream.jwt-key-file", "sfstream.access-token",
                "sfstream.instance-url", "sfstream.target-org", "sfstream.replay-store", "sfstream.replay-from",
                "sfstream.replay-fallback", "sfstream.replay-namespace", "sfstream.api-version", "sfstream.transport",
                "sfstream.queue-capacity", "sfstream.connection-timeout", "sfstream.concurrency", "sfstream.retries",
                "sfstream.retry-backoff", "sfstream.error-policy", "sfstream.shutdown-timeout",
                "sfstream.emulator.enabled", "sfstream.emulator.port", "sfstream.emulator.data-file",
                "sfstream.exclusive.group", "sfstream.exclusive.lease-ttl", "sfstream.replay.jdbc.create-tables",
                "sfstream.replay.jdbc.transactional");
        Map<String, String> defaults = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            if (property.has("defaultValue")) {
                defaults.put(property.path("name").asText(), property.path("defaultValue").asText());
            }
        }
        assertThat(defaults).containsEntry("sfstream.shutdown-timeout", "10s")
                .containsEntry("sfstream.exclusive.lease-ttl", "15s")
                .containsEntry("sfstream.replay.jdbc.create-tables", "true")
                .containsEntry("sfstream.replay.jdbc.transactional", "true")
                .doesNotContainKey("sfstream.exclusive.group");
    }
}
