package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer in a child JVM is killed with {@code kill -9} at random points while the emulator publishes events,
 * and restarted from its replay store each time (the file store; then Redis, with the processes taking turns on
 * one namespace; then the file store again with the client on the Pub/Sub API, whose replay IDs are bytes). Over the whole run no event may be lost, and duplicates may not exceed what was in flight when a
 * consumer died.
 */
class CrashResumeTest {
    private static final int EVENTS = 20_000;
    private static final int KILLS = 5;
    /** Whether the consumers take the Pub/Sub API (the emulator's, in plaintext) instead of the Streaming API. */
    private boolean pubSub;

    @Test
    void fileStoreLosesNothingAcrossKills(@TempDir Path dir) throws Exception {
        run(dir, dir.resolve("replay.json").toString());
    }

    @Test
    void fileStoreLosesNothingAcrossKillsOverThePubSubApi(@TempDir Path dir) throws Exception {
        pubSub = true;
        run(dir, dir.resolve("replay.json").toString());
    }

    @Test
    void redisStoreLosesNothingAcrossKills(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            int p = port;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket ignored = new Socket("127.0.0.1", p)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            run(dir, "redis://127.0.0.1:" + port);
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void run(Path dir, String store) throws Exception {
        Path output = dir.resolve("handled.txt");
        Random random = new Random(42);
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .retainedEventsPerChannel(EVENTS + 100).platformEvent("Crash__e", "Seq__c")
                .pubSub(PubSubSettings.defaults().plaintext(true)).build().start()) {
            String endpoint = pubSub ? emulator.pubSubEndpoint() : null;
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < EVENTS; i++) {
                    emulator.publishEvent("Crash__e", Map.of("Seq__c", i));
                    if (i % 20 == 0) {
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                }
                publishing.set(false);
            }, "crash-publisher");
            Process consumer = start(emulator.url(), store, output, endpoint);
            publisher.start();
            int kills = 0;
            List<Integer> handledAtKill = new ArrayList<>();
            int window = 0;
            int startLine = 0;
            while (kills < KILLS) {
                int before = lines(output);
                int target = before + 200 + random.nextInt(2000);
                Process running = consumer;
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(output) >= Math.min(target, EVENTS)
                        || !running.isAlive());
                consumer.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no flush
                kills++;
                // The in-flight window of the dead consumer: events it handled after the marker that reached the
                // store durably. Exactly these may come again.
                long durable = durableMarker(store);
                List<String> all = Files.readAllLines(output);
                for (String line : all.subList(startLine, all.size())) {
                    if (!line.isBlank() && Long.parseLong(line.strip().split(" ")[1]) > durable) {
                        window++;
                    }
                }
                startLine = all.size();
                handledAtKill.add(all.size());
                consumer = start(emulator.url(), store, output, endpoint);
            }
            publisher.join();
            Process last = consumer;
            await().atMost(Duration.ofSeconds(120)).until(() -> distinct(output).cardinality() == EVENTS
                    || !last.isAlive());
            last.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            List<String> all = Files.readAllLines(output);
            BitSet seen = distinct(output);
            int duplicates = all.size() - seen.cardinality();
            System.out.printf("crash resume with %s%s: %d events, %d kills (handled lines at each kill: %s), %d handled "
                    + "lines, %d duplicates, in-flight windows %d%n", store.startsWith("redis") ? "Redis"
                    : "the file store", pubSub ? " over the Pub/Sub API" : "", EVENTS, kills, handledAtKill, all.size(), duplicates, window);
            assertThat(seen.cardinality()).as("events handled at least once").isEqualTo(EVENTS);
            assertThat(duplicates).as("duplicates over %d kills", kills).isLessThanOrEqualTo(window);
        }
    }

    private static Process start(String url, String store, Path output, String pubSubEndpoint) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashConsumer.class.getName(), url, store, output.toString(), "crash-ns"));
        if (pubSubEndpoint != null) {
            command.add(pubSubEndpoint);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (!"ready".equals(line)) {
            throw new AssertionError("the consumer did not start: " + line);
        }
        Thread drain = new Thread(() -> {
            try {
                while (reader.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // the process died
            }
        }, "consumer-output");
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    /** The replay ID the store holds durably for the channel (the file on disk, or the key in Redis). */
    private static long durableMarker(String store) throws IOException {
        if (store.startsWith("redis")) {
            try (redis.clients.jedis.RedisClient jedis = redis.clients.jedis.RedisClient.create(
                    java.net.URI.create(store))) {
                String value = jedis.get("sfstream:replay:crash-ns:/event/Crash__e");
                return value == null ? 0 : Long.parseLong(value.substring(0, value.indexOf('|')));
            }
        }
        Path file = Path.of(store);
        if (!Files.exists(file)) {
            return 0;
        }
        var marker = dev.sfstream.internal.Json.MAPPER.readTree(file.toFile()).path("namespaces").path("crash-ns")
                .path("/event/Crash__e");
        if (marker.path("position").isTextual()) {
            // A Pub/Sub replay ID, kept as bytes: the emulator's are the same numbers, 8 bytes big-endian.
            return dev.sfstream.replay.ReplayPosition.decode(marker.path("position").asText()).replayId();
        }
        return marker.path("replayId").asLong(0);
    }

    private static int lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return (int) stream.count();
        }
    }

    private static BitSet distinct(Path file) throws IOException {
        BitSet seen = new BitSet(EVENTS);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    seen.set(Integer.parseInt(line.strip().split(" ")[0]));
                }
            }
        }
        return seen;
    }
}
