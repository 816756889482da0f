package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.EmulatorUser;
import dev.sfstream.emulator.PubSubSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The emulator's whole configuration, as built and checked by {@code Emulator.Builder}.
 *
 * @param longPollTimeout how long a {@code /meta/connect} is held (Salesforce: 110 s)
 * @param reconnectTimeout how long a client may go without a {@code /meta/connect} before it is dropped (40 s)
 * @param concurrentClientLimit how many CometD clients may be handshaken at once (Developer Edition: 20)
 * @param dailyDeliveryLimit deliveries allowed per day; 0 for no limit
 * @param retainedEventsPerChannel how many events a channel keeps at most, on top of the retention window
 * @param retainedEventBytes how many bytes of events the org keeps at most, across its channels
 * @param replayBatchSize how many events one connect response carries at most
 * @param pageSize how many records one REST query page holds
 * @param dataFile where the org is kept across restarts, or {@code null} for an org in memory only
 * @param advertisedUrl the instance URL handed out in token responses, or {@code null} for the emulator's own
 * @param pubSub how the Pub/Sub API is served
 */
public record Settings(
        String host,
        int port,
        List<EmulatorUser> users,
        List<ConnectedApp> apps,
        Duration tokenLifetime,
        Duration longPollTimeout,
        Duration reconnectTimeout,
        int concurrentClientLimit,
        long dailyDeliveryLimit,
        int retainedEventsPerChannel,
        long retainedEventBytes,
        int replayBatchSize,
        int pageSize,
        Set<String> changeDataCaptureTypes,
        Clock clock,
        boolean quiet,
        java.nio.file.Path dataFile,
        String advertisedUrl,
        Map<String, PlatformEventSchema> platformEventSchemas,
        PubSubSettings pubSub) {
    public Settings {
        platformEventSchemas = Map.copyOf(platformEventSchemas);
        users = List.copyOf(users);
        apps = List.copyOf(apps);
        changeDataCaptureTypes = Set.copyOf(changeDataCaptureTypes);
    }
}
