package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot 4 manages a newer Jackson 2 than the client is built with (and uses Jackson 3 for itself): this
 * module's build keeps the client's.
 */
class JacksonVersionTest {
    @Test
    void theClientRunsOnTheJackson2ItIsBuiltWith() throws Exception {
        Properties versions = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/versions.properties")) {
            versions.load(in);
        }
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
                .isEqualTo(versions.getProperty("jackson.version"));
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString())
                .isEqualTo(versions.getProperty("jackson.version"));
    }
}
