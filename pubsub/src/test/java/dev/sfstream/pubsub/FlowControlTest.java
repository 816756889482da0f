package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The credit rule of a stream and the silence the watchdog judges by (the streams themselves: HealingTest). */
class FlowControlTest {
    private final FlowControl flow = new FlowControl(100);

    @Test
    void requestsTheRestOfTheWindowOnceHalfOfItArrivedAndTheConsumerHasRoom() {
        flow.opened(0);

        flow.received(49, 1);
        assertThat(flow.topUp(true, 2)).as("51 still pending").isZero();
        flow.received(1, 3);
        assertThat(flow.topUp(false, 4)).as("the consumer has no room").isZero();
        assertThat(flow.topUp(true, 5)).isEqualTo(50);
        assertThat(flow.topUp(true, 6)).as("the window is full again").isZero();
    }

    @Test
    void aStreamOwesNothingWhenNoEventIsPending() {
        flow.opened(0);
        flow.received(100, 10);

        assertThat(flow.silence(1_000)).isZero();
    }

    @Test
    void silenceCountsFromTheLaterOfTheLastResponseAndTheLastRequest() {
        flow.opened(0);
        flow.received(60, 100);
        assertThat(flow.silence(150)).isEqualTo(50);
        assertThat(flow.topUp(true, 200)).isEqualTo(60);
        assertThat(flow.silence(250)).isEqualTo(50);
        flow.received(0, 240); // a keepalive
        assertThat(flow.silence(250)).isEqualTo(10);
    }

    @Test
    void aWindowOfOneAsksForOneAtATime() {
        FlowControl one = new FlowControl(1);
        one.opened(0);
        assertThat(one.topUp(true, 1)).isZero();
        one.received(1, 2);
        assertThat(one.topUp(true, 3)).isEqualTo(1);
    }
}
