package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.service.ErrorPolicy;
import dev.sfstream.service.HandlerFailure;
import dev.sfstream.service.Subscribe;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * Handler failures follow the service's error policy, and show in the health, the meters and the application's
 * failure listeners; the lifecycle starts by hand with {@code auto-startup=false}, and starts again after a stop.
 */
class ErrorPolicyAndLifecycleTest {
    static final String CHANNEL = "/event/Order_Placed__e";
    Emulator emulator;

    @BeforeEach
    void startOrg() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(5)).build().start();
    }

    @AfterEach
    void stopOrg() {
        emulator.close();
    }

    @Component
    static class Orders {
        final List<String> handled = new CopyOnWriteArrayList<>();
        volatile boolean broken = true;

        @Subscribe(CHANNEL)
        void onOrder(String channel, StreamingEvent event) {
            String number = event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText();
            if (broken && number.equals("POISON")) {
                throw new IllegalStateException("cannot ship " + number);
            }
            handled.add(number);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class App {
        final List<HandlerFailure> failures = new CopyOnWriteArrayList<>();

        @Bean
        HandlerFailureListener failureListener() {
            return failures::add;
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        String[] args = {"--sfstream.login-url=" + emulator.url(), "--sfstream.client-id=" + Emulator.DEFAULT_CLIENT_ID,
            "--sfstream.client-secret=" + Emulator.DEFAULT_CLIENT_SECRET,
            "--sfstream.username=" + Emulator.DEFAULT_USERNAME, "--sfstream.password=" + Emulator.DEFAULT_PASSWORD,
            "--sfstream.retries=1", "--sfstream.retry-backoff=10ms"};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(all);
    }

    @Test
    void stopPolicyStopsTheChannelTurnsHealthDownAndRestartResumesWithTheFailedEvent() {
        try (ConfigurableApplicationContext ctx = start("--sfstream.error-policy=stop")) {
            Orders orders = ctx.getBean(Orders.class);
            SfstreamHealthIndicator health = ctx.getBean(SfstreamHealthIndicator.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "POISON"));
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-3"));

            await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus().equals(Status.DOWN));
            Health down = health.health();
            assertThat(down.getDetails()).containsEntry("stoppedChannels", List.of(CHANNEL));
            assertThat(orders.handled).containsExactly("O-1");
            List<HandlerFailure> failures = ctx.getBean(App.class).failures;
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.policy()).isEqualTo(ErrorPolicy.STOP);
                assertThat(f.attempts()).isEqualTo(2);
                assertThat(f.cause()).hasMessage("cannot ship POISON");
            });
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(meters.get(SfstreamMetrics.HANDLER)
                    .tag("channel", CHANNEL).tag("outcome", "failure").timer().count()).isEqualTo(1));

            orders.broken = false;
            ctx.getBean(StreamingServiceLifecycle.class).restart(CHANNEL);
            await().atMost(Duration.ofSeconds(20)).until(() -> orders.handled.size() == 3);
            assertThat(orders.handled).containsExactly("O-1", "POISON", "O-3");
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void skipPolicyCommitsAndGoesOnCountingTheEventAsSkipped() {
        try (ConfigurableApplicationContext ctx = start("--sfstream.error-policy=skip")) {
            Orders orders = ctx.getBean(Orders.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "POISON"));
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> orders.handled.contains("O-2"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(meters.get(SfstreamMetrics.HANDLER).tag("outcome", "skipped").timer().count())
                        .isEqualTo(1);
                assertThat(meters.get(SfstreamMetrics.HANDLER).tag("outcome", "success").timer().count())
                        .isEqualTo(1);
                assertThat(meters.get(SfstreamMetrics.COMMITTED).tag("channel", CHANNEL).counter().count())
                        .isEqualTo(2.0);
            });
            assertThat(ctx.getBean(SfstreamHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(ctx.getBean(App.class).failures).singleElement()
                    .satisfies(f -> assertThat(f.policy()).isEqualTo(ErrorPolicy.SKIP));
        }
    }

    @Test
    void withoutAutoStartupItStartsByHandAndStartsAgainAfterAStop() {
        try (ConfigurableApplicationContext ctx = start("--sfstream.auto-startup=false")) {
            StreamingServiceLifecycle lifecycle = ctx.getBean(StreamingServiceLifecycle.class);
            SfstreamHealthIndicator health = ctx.getBean(SfstreamHealthIndicator.class);
            Orders orders = ctx.getBean(Orders.class);
            orders.broken = false;
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(emulator.status().toString()).doesNotContain(CHANNEL); // nothing subscribed yet

            lifecycle.start();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> orders.handled.size() == 1);

            lifecycle.stop();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

            lifecycle.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> orders.handled.size() == 2);
            assertThat(orders.handled).containsExactly("O-1", "O-2");
        }
    }
}
