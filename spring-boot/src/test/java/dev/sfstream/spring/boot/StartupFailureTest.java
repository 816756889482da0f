package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad value fails the application's start with Spring Boot's report naming the property, as a user sees it, and
 * never shows a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {
    static final String SECRET = "app-secret-5772";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sfstream.queue-capacity=0                        | sfstream.queue-capacity   | must be 1 or more",
        "sfstream.concurrency=0                           | sfstream.concurrency      | must be 1 or more",
        "sfstream.retries=-1                              | sfstream.retries          | must be 0 or more",
        "sfstream.api-version=30.0                        | sfstream.api-version      | 37.0 or later",
        "sfstream.api-version=latest                      | sfstream.api-version      | must look like 64.0",
        "sfstream.shutdown-timeout=-5s                    | sfstream.shutdown-timeout | positive duration",
        "sfstream.error-policy=retry-forever              | sfstream.error-policy     | ErrorPolicy",
        "sfstream.replay-from=yesterday                   | sfstream.replay-from      | ReplayStart",
        "sfstream.replay-fallback=ignore                  | sfstream.replay-fallback  | ReplayFallback",
        "sfstream.login-url=ftp://login.example.com       | sfstream.login-url        | ftp://login.example.com",
        "sfstream.login-url=http://login.example.com      | sfstream.login-url        | http",
        "sfstream.transport=carrier-pigeon                | sfstream.transport        | no transport named",
        "sfstream.transport=pubsub;sfstream.transport-settings.tls=maybe"
            + " | sfstream.transportSettings[tls] | tls must be",
        "sfstream.emulator.port=70000                     | sfstream.emulator.port    | port number",
        "sfstream.replay-store=redis://:hunter2@127.0.0.1:1/0 | sfstream.replay-store | redis://:***@127.0.0.1:1/0",
        "sfstream.replay-store=ftp://host/x               | sfstream.replay-store     | ftp://host/x",
        "sfstream.replay-store=jdbc:postgresql://127.0.0.1:1/app?user=app&password=hunter2"
            + " | sfstream.replay-store | cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/app?user=app"
            + "&password=***",
        "sfstream.replay-store=jdbc                       | sfstream.replay-store     | set spring.datasource.url",
        "sfstream.exclusive.group=orders                  | sfstream.exclusive.group  | replay-store is memory:",
        "sfstream.exclusive.group=orders;sfstream.replay-store=file:target/exclusive-replay.json"
            + " | sfstream.exclusive.group | set sfstream.replay-store to redis://..., jdbc:postgresql://... or jdbc",
        "sfstream.exclusive.group=                        | sfstream.exclusive.group  | must not be blank",
        "sfstream.exclusive.group=orders;sfstream.exclusive.lease-ttl=0s"
            + " | sfstream.exclusive.lease-ttl | positive duration",
    })
    void aBadValueFailsTheStartNamingTheProperty(String settings, String property, String reason,
            CapturedOutput output) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--sfstream.client-id=app",
                "--sfstream.client-secret=" + SECRET, "--sfstream.username=u@acme.test",
                "--sfstream.password=" + SECRET), java.util.Arrays.stream(settings.split(";")).map(s -> "--" + s))
                .toArray(String[]::new);
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args))
                .isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(property).contains(reason)
                .doesNotContain(SECRET).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sfstream.login-url=https://login.salesforce.com  | sfstream.client-id        | no credentials",
        "sfstream.password=" + SECRET + "                 | sfstream.client-id        | consumer key",
        "sfstream.client-id=app                           | sfstream.client-secret    | client-id alone",
    })
    void missingCredentialsFailTheStartNamingTheProperty(String setting, String property, String reason,
            CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .run("--" + setting)).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(property).contains(reason)
                .doesNotContain(SECRET);
    }
}
