package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery contract on the paths where events used to be lost, skipped or stalled: only what the consumer
 * finished is committed, in order per channel; a failed subscribe leaves nothing behind; a lost subscription reaches
 * the consumer; change events carry their commit time.
 */
class DeliveryContractTest {
    private static final String LEADS = "/topic/Leads";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Emulator emulator;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private Emulator emulator(Emulator.Builder builder) {
        emulator = builder.build().start();
        EmulatorFixture.leadTopic(emulator, "Leads");
        return emulator;
    }

    private StreamingClient client(StreamingClient.Builder builder) {
        StreamingClient client = builder.build();
        toClose.add(client);
        return client;
    }

    private static String lastName(StreamingEvent e) {
        return e.pushTopic().orElseThrow().sobject().path("LastName").asText();
    }

    private static StreamingEvent next(StreamingClient client) {
        return client.receive(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT));
    }

    private Optional<ReplayMarker> marker(ReplayStore store) {
        return store.get(emulator.orgId(), LEADS);
    }

    // ---------------------------------------------------------------- close commits only finished events

    @Test
    void theReadmeLoopThatFailsOnAnEventLeavesItForTheNextRun() {
        emulator(EmulatorFixture.emulator());
        for (String name : List.of("E1", "E2", "E3")) {
            EmulatorFixture.lead(emulator, name);
        }
        Path file = dir.resolve("replay.json");
        List<String> handled = new ArrayList<>();
        assertThatThrownBy(() -> {
            ReplayStore store = ReplayStore.file(file);
            StreamingClient client = EmulatorFixture.client(emulator).replayStore(store)
                    .replayFrom(ReplayFrom.ALL_EVENTS).build();
            try (store; client) {
                client.open();
                client.subscribe(LEADS);
                for (StreamingEvent e : client) {
                    if (lastName(e).equals("E2")) {
                        throw new IllegalStateException("cannot handle E2");
                    }
                    handled.add(lastName(e));
                }
            }
        }).hasMessage("cannot handle E2");
        assertThat(handled).containsExactly("E1");

        try (ReplayStore store = ReplayStore.file(file);
                StreamingClient again = EmulatorFixture.client(emulator, store)) {
            again.open();
            again.subscribe(LEADS);
            assertThat(lastName(next(again))).isEqualTo("E2");
            assertThat(lastName(next(again))).isEqualTo("E3");
        }
    }

    @Test
    void aCloseFromAnotherThreadDoesNotCommitTheEventStillBeingProcessed() throws Exception {
        emulator(EmulatorFixture.emulator());
        EmulatorFixture.lead(emulator, "Busy");
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store)
                .replayFrom(ReplayFrom.ALL_EVENTS));
        client.open();
        client.subscribe(LEADS);
        StreamingEvent busy = next(client); // being processed by this thread when a shutdown hook closes
        Thread hook = new Thread(client::close);
        hook.start();
        hook.join(WAIT.toMillis());
        assertThat(hook.isAlive()).isFalse();
        assertThat(lastName(busy)).isEqualTo("Busy");
        assertThat(marker(store)).isEmpty();
    }

    @Test
    void eachPullingThreadCommitsOnlyWhatItFinishedAndMarkersStayInOrder() throws Exception {
        emulator(EmulatorFixture.emulator());
        EmulatorFixture.lead(emulator, "First");
        EmulatorFixture.lead(emulator, "Second");
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store)
                .replayFrom(ReplayFrom.ALL_EVENTS));
        client.open();
        client.subscribe(LEADS);
        StreamingEvent first = next(client); // this thread is still at it
        AtomicReference<StreamingEvent> second = new AtomicReference<>();
        Thread other = new Thread(() -> {
            second.set(next(client));
            client.receive(Duration.ofMillis(10)); // asking for the next finishes its own event only
        });
        other.start();
        other.join(WAIT.toMillis());
        assertThat(lastName(second.get())).isEqualTo("Second");
        assertThat(marker(store)).as("the first event is not finished: nothing after it may be committed").isEmpty();

        client.receive(Duration.ofMillis(10)); // this thread finishes the first: both are done
        assertThat(marker(store)).map(ReplayMarker::replayId).contains(second.get().replayId());
        assertThat(first.replayId()).isLessThan(second.get().replayId());
    }

    // ---------------------------------------------------------------- listeners that fail

    @Test
    void aListenerThatThrowsHoldsTheChannelsMarkerBeforeTheFailedEventAndARestartRedeliversIt() {
        emulator(EmulatorFixture.emulator());
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicReference<StreamingEvent> failed = new AtomicReference<>();
        client.open();
        client.subscribe(LEADS, e -> {
            if (lastName(e).equals("E2")) {
                failed.set(e);
                throw new IllegalStateException("cannot handle E2");
            }
            handled.add(lastName(e));
        });
        for (String name : List.of("E1", "E2", "E3")) {
            EmulatorFixture.lead(emulator, name);
        }
        await().atMost(WAIT).until(() -> handled.contains("E3") && client.stats().eventsWaiting() == 0);
        long e1 = failed.get().replayId() - 1;
        assertThat(marker(store)).map(ReplayMarker::replayId).as("held before the failed E2").contains(e1);
        client.close();

        StreamingClient again = client(EmulatorFixture.client(emulator).replayStore(store));
        again.open();
        again.subscribe(LEADS);
        assertThat(lastName(next(again))).isEqualTo("E2");
        assertThat(lastName(next(again))).isEqualTo("E3");
    }

    @Test
    void anEventFinishedAfterItsChannelWasUnsubscribedDoesNotCommitPastAFailedOne() throws Exception {
        emulator(EmulatorFixture.emulator());
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        Map<String, Long> ids = new ConcurrentHashMap<>();
        CountDownLatch inE3 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        client.open();
        client.subscribe(LEADS, e -> {
            ids.put(lastName(e), e.replayId());
            if (lastName(e).equals("E2")) {
                throw new IllegalStateException("cannot handle E2");
            }
            if (lastName(e).equals("E3")) {
                inE3.countDown();
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        for (String name : List.of("E1", "E2", "E3")) {
            EmulatorFixture.lead(emulator, name);
        }
        assertThat(inE3.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("E3 reached its listener").isTrue();
        client.unsubscribe(LEADS); // while E3 is being handled, with E2 failed before it
        release.countDown();
        await().atMost(WAIT).until(() -> client.stats().eventsWaiting() == 0);
        assertThat(marker(store)).map(ReplayMarker::replayId).as("held before the failed E2").contains(ids.get("E1"));
    }

    @Test
    void committingTheFailedEventReleasesWhatWaitedBehindIt() {
        emulator(EmulatorFixture.emulator());
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        AtomicReference<StreamingEvent> failed = new AtomicReference<>();
        List<StreamingEvent> handled = new CopyOnWriteArrayList<>();
        client.open();
        client.subscribe(LEADS, e -> {
            if (lastName(e).equals("E1")) {
                failed.set(e);
                throw new IllegalStateException("not now");
            }
            handled.add(e);
        });
        EmulatorFixture.lead(emulator, "E1");
        EmulatorFixture.lead(emulator, "E2");
        await().atMost(WAIT).until(() -> handled.size() == 1 && client.stats().eventsWaiting() == 0);
        assertThat(marker(store)).isEmpty();
        client.commit(failed.get());
        assertThat(marker(store)).map(ReplayMarker::replayId).contains(handled.get(0).replayId());
    }

    @Test
    void queuedListenerEventsDoNotRunAfterCloseGaveUpWaiting() throws Exception {
        emulator(EmulatorFixture.emulator());
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store)
                .closeTimeout(Duration.ofMillis(200)));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        client.open();
        client.subscribe(LEADS, e -> {
            handled.add(lastName(e));
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        EmulatorFixture.lead(emulator, "Slow");
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        EmulatorFixture.lead(emulator, "Queued1");
        EmulatorFixture.lead(emulator, "Queued2");
        await().atMost(WAIT).until(() -> client.stats().eventsWaiting() == 3);
        client.close();
        release.countDown();
        await().atMost(WAIT).until(() -> client.stats().eventsWaiting() == 0);
        assertThat(handled).containsExactly("Slow");
    }

    // ---------------------------------------------------------------- subscriptions

    @Test
    void aTimedOutSubscribeLeavesNoSubscriptionThatCouldStallTheOtherChannels() {
        emulator(EmulatorFixture.emulator());
        emulator.create("PushTopic", Map.of("Name", "Others", "Query",
                "SELECT Id, LastName FROM Contact", "ApiVersion", 64.0));
        StreamingClient client = client(EmulatorFixture.client(emulator).requestTimeout(Duration.ofMillis(300))
                .queueCapacity(2));
        List<String> others = new CopyOnWriteArrayList<>();
        client.open();
        client.subscribe("/topic/Others", e -> others.add(lastName(e)));
        emulator.busy(Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.subscribe(LEADS, e -> { })).isInstanceOf(TransportException.class);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED
                && client.subscriptions().equals(List.of("/topic/Others")));
        for (int i = 0; i < 5; i++) {
            EmulatorFixture.lead(emulator, "Unwanted" + i);
        }
        emulator.create("Contact", Map.of("LastName", "Wanted"));
        await().atMost(WAIT).until(() -> others.contains("Wanted"));
        assertThat(client.subscriptions()).containsExactly("/topic/Others");
    }

    @Test
    void aSubscriptionLostOnReHandshakeIsThrownByReceive() {
        emulator(EmulatorFixture.emulator());
        StreamingClient client = client(EmulatorFixture.client(emulator));
        client.open();
        client.subscribe(LEADS);
        String topicId = emulator.records("PushTopic").get(0).get("Id").toString();
        emulator.delete("PushTopic", topicId);
        emulator.dropSessions();
        assertThatThrownBy(() -> {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                client.receive(Duration.ofMillis(200)).ifPresent(e -> {
                    throw new AssertionError("no event expected: " + e);
                });
            }
        }).isInstanceOfSatisfying(SubscriptionException.class, e -> assertThat(e.channel()).isEqualTo(LEADS));
        assertThat(client.subscriptions()).isEmpty();
    }

    @Test
    void aStoreThatFailsDuringAReHandshakeLosesNoSubscription() {
        emulator(EmulatorFixture.emulator());
        FailingStore store = new FailingStore();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        client.open();
        client.subscribe(LEADS);
        store.reads = FailingStore.Reads.FAIL;
        emulator.dropSessions();
        EmulatorFixture.lead(emulator, "AfterReHandshake");
        assertThat(lastName(next(client))).isEqualTo("AfterReHandshake");
    }

    @Test
    void aStoreThatHangsDuringAReHandshakeDoesNotBlockTheProtocol() {
        emulator(EmulatorFixture.emulator());
        FailingStore store = new FailingStore();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        client.open();
        client.subscribe(LEADS);
        store.reads = FailingStore.Reads.HANG;
        try {
            emulator.dropSessions();
            EmulatorFixture.lead(emulator, "AfterReHandshake");
            assertThat(lastName(next(client))).isEqualTo("AfterReHandshake");
        } finally {
            store.hung.countDown();
        }
    }

    @Test
    void aStoreThatCannotBeReadFailsTheSubscribeCallWithItsError() {
        emulator(EmulatorFixture.emulator());
        FailingStore store = new FailingStore();
        store.reads = FailingStore.Reads.FAIL;
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        client.open();
        assertThatThrownBy(() -> client.subscribe(LEADS)).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("the store is away");
        assertThat(client.subscriptions()).isEmpty();
    }

    /** An in-memory store whose reads can be made to fail or hang, as a store whose server went away. */
    static final class FailingStore implements ReplayStore {
        enum Reads { WORK, FAIL, HANG }

        final ReplayStore markers = ReplayStore.inMemory();
        final CountDownLatch hung = new CountDownLatch(1);
        volatile Reads reads = Reads.WORK;

        @Override
        public Optional<ReplayMarker> get(String namespace, String channel) {
            if (reads == Reads.FAIL) {
                throw new ReplayStoreException("the store is away", null);
            }
            if (reads == Reads.HANG) {
                try {
                    hung.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return markers.get(namespace, channel);
        }

        @Override
        public boolean put(String namespace, String channel, ReplayMarker marker) {
            return markers.put(namespace, channel, marker);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    // ---------------------------------------------------------------- created dates

    /** A clock a test sets. */
    static final class SettableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aChangeEventOfAnOldRecordIsMarkedWithItsCommitTimeSoTheNextStartIsNoGap() {
        SettableClock clock = new SettableClock();
        Instant today = clock.now;
        emulator = EmulatorFixture.emulator().clock(clock).changeDataCapture("Lead").build().start();
        clock.now = today.minus(Duration.ofDays(5));
        String id = EmulatorFixture.lead(emulator, "Old");
        emulator.delete("Lead", id);
        clock.now = today;
        ReplayStore store = ReplayStore.inMemory();
        String channel = "/data/LeadChangeEvent";
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        client.open();
        client.subscribe(channel);
        emulator.undelete(id);
        StreamingEvent undelete = next(client);
        assertThat(undelete.changeEvent().orElseThrow().header().changeType()).isEqualTo("UNDELETE");
        assertThat(undelete.createdDate()).isEqualTo(today.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        client.commit(undelete);
        assertThat(store.get(emulator.orgId(), channel)).map(ReplayMarker::createdDate)
                .contains(undelete.createdDate());
        client.close();

        StreamingClient again = client(EmulatorFixture.client(emulator).replayStore(store));
        again.open();
        again.subscribe(channel);
        EmulatorFixture.lead(emulator, "New");
        StreamingEvent first = next(again);
        assertThat(first.isReplayGap()).as("a fresh marker is no gap: " + first).isFalse();
        assertThat(first.changeEvent().orElseThrow().header().changeType()).isEqualTo("CREATE");
    }

    @Test
    void aRecoveredNewEventsStartStopsFilteringOnceItReachedTheStart() {
        SettableClock clock = new SettableClock();
        emulator(EmulatorFixture.emulator().clock(clock));
        StreamingClient client = client(EmulatorFixture.client(emulator));
        client.open();
        client.subscribe(LEADS); // new events only; nothing comes before the session breaks
        emulator.dropSessions();
        await().atMost(WAIT).until(() -> client.stats().handshakes() >= 2
                && client.state() == ConnectionState.CONNECTED);
        EmulatorFixture.lead(emulator, "After");
        assertThat(lastName(next(client))).isEqualTo("After");
        // An event stamped earlier than the subscription (another server's clock), after the recovery ended.
        clock.now = Instant.now().minus(Duration.ofHours(1));
        EmulatorFixture.lead(emulator, "Skewed");
        assertThat(lastName(next(client))).isEqualTo("Skewed");
    }

    @Test
    void aNewEventsSubscriptionRecoversThroughABusyServer() {
        SettableClock clock = new SettableClock();
        emulator(EmulatorFixture.emulator().clock(clock));
        clock.now = Instant.now().minus(Duration.ofMinutes(5));
        EmulatorFixture.lead(emulator, "Retained");
        clock.now = Instant.now();
        StreamingClient client = client(EmulatorFixture.client(emulator));
        client.open();
        client.subscribe(LEADS);
        emulator.busy(Duration.ofSeconds(2));
        emulator.dropSessions();
        await().atMost(WAIT).until(() -> client.stats().handshakes() >= 2
                && client.state() == ConnectionState.CONNECTED);
        EmulatorFixture.lead(emulator, "Back");
        assertThat(lastName(next(client))).isEqualTo("Back");
    }

    @Test
    void subscribingAgainAfterAnUnsubscribeResumesFromTheCommittedMarker() {
        emulator(EmulatorFixture.emulator());
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store));
        client.open();
        client.subscribe(LEADS);
        EmulatorFixture.lead(emulator, "Done");
        EmulatorFixture.lead(emulator, "InFlight");
        StreamingEvent done = next(client);
        client.commit(done);
        await().atMost(WAIT).until(() -> client.stats().eventsReceived() == 2);
        client.unsubscribe(LEADS); // InFlight was handed out to the queue, never finished
        client.subscribe(LEADS);
        StreamingEvent again = next(client);
        assertThat(lastName(again)).isEqualTo("InFlight");
        assertThat(client.receive(Duration.ofMillis(300))).as("the queued copy was dropped with the unsubscribe")
                .isEmpty();
    }

    @Test
    void closeAfterTheClientGaveUpStillWritesTheStore() throws Exception {
        emulator(EmulatorFixture.emulator());
        Path file = dir.resolve("replay.json");
        try (ReplayStore store = dev.sfstream.replay.FileReplayStore.builder(file)
                .commitInterval(Duration.ofHours(1)).build()) {
            StreamingClient client = client(EmulatorFixture.client(emulator).replayStore(store)
                    .connectionTimeout(Duration.ofMillis(500)));
            client.open();
            client.subscribe(LEADS, e -> { });
            EmulatorFixture.lead(emulator, "Committed");
            await().atMost(WAIT).until(() -> store.get(emulator.orgId(), LEADS).isPresent());
            emulator.close();
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED);
            client.close();
            assertThat(java.nio.file.Files.readString(file)).as("flushed by close, not by the hourly commit")
                    .contains("\"replayId\"");
            emulator = null;
        }
    }
}
