package dev.sfstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Scenario 4: the emulator (in its own JVM, 1 GiB of heap) with many subscribed long-polling clients, and one
 * event fanned out to all of them. The load side is {@link NioBayeux}: plain sockets on one selector thread, so
 * that on a shared machine the emulator, not the load generator, is what gets measured.
 */
final class Fanout {
    private static final String CHANNEL = "/event/Fanout__e";

    /** One fan-out: the delivery delays in ms, and the emulator's live heap and threads while it held every client. */
    record Run(List<Double> delaysMs, long emulatorHeapBytes, int emulatorThreads, int clients) {
    }

    private Fanout() {
    }

    static List<Run> run(String url, String token, int clients, int repetitions, LongSupplier liveHeap)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (NioBayeux load = new NioBayeux(url, "Bearer " + token)) {
            List<NioBayeux.Connection> connections = new ArrayList<>();
            List<String> clientIds = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(clients, "")));
            Semaphore inFlight = new Semaphore(500);
            List<CompletableFuture<?>> setup = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                NioBayeux.Connection c = load.connection();
                connections.add(c);
                inFlight.acquire();
                setup.add(c.post(RawBayeux.HANDSHAKE).thenCompose(reply -> {
                    String clientId = tree(reply).get(0).path("clientId").asText();
                    clientIds.set(n, clientId);
                    return c.post(RawBayeux.subscribe(clientId, CHANNEL, -1));
                }).thenCompose(reply -> c.post(RawBayeux.connect(clientIds.get(n)))) // the first returns at once
                        .whenComplete((r, x) -> inFlight.release()));
            }
            CompletableFuture.allOf(setup.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);

            List<Run> runs = new ArrayList<>();
            for (int rep = 0; rep < repetitions; rep++) {
                List<Double> delays = Collections.synchronizedList(new ArrayList<>());
                List<CompletableFuture<Void>> polls = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    polls.add(poll(connections.get(i), clientIds.get(i), delays));
                }
                // Publish only once the emulator holds every connect: otherwise the event queues behind the backlog
                // of connects and the measure is of that backlog, not of the fan-out.
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                JsonNode status = status(http, url);
                while (status.path("heldConnects").asInt() < clients) {
                    for (CompletableFuture<Void> poll : polls) {
                        if (poll.isCompletedExceptionally()) {
                            poll.join(); // throws what went wrong
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the emulator did not hold all " + clients + " connects");
                    }
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                    status = status(http, url);
                }
                long heap = liveHeap.getAsLong();
                publish(http, url, token);
                CompletableFuture.allOf(polls.toArray(new CompletableFuture[0])).get(2, TimeUnit.MINUTES);
                runs.add(new Run(new ArrayList<>(delays), heap, status.path("jvm").path("threads").asInt(), clients));
            }
            return runs;
        }
    }

    /** Connects until the fanned-out event arrives; records its delay. */
    private static CompletableFuture<Void> poll(NioBayeux.Connection c, String clientId, List<Double> delays) {
        return c.post(RawBayeux.connect(clientId)).thenCompose(body -> {
            long now = System.currentTimeMillis();
            int at = body.indexOf("\"T__c\":");
            if (at >= 0 && body.contains(CHANNEL)) {
                int end = at + 7;
                while (end < body.length() && Character.isDigit(body.charAt(end))) {
                    end++;
                }
                delays.add((double) (now - Long.parseLong(body.substring(at + 7, end))));
                return CompletableFuture.completedFuture(null);
            }
            return poll(c, clientId, delays);
        });
    }

    private static JsonNode tree(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode status(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/emulator/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().startsWith("{")) {
            throw new IllegalStateException("the emulator's status page answered " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(200, r.body().length())));
        }
        return Json.MAPPER.readTree(r.body());
    }

    private static void publish(HttpClient http, String url, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/services/data/v64.0/sobjects/Fanout__e"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"T__c\":" + System.currentTimeMillis() + "}")).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("publishing the fan-out event failed: " + r.body());
        }
    }
}
