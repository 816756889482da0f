package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dropping duplicates exactly, also for an event that arrives after a later one. */
class SeenReplayIdsTest {
    @Test
    void anIdHandedOutIsADuplicateAndALateLowerOneIsNot() {
        SeenReplayIds seen = new SeenReplayIds();
        assertThat(seen.add(10)).isTrue();
        assertThat(seen.add(12)).isTrue();
        assertThat(seen.add(10)).isFalse();
        assertThat(seen.add(11)).as("arrived late, never handed out").isTrue();
        assertThat(seen.add(11)).isFalse();
        assertThat(seen.highest()).isEqualTo(12);
    }

    @Test
    void idsOlderThanTheWindowAreTakenForDuplicatesOnceForgotten() {
        SeenReplayIds seen = new SeenReplayIds();
        for (long id = 2; id <= 2 * (2 * SeenReplayIds.WINDOW + 10); id += 2) {
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(seen.add(1)).isFalse();
        long highest = seen.highest();
        assertThat(seen.add(highest - 1)).as("inside the window, never seen").isTrue();
        assertThat(seen.add(highest - 2)).isFalse();
    }
}
