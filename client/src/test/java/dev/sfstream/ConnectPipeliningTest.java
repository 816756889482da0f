package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFrom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The next {@code /meta/connect} goes out while the answer to the last one is parsed: catching up on a backlog
 * over many small batches, with a consumer slower than the server and faults in the middle, still hands over every
 * event once and in order.
 */
class ConnectPipeliningTest {
    private static final String CHANNEL = "/event/Seq__e";
    private static final Duration WAIT = Duration.ofSeconds(10);

    Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private void publish(int from, int to) {
        for (int i = from; i < to; i++) {
            emulator.publishEvent("Seq__e", Map.of("N__c", i));
        }
    }

    private static int n(StreamingEvent e) {
        return e.data().path("payload").path("N__c").asInt();
    }

    @Test
    void aBacklogOfManySmallBatchesArrivesOnceAndInOrderThroughASmallQueue() {
        emulator = EmulatorFixture.emulator().replayBatchSize(25).retainedEventsPerChannel(10_000).build().start();
        publish(0, 3_000);
        List<Integer> seen = new ArrayList<>();
        try (StreamingClient client = EmulatorFixture.client(emulator).replayFrom(ReplayFrom.ALL_EVENTS)
                .queueCapacity(30).build()) {
            client.open();
            client.subscribe(CHANNEL);
            while (seen.size() < 3_000) {
                seen.add(n(client.receive(WAIT).orElseThrow(() -> new AssertionError("stalled at " + seen.size()))));
            }
            assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates().hasSize(3_000);
        assertThat(seen.get(2_999)).isEqualTo(2_999);
    }

    @Test
    void sessionsDroppedAndDisconnectedDuringADrainLoseAndRepeatNothing() {
        emulator = EmulatorFixture.emulator().replayBatchSize(20).retainedEventsPerChannel(10_000).build().start();
        publish(0, 2_000);
        List<Integer> seen = new ArrayList<>();
        try (StreamingClient client = EmulatorFixture.client(emulator).replayFrom(ReplayFrom.ALL_EVENTS).build()) {
            client.open();
            client.subscribe(CHANNEL);
            while (seen.size() < 3_000) {
                seen.add(n(client.receive(WAIT).orElseThrow(() -> new AssertionError("stalled at " + seen.size()))));
                if (seen.size() == 500) {
                    emulator.dropSessions(); // the next connect, maybe already sent ahead, is refused: 402 unknown
                }
                if (seen.size() == 1_000) {
                    emulator.disconnectSessions();
                }
                if (seen.size() == 1_500) {
                    publish(2_000, 3_000); // live events behind the backlog
                }
            }
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates().hasSize(3_000);
    }
}
