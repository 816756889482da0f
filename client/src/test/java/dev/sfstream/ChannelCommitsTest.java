package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.replay.ReplayMarker;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which marker of a channel may be committed when events finish out of order. */
class ChannelCommitsTest {
    private static ReplayMarker m(long id) {
        return new ReplayMarker(id, Instant.ofEpochSecond(id));
    }

    private static ChannelCommits handedOut(long... ids) {
        ChannelCommits c = new ChannelCommits();
        for (long id : ids) {
            c.handedOut(id);
        }
        return c;
    }

    @Test
    void inOrderFinishesCommitEachEvent() {
        ChannelCommits c = handedOut(1, 2);
        assertThat(c.finished(m(1))).contains(m(1));
        assertThat(c.finished(m(2))).contains(m(2));
        assertThat(c.firstOpen()).isEmpty();
    }

    @Test
    void aLaterEventWaitsForAnEarlierOneAndIsCommittedWithIt() {
        ChannelCommits c = handedOut(1, 2, 3);
        assertThat(c.finished(m(3))).isEmpty();
        assertThat(c.finished(m(2))).isEmpty();
        assertThat(c.firstOpen()).contains(1L);
        assertThat(c.finished(m(1))).contains(m(3));
    }

    @Test
    void anEventThatNeverFinishesHoldsEverythingBehindItInOneEntry() {
        ChannelCommits c = handedOut(1, 2);
        assertThat(c.finished(m(1))).contains(m(1));
        for (long id = 3; id < 10_000; id++) {
            c.handedOut(id);
            assertThat(c.finished(m(id))).isEmpty();
        }
        assertThat(c.firstOpen()).contains(2L);
        assertThat(c.finished(m(2))).contains(m(9_999));
    }

    @Test
    void finishingBetweenTwoOpenEventsMovesToTheEarlierOnesWait() {
        ChannelCommits c = handedOut(1, 2, 3, 4);
        assertThat(c.finished(m(2))).isEmpty();
        assertThat(c.finished(m(4))).isEmpty();
        assertThat(c.finished(m(3))).isEmpty();
        assertThat(c.finished(m(1))).contains(m(4));
    }

    @Test
    void anEventNotHandedOutHereIsCommittedWhenNothingEarlierIsOpen() {
        ChannelCommits c = handedOut(5);
        assertThat(c.finished(m(3))).contains(m(3));
        assertThat(c.finished(m(7))).isEmpty();
        assertThat(c.finished(m(5))).contains(m(7));
        c.clear();
        assertThat(c.finished(m(8))).isEqualTo(Optional.of(m(8)));
    }
}
