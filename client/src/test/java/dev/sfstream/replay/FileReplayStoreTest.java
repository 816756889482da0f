package dev.sfstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ReplayStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReplayStoreTest {
    @TempDir
    Path dir;

    private static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    @Test
    void markersSurviveReopening() {
        Path file = dir.resolve("replay.json");
        try (ReplayStore store = ReplayStore.file(file)) {
            store.put("00D1", "/topic/A", marker(5));
            store.put("00D2", "/topic/A", marker(9));
        }
        try (ReplayStore store = ReplayStore.file(file)) {
            assertThat(store.get("00D1", "/topic/A")).contains(marker(5));
            assertThat(store.get("00D2", "/topic/A")).contains(marker(9));
            assertThat(store.get("00D1", "/topic/B")).isEmpty();
        }
    }

    @Test
    void putsAreGroupCommittedWithinTheInterval() throws Exception {
        Path file = dir.resolve("replay.json");
        try (FileReplayStore store = FileReplayStore.builder(file).commitInterval(Duration.ofMillis(200)).build()) {
            store.put("ns", "/topic/A", marker(1));
            assertThat(file).doesNotExist();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
            assertThat(Files.readString(file)).contains("\"replayId\" : 1");
        }
    }

    @Test
    void flushWritesAtOnce() throws Exception {
        Path file = dir.resolve("replay.json");
        try (FileReplayStore store = FileReplayStore.builder(file).commitInterval(Duration.ofHours(1)).build()) {
            store.put("ns", "/topic/A", marker(3));
            store.flush();
            assertThat(Files.readString(file)).contains("\"replayId\" : 3");
        }
    }

    @Test
    void markersNeverMoveBackwardsUnderConcurrentCommits() throws Exception {
        Path file = dir.resolve("replay.json");
        try (ReplayStore store = ReplayStore.file(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= 2000; i++) {
                        store.put("ns", "/topic/A", marker(i * 4L + offset));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(store.get("ns", "/topic/A").orElseThrow().replayId()).isEqualTo(2000 * 4L + 3);
            assertThat(store.put("ns", "/topic/A", marker(7))).isFalse();
        }
    }

    @Test
    void namespacesAreIsolated() {
        try (ReplayStore store = ReplayStore.file(dir.resolve("r.json"))) {
            store.put("orgA", "/topic/X", marker(10));
            assertThat(store.get("orgB", "/topic/X")).isEmpty();
        }
    }

    @Test
    void aSecondStoreOnTheSameFileGetsAClearError() {
        Path file = dir.resolve("replay.json");
        try (ReplayStore first = ReplayStore.file(file)) {
            assertThatThrownBy(() -> ReplayStore.file(file)).isInstanceOf(ReplayStoreException.class)
                    .hasMessageContaining("already open in this process").hasMessageContaining(file.getFileName().toString());
            first.put("ns", "/topic/A", marker(1));
        }
        try (ReplayStore again = ReplayStore.file(file)) {
            assertThat(again.get("ns", "/topic/A")).contains(marker(1));
        }
    }

    @Test
    void aRefusedSecondOpenKeepsTheFirstStoresLockAgainstOtherProcesses() throws Exception {
        Path file = dir.resolve("replay.json");
        try (ReplayStore first = ReplayStore.file(file)) {
            assertThatThrownBy(() -> ReplayStore.file(file)).isInstanceOf(ReplayStoreException.class);
            assertThat(LockProbe.run(file)).as("another process must still be refused").isEqualTo(LockProbe.REFUSED);
        }
        assertThat(LockProbe.run(file)).isEqualTo(LockProbe.OPENED);
    }

    @Test
    void aSymbolicLinkToAnOpenStoreSharesItsLock() throws Exception {
        Path file = dir.resolve("replay.json");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
        try (ReplayStore first = ReplayStore.file(file)) {
            first.put("ns", "/topic/A", marker(1));
            first.flush();
            assertThatThrownBy(() -> ReplayStore.file(link)).isInstanceOf(ReplayStoreException.class)
                    .hasMessageContaining("already open in this process");
            assertThat(LockProbe.run(link)).isEqualTo(LockProbe.REFUSED);
        }
    }

    @Test
    void aPubSubPositionIsKeptExactlyBesideStreamingApiMarkers() {
        Path file = dir.resolve("replay.json");
        ReplayPosition bytes = ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 1, 2});
        ReplayMarker pubsub = new ReplayMarker(bytes, Instant.parse("2026-11-30T10:00:00Z"));
        try (ReplayStore store = ReplayStore.file(file)) {
            store.put("ns", "/data/AccountChangeEvent", pubsub);
            store.put("ns", "/topic/A", marker(9));
        }
        try (ReplayStore again = ReplayStore.file(file)) {
            assertThat(again.get("ns", "/data/AccountChangeEvent")).contains(pubsub);
            assertThat(again.get("ns", "/topic/A")).contains(marker(9));
            assertThat(again.put("ns", "/data/AccountChangeEvent", new ReplayMarker(ReplayPosition.ofBytes(
                    new byte[] {0, 0, 0, 0, 0, 0, 1, 1}), Instant.now()))).as("never backwards").isFalse();
        }
    }

    @Test
    void aDirectoryIsNotAStore() {
        assertThatThrownBy(() -> ReplayStore.file(dir)).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void aPutAfterCloseIsRefusedNotLost() {
        Path file = dir.resolve("replay.json");
        ReplayStore store = ReplayStore.file(file);
        store.close();
        assertThatThrownBy(() -> store.put("ns", "/topic/A", marker(1))).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aCorruptFileIsReportedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("replay.json");
        Files.writeString(file, "{ this is not json");
        assertThatThrownBy(() -> ReplayStore.file(file)).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON");
        assertThat(Files.readString(file)).isEqualTo("{ this is not json");
        Files.writeString(file, "{\"format\":\"sfstream-replay/1\",\"namespaces\":{\"ns\":{\"/topic/A\":"
                + "{\"replayId\":-4,\"createdDate\":\"2026-01-01T00:00:00Z\"}}}}");
        assertThatThrownBy(() -> ReplayStore.file(file)).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("no positive replayId");
        Files.writeString(file, "{\"format\":\"something-else\"}");
        assertThatThrownBy(() -> ReplayStore.file(file)).hasMessageContaining("format");
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("replay.json");
        try (ReplayStore store = ReplayStore.file(file)) {
            store.put("ns", "/topic/A", marker(1));
            store.flush();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws Exception {
        Path file = dir.resolve("replay.json");
        try (FileReplayStore store = FileReplayStore.builder(file).commitInterval(Duration.ofMillis(1)).build()) {
            for (int i = 1; i <= 200; i++) {
                store.put("ns", "/topic/A", marker(i));
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("replay.json",
                    "replay.json.lock");
        }
    }

    @Test
    void locationsChooseTheStore() {
        assertThat(ReplayStore.open("memory:")).isInstanceOf(InMemoryReplayStore.class);
        try (ReplayStore s = ReplayStore.open(dir.resolve("a.json").toString())) {
            assertThat(s).isInstanceOf(FileReplayStore.class);
        }
        try (ReplayStore s = ReplayStore.open(dir.resolve("b.json").toUri().toString())) {
            assertThat(s).isInstanceOf(FileReplayStore.class);
        }
        assertThatThrownBy(() -> ReplayStore.open("zookeeper://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no replay store serves 'zookeeper://'");
    }
}
