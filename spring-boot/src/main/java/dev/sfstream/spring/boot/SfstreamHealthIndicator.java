package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code sfstream} health contributor ({@code /actuator/health/sfstream}):
 *
 * <ul>
 *   <li>UP while the service runs and its client is connected, or recovering from a fault (reconnecting,
 *       renewing its token: faults heal, and a client that cannot heal gives up within
 *       {@code sfstream.connection-timeout});</li>
 *   <li>DOWN once the client gave up, with the error's message as {@code error} (never a secret), while a
 *       channel is stopped after a handler failure (error policy STOP), as {@code stoppedChannels}, and once another
 *       replica of its exclusive group took over while it was active (fenced: a pause, a partition), with the
 *       {@code error}, until it is connected again;</li>
 *   <li>UP as a standby of an exclusive group: waiting is what a standby is for;</li>
 *   <li>OUT_OF_SERVICE once stopped, UNKNOWN before the first start or without handler beans.</li>
 * </ul>
 * Details: {@code state}, {@code reason}, {@code channels} and {@code lastEvents} (per channel, when its last event
 * was handed to the handlers); with {@code sfstream.exclusive.group}, {@code exclusive}: per group, the
 * {@code role} ({@code active}, {@code standby} or {@code fenced}) and the lease's {@code epoch}. Not for a liveness
 * probe: a revoked token is not healed by a restart.
 */
public class SfstreamHealthIndicator implements HealthIndicator {
    private final StreamingServiceLifecycle lifecycle;

    public SfstreamHealthIndicator(StreamingServiceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public Health health() {
        SfstreamStatus status = lifecycle.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", status.state().name());
        details.put("reason", status.stateReason());
        details.put("channels", status.channels());
        Map<String, String> lastEvents = new LinkedHashMap<>();
        status.lastEvents().forEach((channel, at) -> lastEvents.put(channel, at.toString()));
        details.put("lastEvents", lastEvents);
        Optional<SfstreamStatus.Replica> fenced = Optional.empty();
        if (!status.replicas().isEmpty()) {
            Map<String, Object> groups = new LinkedHashMap<>();
            for (SfstreamStatus.Replica r : status.replicas()) {
                Map<String, Object> replica = new LinkedHashMap<>();
                replica.put("role", r.role().name().toLowerCase(Locale.ROOT));
                r.epoch().ifPresent(epoch -> replica.put("epoch", epoch));
                groups.put(r.group(), replica);
                if (r.role() == SfstreamStatus.Role.FENCED && fenced.isEmpty()) {
                    fenced = Optional.of(r);
                }
            }
            details.put("exclusive", groups);
        }
        Health.Builder health;
        if (status.failure().isPresent()) {
            health = Health.down().withDetail("error", status.failure().get());
        } else if (!status.stoppedChannels().isEmpty()) {
            health = Health.down().withDetail("stoppedChannels", status.stoppedChannels());
        } else if (status.running() && fenced.isPresent()) {
            // Another replica took over while this one thought it was active: a pause or a partition to look into.
            health = Health.down().withDetail("error", fenced.get().fenced().orElse("fenced"));
        } else if (status.running() && status.state() == ConnectionState.CLOSED) {
            health = Health.down(); // closed by itself: the reason says why
        } else if (status.running()) {
            health = Health.up();
        } else if (status.state() == ConnectionState.NEW) {
            health = Health.unknown();
        } else {
            health = Health.outOfService();
        }
        return health.withDetails(details).build();
    }
}
