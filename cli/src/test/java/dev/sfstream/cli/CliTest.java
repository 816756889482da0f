package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.internal.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands, run in this JVM against an emulator. */
class CliTest {
    static Emulator emulator;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
        emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void demoExitsAfterTheCountWithThatManyNotifications(@TempDir Path dir) {
        Cli cli = Cli.run("demo", "--count", "4", "--dir", dir.toString(), "--interval", "100ms");
        assertThat(cli.exitCode).as(cli.toString()).isZero();
        assertThat(cli.out.lines().filter(l -> l.startsWith("  <- /topic/LeadCreation"))).hasSize(4);
        assertThat(cli.out).contains("Declared PushTopic LeadCreation");
        assertThat(cli.out).contains("created").contains("updated").contains("deleted").contains("undeleted");
    }

    @Test
    void aSecondDemoRunResumesAfterTheStoredReplayId(@TempDir Path dir) {
        Cli first = Cli.run("demo", "--count", "2", "--dir", dir.toString(), "--interval", "100ms");
        assertThat(first.exitCode).as(first.toString()).isZero();
        Cli second = Cli.run("demo", "--count", "2", "--dir", dir.toString(), "--interval", "100ms");
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("is declared already").contains("the last run stopped after replay ID");
        long lastOfFirst = replayIds(first.out).get(1);
        assertThat(replayIds(second.out)).allMatch(id -> id > lastOfFirst);
    }

    private static List<Long> replayIds(String out) {
        return out.lines().filter(l -> l.startsWith("  <- ")).map(l -> Long.parseLong(l.replaceAll(
                ".*replay (\\d+).*", "$1"))).toList();
    }

    @Test
    void listenPrintsOneJsonLinePerEventAndExitsAfterTheCount() throws Exception {
        CompletableFuture<Cli> listening = CompletableFuture.supplyAsync(() -> Cli.run("listen", "/topic/Leads",
                "--emulator", emulator.url(), "--count", "3", "--replay", "all"));
        for (int i = 0; i < 3; i++) {
            emulator.create("Lead", Map.of("LastName", "Json" + i, "Company", "X"));
        }
        Cli cli = listening.get(30, TimeUnit.SECONDS);
        assertThat(cli.exitCode).as(cli.toString()).isZero();
        List<String> lines = cli.out.lines().toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        for (String line : lines) {
            JsonNode json = Json.MAPPER.readTree(line);
            assertThat(json.path("channel").asText()).isEqualTo("/topic/Leads");
            assertThat(json.path("data").path("event").path("replayId").asLong()).isPositive();
        }
    }

    @Test
    void listenStopsAfterTheIdleTimeout() {
        Cli cli = Cli.run("listen", "/topic/Leads", "--emulator", emulator.url(), "--idle-timeout", "1s");
        assertThat(cli.exitCode).as(cli.toString()).isZero();
        assertThat(cli.out).isEmpty();
    }

    @Test
    void listenToAChannelThatDoesNotExistIsRefused() {
        Cli cli = Cli.run("listen", "/topic/Nope", "--emulator", emulator.url(), "--count", "1");
        assertThat(cli.exitCode).isEqualTo(1);
        assertThat(cli.err).contains("/topic/Nope").contains("doesn't exist");
        assertThat(cli.err.lines()).hasSize(1);
    }

    @Test
    void topicValidatePrintsSalesforcesTextsAndExitsOneWhenRefused() {
        Cli refused = Cli.run("topic", "validate", "SELECT Id, Name FROM Account LIMIT 5");
        assertThat(refused.exitCode).isEqualTo(1);
        assertThat(refused.out.strip()).isEqualTo("INVALID_FIELD, 'LIMIT' is not allowed");
        Cli notId = Cli.run("topic", "validate", "SELECT Id FROM Account", "--notify-for-fields", "Select");
        assertThat(notId.exitCode).isEqualTo(1);
        assertThat(notId.out).contains("NotifyForFields 'Select' requires");
        Cli ok = Cli.run("topic", "validate", "SELECT Id, Name FROM Account WHERE Industry = 'Energy'");
        assertThat(ok.exitCode).isZero();
        assertThat(ok.out).startsWith("OK");
    }

