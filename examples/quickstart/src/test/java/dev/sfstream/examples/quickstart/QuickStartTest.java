package dev.sfstream.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfstream.emulator.Emulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start, run against a local org (the sfstream emulator) in this JVM. */
class QuickStartTest {
    @Test
    void aLeadCreatedAfterTheQuickStartSubscribedArrivesAsACreatedNotification(@TempDir Path dir) throws Exception {
        try (Emulator org = Emulator.builder().quiet(true).build().start()) {
            org.create("PushTopic", Map.of("Name", "LeadCreation", "Query",
                    "SELECT Id, FirstName, LastName, Company FROM Lead", "ApiVersion", 64.0));
            QuickStart.Login login = new QuickStart.Login(org.url(), Emulator.DEFAULT_CLIENT_ID,
                    Emulator.DEFAULT_CLIENT_SECRET, Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

            CompletableFuture<Void> quickStart = CompletableFuture.runAsync(
                    () -> QuickStart.stream(login, dir.resolve("replay.json"), 1, out));
            // The quick start starts from new events: create the Lead once its subscription is there.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!org.status().get("subscriptions").toString().contains("/topic/LeadCreation")
                    && !quickStart.isDone()) {
                assertTrue(System.nanoTime() < deadline, "the quick start did not subscribe within 30 s");
                try {
                    quickStart.get(20, TimeUnit.MILLISECONDS); // returns early, or throws, if the quick start ended
                } catch (TimeoutException stillRunning) {
                    // not subscribed yet: look at the org's status again
                }
            }
            org.create("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace", "Company", "Analytical Engines"));

            quickStart.get(30, TimeUnit.SECONDS);
            String line = printed.toString(StandardCharsets.UTF_8).strip();
            assertTrue(line.startsWith("created "), line);
            assertTrue(line.contains("\"LastName\":\"Lovelace\""), line);
            assertEquals(1, line.lines().count(), line);
        }
    }
}
