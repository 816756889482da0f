package dev.sfstream.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.AuthenticationException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.TransportException;
import dev.sfstream.emulator.Emulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Salesforce CLI as a source of tokens: a stand-in {@code sf} that hands out real tokens of an emulator. */
class SfCliAuthenticatorTest {
    static Emulator emulator;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .reconnectTimeout(Duration.ofSeconds(4)).build().start();
        emulator.create("PushTopic", Map.of("Name", "SfCliLeads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** A real token of the emulator's default user, from its OAuth endpoint (password grant), as sf would hold. */
    private static String freshToken() {
        return PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build().token().token();
    }

    private static SfStandIn sf(Path dir) {
        return SfStandIn.in(dir, emulator.orgId(), emulator.url());
    }

    private static SfCliAuthenticator.Builder auth(SfStandIn sf) {
        return SfCliAuthenticator.builder().targetOrg(SfStandIn.ORG).executable(sf.executable);
    }

    private static StreamingEvent next(StreamingClient client) {
        Optional<StreamingEvent> event = client.receive(Duration.ofSeconds(30));
        assertThat(event).as("an event within 30 s").isPresent();
        return event.get();
    }

    @Test
    void subscribesWithTheTokenOfAnSfOrgAndAsksSfAgainWhenSalesforceRevokesIt(@TempDir Path dir) {
        String first = freshToken();
        SfStandIn sf = sf(dir).token(1, first);
        SfCliAuthenticator auth = auth(sf).build();
        List<String> secondToken = new ArrayList<>();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth)
                .handshakeMinInterval(Duration.ofMillis(100)).backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build()) {
            client.open();
            client.subscribe("/topic/SfCliLeads");
            emulator.create("Lead", Map.of("LastName", "BeforeRevoke", "Company", "X"));
            assertThat(next(client).data().path("sobject").path("LastName").asText()).isEqualTo("BeforeRevoke");
            assertThat(auth.token().orgId()).isEqualTo(emulator.orgId());
            assertThat(auth.token().instanceUrl().toString()).isEqualTo(emulator.url());

            emulator.revokeTokens();
            secondToken.add(freshToken());        // sf refreshes: a token issued after the revocation
            sf.token(2, secondToken.get(0));
            emulator.create("Lead", Map.of("LastName", "AfterRevoke", "Company", "X"));

            assertThat(next(client).data().path("sobject").path("LastName").asText()).isEqualTo("AfterRevoke");
            assertThat(auth.token().token()).isEqualTo(secondToken.get(0));
        }
        assertThat(sf.calls()).containsExactly("org display --json --target-org myorg",
                "org display --json --target-org myorg");
        assertThat(auth.toString()).contains("myorg").doesNotContain(first).doesNotContain(secondToken.get(0));
    }

    @Test
    void readsARedactedTokenWithShowAccessToken(@TempDir Path dir) {
        String token = freshToken();
        SfStandIn sf = sf(dir).token(1, token).flag("redact");
        AccessToken got = auth(sf).build().token();
        assertThat(got.token()).isEqualTo(token);
        assertThat(got.orgId()).isEqualTo(emulator.orgId());
        assertThat(sf.calls()).containsExactly("org display --json --target-org myorg",
                "org auth show-access-token --json --target-org myorg");
    }

    @Test
    void withoutATargetOrgSfUsesItsDefault(@TempDir Path dir) {
        String token = freshToken();
        SfStandIn sf = sf(dir).token(1, token).write("default-org", SfStandIn.ORG);
        assertThat(SfCliAuthenticator.builder().executable(sf.executable).build().token().token()).isEqualTo(token);
        assertThat(sf.calls()).containsExactly("org display --json");
    }

    @Test
    void withoutATargetOrgOrADefaultSaysHowToSetOne(@TempDir Path dir) {
        SfStandIn sf = sf(dir).token(1, freshToken());
        assertThatThrownBy(() -> SfCliAuthenticator.builder().executable(sf.executable).build().token())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("No default environment found")
                .hasMessageContaining("sf config set target-org ALIAS");
    }

    @Test
    void anUnknownAliasGivesSfsMessageAndWhatToRun(@TempDir Path dir) {
        SfStandIn sf = sf(dir).token(1, freshToken());
        assertThatThrownBy(() -> auth(sf).targetOrg("nope").build().token())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("No authorization information found for nope.")
                .hasMessageContaining("'sf org list'")
                .hasMessageContaining("'sf org login web --alias nope'");
    }

    @Test
    void aMissingExecutableSaysHowToInstallTheSalesforceCli(@TempDir Path dir) {
        assertThatThrownBy(() -> SfCliAuthenticator.builder().targetOrg("dev").executable(dir.resolve("sf")).build()
                .token())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("there is no such file")
                .hasMessageContaining("install the Salesforce CLI "
                        + "(https://developer.salesforce.com/tools/salesforcecli) or give its path");
        assertThatThrownBy(() -> SfCliAuthenticator.builder().targetOrg("dev").executable("sf-not-installed-here")
                .build().token())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("('sf-not-installed-here') was not found on the PATH")
                .hasMessageContaining("install the Salesforce CLI");
    }

    @Test
    void outputThatIsNotJsonIsReportedWithItsFirstLine(@TempDir Path dir) {
        SfStandIn sf = sf(dir).token(1, freshToken()).flag("garbage");
        assertThatThrownBy(() -> auth(sf).build().token())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("printed no JSON (exit code 1), its first line: Error: this is not JSON");
    }

    @Test
    void theSameTokenAfterARejectionMeansLogInAgain(@TempDir Path dir) {
        String token = freshToken();
        SfStandIn sf = sf(dir).token(1, token).token(2, token);
        SfCliAuthenticator auth = auth(sf).build();
        AccessToken rejected = auth.token();
        sf.flag("stale");
        assertThatThrownBy(() -> auth.renew(rejected))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.getMessage()).contains("gave the same one again")
                            .contains("sf warned: unable to refresh auth for org")
                            .contains("log in again with 'sf org login web --alias myorg'")
                            .doesNotContain(token);
                    assertThat(e.httpStatus()).isEqualTo(401);
                });
    }

    @Test
    void anSfThatDoesNotAnswerIsStoppedAfterTheTimeout(@TempDir Path dir) {
        SfStandIn sf = sf(dir).token(1, freshToken()).flag("slow");
        long started = System.nanoTime();
        assertThatThrownBy(() -> auth(sf).timeout(Duration.ofSeconds(1)).build().token())
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("did not answer 'org display --json --target-org myorg' within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void plainHttpToAHostThatIsNotLoopbackIsRefused(@TempDir Path dir) {
        SfStandIn sf = SfStandIn.in(dir, emulator.orgId(), "http://example.com").token(1, freshToken());
        assertThatThrownBy(() -> auth(sf).build().token()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http to example.com");
    }

    @Test
    void aTargetOrgMustBeAnAliasOrUsername() {
        assertThatThrownBy(() -> SfCliAuthenticator.builder().targetOrg(" ")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> SfCliAuthenticator.builder().targetOrg("--json")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