    @Test
    void topicDeclareListGetDeactivateDelete() {
        String url = emulator.url();
        assertThat(Cli.run("topic", "declare", "Accounts", "SELECT Id, Name FROM Account", "--emulator", url).out)
                .startsWith("declared /topic/Accounts (0IF");
        assertThat(Cli.run("topic", "list", "--emulator", url).out).contains("Accounts").contains("SELECT Id, Name");
        assertThat(Cli.run("topic", "get", "Accounts", "--emulator", url).out).contains("\"channel\" : \"/topic/"
                + "Accounts\"");
        assertThat(Cli.run("topic", "deactivate", "Accounts", "--emulator", url).exitCode).isZero();
        assertThat(Cli.run("topic", "delete", "Accounts", "--emulator", url).exitCode).isZero();
        Cli gone = Cli.run("topic", "get", "Accounts", "--emulator", url);
        assertThat(gone.exitCode).isEqualTo(1);
        Cli invalid = Cli.run("topic", "declare", "Bad", "SELECT Name FROM Account", "--emulator", url);
        assertThat(invalid.exitCode).isEqualTo(1);
        assertThat(invalid.err).contains("The SELECT clause of a PushTopic query must include Id");
    }

    @Test
    void recordAndPublishMakeEventsHappen() {
        String url = emulator.url();
        Cli created = Cli.run("record", "create", "Account", "Name=Acme", "NumberOfEmployees:=12", "--emulator",
                url);
        assertThat(created.exitCode).as(created.toString()).isZero();
        String id = created.out.strip();
        assertThat(emulator.record(id).orElseThrow()).containsEntry("NumberOfEmployees", 12);
        assertThat(Cli.run("record", "update", "Account", id, "Name=Acme Labs", "--emulator", url).exitCode).isZero();
        assertThat(Cli.run("record", "delete", "Account", id, "--emulator", url).exitCode).isZero();
        assertThat(Cli.run("record", "undelete", "Account", id, "--emulator", url).exitCode).isZero();
        assertThat(emulator.record(id).orElseThrow()).containsEntry("Name", "Acme Labs");
        Cli published = Cli.run("publish", "/event/Order__e", "{\"Number__c\":\"42\"}", "--emulator", url);
        assertThat(published.exitCode).as(published.toString()).isZero();
        assertThat(published.out).startsWith("published e00");
        Cli refused = Cli.run("record", "create", "Lead", "LastName=NoCompany", "--emulator", url);
        assertThat(refused.exitCode).isEqualTo(1);
        assertThat(refused.err).contains("REQUIRED_FIELD_MISSING");
    }

