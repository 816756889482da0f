package dev.sfstream.examples.quickstart;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The README's library quick start as a program: streams the notifications of PushTopic {@code LeadCreation},
 * keeping its replay markers in {@code replay.json}. Credentials come from the environment, as the {@code sfstream}
 * command reads them: {@code SF_LOGIN_URL} (default {@code https://login.salesforce.com}), {@code SF_CLIENT_ID},
 * {@code SF_CLIENT_SECRET}, {@code SF_USERNAME}, {@code SF_PASSWORD}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** Where and as whom to log in. */
    public record Login(String url, String consumerKey, String consumerSecret, String username, String password) {
    }

    public static void main(String[] args) {
        Login login = new Login(System.getenv().getOrDefault("SF_LOGIN_URL", "https://login.salesforce.com"),
                System.getenv("SF_CLIENT_ID"), System.getenv("SF_CLIENT_SECRET"), System.getenv("SF_USERNAME"),
                System.getenv("SF_PASSWORD"));
        stream(login, Path.of("replay.json"), 0, System.out);
    }

    /**
     * The quick start: prints the type and record of each notification of {@code /topic/LeadCreation} to
     * {@code out}, and returns after {@code count} of them ({@code 0}: never, until the process stops).
     */
    public static void stream(Login login, Path replayFile, int count, PrintStream out) {
        Authenticator auth = PasswordAuthenticator.builder()
                .consumerKey(login.consumerKey()).consumerSecret(login.consumerSecret())
                .username(login.username()).password(login.password())   // .securityToken("...") when needed
                .loginUrl(login.url())                                    // .sandbox(), a My Domain, or the emulator's URL
                .build();

        int seen = 0;
        try (ReplayStore store = ReplayStore.file(replayFile);
             StreamingClient client = StreamingClient.builder()
                     .authenticator(auth)
                     .replayStore(store)                       // default: in memory
                     .replayFrom(ReplayFrom.NEW_EVENTS)        // when the store has no marker: NEW_EVENTS or ALL_EVENTS
                     .replayFallback(ReplayFallback.ALL_EVENTS) // when a stored ID has expired: FAIL, NEW_EVENTS, ALL_EVENTS
                     .build()) {
            client.open();                                   // bad credentials fail here, fast
            client.subscribe("/topic/LeadCreation");         // also /event/X__e, /data/..., /u/..., /topic/X?Field='value'
            for (StreamingEvent event : client) {            // blocking; ends at close()
                event.pushTopic().ifPresent(p -> out.println(p.type() + " " + p.sobject()));
                if (++seen == count) {
                    break;
                }
            }                                                // asking for the next event commits this one
        }
    }
}
