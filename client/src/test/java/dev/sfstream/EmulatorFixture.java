package dev.sfstream;

import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.Map;

/** Builds emulators and clients for tests: short timeouts so that faults heal fast, loopback only. */
final class EmulatorFixture {
    private EmulatorFixture() {
    }

    static Emulator.Builder emulator() {
        return Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .reconnectTimeout(Duration.ofSeconds(4));
    }

    static PasswordAuthenticator auth(Emulator emulator) {
        return PasswordAuthenticator.builder()
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD)
                .loginUrl(emulator.url())
                .build();
    }

    static StreamingClient.Builder client(Emulator emulator) {
        return StreamingClient.builder()
                .authenticator(auth(emulator))
                .handshakeMinInterval(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static StreamingClient client(Emulator emulator, ReplayStore store) {
        return client(emulator).replayStore(store).build();
    }

    /** Declares a PushTopic on Lead, as the seed walk-through does. */
    static void leadTopic(Emulator emulator, String name) {
        emulator.create("PushTopic", Map.of("Name", name, "Query",
                "SELECT Id, FirstName, LastName, Company FROM Lead", "ApiVersion", 64.0));
    }

    static String lead(Emulator emulator, String lastName) {
        return emulator.create("Lead", Map.of("LastName", lastName, "Company", "Acme"));
    }
}