    @Test
    void aWrongPasswordExitsThreeWithSalesforcesMessageAndWithoutThePassword() {
        Cli cli = Cli.run("listen", "/topic/Leads", "--login-url", emulator.url(), "--client-id",
                Emulator.DEFAULT_CLIENT_ID, "--client-secret", "the-client-secret-xyz", "--username",
                Emulator.DEFAULT_USERNAME, "--password", "hunter2-not-it", "--count", "1");
        assertThat(cli.exitCode).isEqualTo(3);
        assertThat(cli.err).contains("invalid_client").doesNotContain("hunter2-not-it")
                .doesNotContain("the-client-secret-xyz");
        Cli badPassword = Cli.run("topic", "list", "--login-url", emulator.url(), "--client-id",
                Emulator.DEFAULT_CLIENT_ID, "--client-secret", Emulator.DEFAULT_CLIENT_SECRET, "--username",
                Emulator.DEFAULT_USERNAME, "--password", "hunter2-not-it");
        assertThat(badPassword.exitCode).isEqualTo(3);
        assertThat(badPassword.err).contains("invalid_grant (authentication failure)").doesNotContain("hunter2");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(Cli.run("listen").exitCode).isEqualTo(2);
        assertThat(Cli.run("listen", "/topic/Leads", "--count", "zero", "--emulator", emulator.url()).exitCode)
                .isEqualTo(2);
        assertThat(Cli.run("listen", "topic/NoSlash", "--emulator", emulator.url()).exitCode).isEqualTo(2);
        assertThat(Cli.run("listen", "/topic/Leads", "--idle-timeout", "soon", "--emulator", emulator.url())
                .exitCode).isEqualTo(2);
        Cli noCredentials = Cli.run("topic", "list");
        assertThat(noCredentials.exitCode).isEqualTo(2);
        assertThat(noCredentials.err).contains("no credentials");
        assertThat(Cli.run("no-such-command").exitCode).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "listen", "topic", "topic validate", "topic declare", "topic list",
        "topic get", "topic deactivate", "topic delete", "record", "record create", "record update",
        "record delete", "record undelete", "publish", "emulator"})
    void everyCommandHasHelp(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
        Cli cli = Cli.run(args);
        assertThat(cli.exitCode).isZero();
        assertThat(cli.out).contains("Usage: sfstream");
    }

    @Test
    void topLevelHelpDocumentsTheExitCodes() {
        assertThat(Cli.run("--help").out).contains("Exit codes:").contains("3  authentication failed");
    }

    @Test
    void publishingToAGenericChannelThatDoesNotExistIsRefusedWithHowToCreateIt() {
        Cli cli = Cli.run("publish", "/u/Nowhere", "hello", "--emulator", emulator.url());
        assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
        assertThat(cli.err).contains("sfstream record create StreamingChannel Name=/u/Nowhere");
        Cli create = Cli.run("record", "create", "StreamingChannel", "Name=/u/Nowhere", "--emulator", emulator.url());
        assertThat(create.exitCode).as(create.toString()).isZero();
        Cli again = Cli.run("publish", "/u/Nowhere", "hello", "--emulator", emulator.url());
        assertThat(again.exitCode).as(again.toString()).isZero();
    }

    @Test
    void aBadReplayValueNamesEveryAcceptedOne() {
        Cli cli = Cli.run("listen", "/topic/Leads", "--replay", "abc", "--emulator", emulator.url());
        assertThat(cli.exitCode).isEqualTo(2);
        assertThat(cli.err).contains("new, all, stored or a replay ID").contains("'abc'");
    }

    @Test
    void aUsageErrorSaysWhatIsWrongAndWhereToReadMoreWithoutTheWholeHelp() {
        Cli cli = Cli.run("listen", "/topic/Leads", "--bogus");
        assertThat(cli.exitCode).isEqualTo(2);
        assertThat(cli.err).contains("--bogus").contains("Try 'sfstream listen --help'")
                .doesNotContain("Usage:");
    }

    @Test
    void helpKeepsExampleCommandsAndUrlsOnOneLine() {
        Cli cli = Cli.run("listen", "--help");
        assertThat(cli.out)
                .contains("  sfstream listen /topic/LeadCreation --emulator http://127.0.0.1:8080 --count 5");
        assertThat(cli.out).contains("CHANNEL...").contains("/topic/..., /event/...__e");
    }

    @Test
    void nothingListeningAtTheAddressHintsAtTheEmulator() {
        Cli cli = Cli.run("topic", "list", "--emulator", "http://127.0.0.1:1");
        assertThat(cli.exitCode).as(cli.toString()).isNotZero();
        assertThat(cli.err).contains("is `sfstream emulator` running");
    }

    @Test
    void listenSaysWhichStoreItUsesAndWhereEachChannelStarts(@TempDir Path dir) {
        Path store = dir.resolve("typo").resolve("replay.json");
        Cli cli = Cli.run("listen", "/topic/Leads", "--emulator", emulator.url(), "--store", store.toString(),
                "--idle-timeout", "1s");
        assertThat(cli.exitCode).as(cli.toString()).isZero();
        assertThat(cli.err).contains("replay store FileReplayStore[").contains("replay.json")
                .contains("/topic/Leads: no stored marker; starting from new events");
    }
}
