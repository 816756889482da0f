package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.replay.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas of one application ({@code sfstream.exclusive.group}) on a real PostgreSQL through Boot's DataSource: one
 * consumes, the others wait as standbys that are UP; a standby takes over when the active one closes; a replica whose
 * lease another one took is fenced (DOWN, role {@code fenced}) and commits nothing until it holds the lease again.
 */
class ExclusiveGroupTest extends PostgresOrgTest {
    static final String GROUP = "orders";

    private ConfigurableApplicationContext replica(String leaseTtl) {
        return db.start(emulator, "sfstream.exclusive.group=" + GROUP, "sfstream.exclusive.lease-ttl=" + leaseTtl);
    }

    private void publish(String number) {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", number));
    }

    private static Health health(ConfigurableApplicationContext ctx) {
        return ctx.getBean(SfstreamHealthIndicator.class).health();
    }

    /** The replica's part in the group, as the health details show it: {@code role} and {@code epoch}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Health health) {
        Map<String, Object> groups = (Map<String, Object>) health.getDetails().get("exclusive");
        assertThat(groups).as("details of a replica: %s", health.getDetails()).containsOnlyKeys(GROUP);
        return (Map<String, Object>) groups.get(GROUP);
    }

    private static boolean isActive(ConfigurableApplicationContext ctx, long epoch) {
        Health h = health(ctx);
        return h.getStatus().equals(Status.UP) && "CONNECTED".equals(h.getDetails().get("state"))
                && part(h).equals(Map.of("role", "active", "epoch", epoch));
    }

    private static List<String> attempts(ConfigurableApplicationContext ctx) {
        return ctx.getBean(OrderDatabase.Seen.class).attempts;
    }

    @Test
    void oneReplicaConsumesTheOtherWaitsAsAnUpStandbyAndTakesOverWhenTheActiveOneCloses() throws Exception {
        ConfigurableApplicationContext a = replica("2s");
        ConfigurableApplicationContext b = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> isActive(a, 1));
            b = replica("2s");
            Health standby = health(b);
            assertThat(standby.getStatus()).isEqualTo(Status.UP);
            assertThat(standby.getDetails()).containsEntry("state", "STANDBY");
            assertThat(part(standby)).isEqualTo(Map.of("role", "standby"));

            publish("O-1");
            publish("O-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 2);
            assertThat(attempts(a)).containsExactly("O-1", "O-2");
            assertThat(attempts(b)).isEmpty();
            assertThat(part(health(b))).isEqualTo(Map.of("role", "standby"));

            a.close(); // releases the lease: the standby takes it at its next try, a third of the TTL later
            ConfigurableApplicationContext takeover = b;
            await().atMost(Duration.ofSeconds(10)).until(() -> isActive(takeover, 2));
            publish("O-3");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 3);
            // From the marker the first replica committed: nothing handled twice, nothing lost.
            assertThat(attempts(b)).containsExactly("O-3");
            assertThat(db.orderNumbers()).containsExactly("O-1", "O-2", "O-3");
            assertThat(db.marker()).isEqualTo(db.replayIdOf("O-3"));
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aReplicaWhoseLeaseAnotherTookIsDownAsFencedUntilItHoldsTheLeaseAgain() throws Exception {
        try (ConfigurableApplicationContext a = replica("2s");
                JdbcReplayStore other = JdbcReplayStore.builder(db.url()).build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> isActive(a, 1));
            publish("O-0");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 1);
            String namespace = db.rows("SELECT namespace FROM sfstream_lease WHERE grp = '" + GROUP + "'").get(0);

            // The active replica's lease runs out by the database's clock (as when it is paused) and another
            // replica takes it over, with the next epoch.
            AtomicReference<Lease> taken = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                db.execute("UPDATE sfstream_lease SET expires_at = clock_timestamp() - interval '1 second'");
                Optional<Lease> lease = other.acquire(namespace, GROUP, "replica-b", Duration.ofHours(1));
                lease.ifPresent(taken::set);
                return lease.isPresent();
            });
            assertThat(taken.get().epoch()).isEqualTo(2);

            await().atMost(Duration.ofSeconds(10)).until(() -> health(a).getStatus().equals(Status.DOWN));
            Health fenced = health(a);
            assertThat(part(fenced)).isEqualTo(Map.of("role", "fenced", "epoch", 1L));
            assertThat(fenced.getDetails()).containsEntry("state", "STANDBY");
            assertThat(String.valueOf(fenced.getDetails().get("error")))
                    .contains("the lease of group " + GROUP + " (epoch 1) was taken over by another replica");

            publish("O-1"); // nobody consumes it while the other replica holds the lease and does nothing
            other.release(taken.get());
            await().atMost(Duration.ofSeconds(10)).until(() -> isActive(a, 3));
            // From the marker of O-0: the event published meanwhile is not lost.
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 2);
            assertThat(attempts(a)).containsExactly("O-0", "O-1");
            assertThat(db.orderNumbers()).containsExactly("O-0", "O-1");
        }
    }

    @Test
    void aHandlerTransactionAfterAnotherReplicaTookOverIsRefusedAndCommitsNothing() throws Exception {
        // A long lease: renewals are 5 s apart, so the fencing comes from the handler's transaction, not a renewal.
        try (ConfigurableApplicationContext a = replica("15s")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> isActive(a, 1));
            publish("O-0");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 1);
            long first = db.replayIdOf("O-0");

            // Right after a renewal, another replica takes over (as after a pause of this one longer than the lease):
            // this one does not know yet, and handles the next event.
            String expiry = "SELECT expires_at::text FROM sfstream_lease WHERE grp = '" + GROUP + "'";
            List<String> before = db.rows(expiry);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !db.rows(expiry).equals(before));
            db.execute("UPDATE sfstream_lease SET epoch = epoch + 1, holder = 'replica-b', "
                    + "expires_at = clock_timestamp() + interval '1 hour' WHERE grp = '" + GROUP + "'");
            publish("O-1");

            await().atMost(Duration.ofSeconds(10)).until(() -> health(a).getStatus().equals(Status.DOWN));
            Health fenced = health(a);
            assertThat(part(fenced)).isEqualTo(Map.of("role", "fenced", "epoch", 1L));
            assertThat(String.valueOf(fenced.getDetails().get("error"))).contains("epoch 2 after 1")
                    .contains("the marker of " + OrderDatabase.CHANNEL + " was not written");
            // The marker is written first in the transaction: refused, so the handler never ran for O-1.
            assertThat(attempts(a)).containsExactly("O-0");
            assertThat(db.orderNumbers()).containsExactly("O-0");
            assertThat(db.marker()).isEqualTo(first);

            // The other replica goes away without releasing: once its lease runs out, this one takes over and
            // handles O-1 from the committed marker.
            db.execute("UPDATE sfstream_lease SET expires_at = clock_timestamp() WHERE grp = '" + GROUP + "'");
            await().atMost(Duration.ofSeconds(15)).until(() -> isActive(a, 3));
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 2);
            assertThat(db.orderNumbers()).containsExactly("O-0", "O-1");
            assertThat(attempts(a)).containsExactly("O-0", "O-1");
        }
    }
}
