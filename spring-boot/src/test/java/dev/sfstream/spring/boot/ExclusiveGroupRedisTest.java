package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas of one application ({@code sfstream.exclusive.group}) with their markers and the group's lease in a real
 * {@code redis-server} ({@code sfstream.replay-store=redis://...}): one consumes, the other waits as an UP standby,
 * and takes over from the committed marker when the active one closes.
 */
class ExclusiveGroupRedisTest {
    private static final String GROUP = "orders";

    private RedisServer redis;
    private Emulator emulator;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(5)).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
        redis.close();
    }

    private ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(OrderApp.class).web(WebApplicationType.NONE).run(
                "--sfstream.login-url=" + emulator.url(), "--sfstream.client-id=" + Emulator.DEFAULT_CLIENT_ID,
                "--sfstream.client-secret=" + Emulator.DEFAULT_CLIENT_SECRET,
                "--sfstream.username=" + Emulator.DEFAULT_USERNAME, "--sfstream.password=" + Emulator.DEFAULT_PASSWORD,
                "--sfstream.replay-store=" + redis.uri(), "--sfstream.replay-from=all",
                "--sfstream.exclusive.group=" + GROUP, "--sfstream.exclusive.lease-ttl=2s");
    }

    private void publish(String number) {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", number));
    }

    private static List<String> seen(ConfigurableApplicationContext ctx) {
        return ctx.getBean(OrderApp.Orders.class).seen;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(ConfigurableApplicationContext ctx) {
        Health health = ctx.getBean(SfstreamHealthIndicator.class).health();
        assertThat(health.getStatus()).as("%s", health.getDetails()).isEqualTo(Status.UP);
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("exclusive")).get(GROUP);
    }

    @Test
    void oneReplicaConsumesAndTheStandbyTakesOverFromTheCommittedMarkerWhenTheActiveOneCloses() throws Exception {
        ConfigurableApplicationContext a = replica();
        ConfigurableApplicationContext b = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("role", "active", "epoch", 1L).equals(part(a)));
            b = replica();
            assertThat(part(b)).isEqualTo(Map.of("role", "standby"));

            publish("O-1");
            publish("O-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> seen(a).size() == 2);
            List<String> seenByA = seen(a);
            assertThat(seenByA).containsExactly("O-1", "O-2");

            a.close(); // releases the lease: the standby takes it at its next try, a third of the TTL later
            ConfigurableApplicationContext takeover = b;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Map.of("role", "active", "epoch", 2L).equals(part(takeover)));
            publish("O-3");
            await().atMost(Duration.ofSeconds(20)).until(() -> seen(takeover).size() == 1);
            // From the marker the first replica committed (replay-from=all would start at O-1 without it): nothing
            // handled twice, nothing lost.
            assertThat(seen(b)).containsExactly("O-3");
            assertThat(seenByA).containsExactly("O-1", "O-2");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }
}
