package com.example.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.service.ErrorPolicy;
import dev.sfstream.service.StreamingService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "run it against the emulator" block, with the dispatched events collected instead of printed and an
 * await instead of the sleep, so that the example is checked on every build.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleServiceRunsAgainstTheEmulator() throws Exception {
        List<Map<String, Object>> dispatched = new CopyOnWriteArrayList<>();
        List<Object> failures = new CopyOnWriteArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
             StreamingClient client = StreamingClient.builder()
                     .authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                             .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                             .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                     .replayStore(ReplayStore.file(dir.resolve("replay.json")))
                     .build();
             StreamingService service = StreamingService.builder()
                     .client(client)
                     .handlers(new SalesforceEventProxy(dispatched::add))
                     .concurrency(4)
                     .retries(2, Duration.ofSeconds(1))
                     .errorPolicy(ErrorPolicy.STOP)
                     .onFailure(failures::add)
                     .build()) {
            service.start();
            String lead = emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
            emulator.update("Lead", lead, Map.of("Status", "Working"));
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-42"));
            String contact = emulator.create("Contact", Map.of("FirstName", "Ada", "LastName", "Byron"));
            emulator.update("Contact", contact, Map.of("LastName", "Lovelace"));

            await().atMost(Duration.ofSeconds(15)).until(() -> dispatched.size() >= 4);
        }
        assertThat(dispatched).extracting(m -> m.get("event")).containsExactlyInAnyOrder(
                "salesforce_lead_created", "salesforce_lead_updated", "order_placed", "contact_renamed");
        assertThat(dispatched).filteredOn(m -> m.get("event").equals("contact_renamed"))
                .extracting(m -> m.get("payload")).containsExactly("Ada Lovelace");
        assertThat(failures).isEmpty();
    }
}
