package dev.sfstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sfstream.internal.Json;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 4: the emulator (in its own JVM, 1 GiB of heap) with many subscribed long-polling clients, and one
 * event fanned out to all of them. The load side uses raw Bayeux sessions on one JDK HTTP client to stay light.
 */
final class Fanout {
    /** One fan-out: the delivery delays in ms, and the emulator's heap and threads while it held every client. */
    record Run(List<Double> delaysMs, long emulatorHeapBytes, int emulatorThreads, int clients) {
    }

    private Fanout() {
    }

    static List<Run> run(String url, String token, int clients, int repetitions) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String auth = "Bearer " + token;
        List<RawBayeux> sessions = new ArrayList<>();
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<Void>> setup = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            RawBayeux s = new RawBayeux(http, url, auth);
            sessions.add(s);
            inFlight.acquire();
            setup.add(s.postAsync(s.handshakeJson()).thenCompose(reply -> {
                s.clientId(reply.get(0).path("clientId").asText());
                return s.postAsync(s.subscribeJson("/event/Fanout__e", -1));
            }).thenCompose(reply -> s.postAsync(s.connectJson())).thenAccept(r -> { })
                    .whenComplete((r, x) -> inFlight.release()));
        }
        CompletableFuture.allOf(setup.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);

        List<Run> runs = new ArrayList<>();
        for (int rep = 0; rep < repetitions; rep++) {
            List<Double> delays = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger waiting = new AtomicInteger();
            List<CompletableFuture<Void>> polls = new ArrayList<>();
            for (RawBayeux s : sessions) {
                polls.add(poll(s, delays, waiting));
            }
            // Every session has a held connect once the emulator holds them all; give it a moment to park them.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (waiting.get() < clients && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            JsonNode before = status(http, url);
            publish(http, url, token);
            CompletableFuture.allOf(polls.toArray(new CompletableFuture[0])).get(2, TimeUnit.MINUTES);
            runs.add(new Run(new ArrayList<>(delays), before.path("jvm").path("heapUsedBytes").asLong(),
                    before.path("jvm").path("threads").asInt(), clients));
        }
        return runs;
    }

    /** Connects until the fanned-out event arrives; records its delay. */
    private static CompletableFuture<Void> poll(RawBayeux s, List<Double> delays, AtomicInteger waiting) {
        waiting.incrementAndGet();
        return s.postAsync(s.connectJson()).thenCompose(messages -> {
            waiting.decrementAndGet();
            for (JsonNode m : (ArrayNode) messages) {
                if (m.path("channel").asText().equals("/event/Fanout__e")) {
                    long sent = m.path("data").path("payload").path("T__c").asLong();
                    delays.add((double) (System.currentTimeMillis() - sent));
                    return CompletableFuture.completedFuture(null);
                }
            }
            return poll(s, delays, waiting);
        });
    }

    private static JsonNode status(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/emulator/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
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
