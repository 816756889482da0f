package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code sfstream} health contributor ({@code /actuator/health/sfstream}):
 *
 * <ul>
 *   <li>UP while the service runs and its client is connected, or recovering from a fault (reconnecting,
 *       renewing its token: faults heal, and a client that cannot heal gives up within
 *       {@code sfstream.connection-timeout});</li>
 *   <li>DOWN once the client gave up, with the error's message as {@code error} (never a secret), and while a
 *       channel is stopped after a handler failure (error policy STOP), as {@code stoppedChannels};</li>
 *   <li>OUT_OF_SERVICE once stopped, UNKNOWN before the first start or without handler beans.</li>
 * </ul>
 * Details: {@code state}, {@code reason}, {@code channels} and {@code lastEvents} (per channel, when its last event
 * was handed to the handlers). Not for a liveness probe: a revoked token is not healed by a restart.
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
        Health.Builder health;
        if (status.failure().isPresent()) {
            health = Health.down().withDetail("error", status.failure().get());
        } else if (!status.stoppedChannels().isEmpty()) {
            health = Health.down().withDetail("stoppedChannels", status.stoppedChannels());
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
