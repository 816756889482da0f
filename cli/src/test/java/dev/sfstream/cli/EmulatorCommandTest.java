package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.emulator.EmulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code sfstream emulator}: its options, and the warning on stderr before it listens beyond loopback. Nothing here
 * listens: the warning is decided from the configured host, and the emulators are built, never started.
 */
class EmulatorCommandTest {
    @Test
    void warnsOnStderrBeforeListeningBeyondLoopback() {
        StringWriter err = new StringWriter();
        boolean warned = EmulatorCommand.warnIfExposed(EmulatorConfig.fromOptions(null, 0, "0.0.0.0", null).build(),
                new PrintWriter(err, true));
        assertThat(warned).isTrue();
        assertThat(err.toString()).startsWith("WARNING: the emulator listens on 0.0.0.0, beyond loopback")
                .contains("/emulator/", "take no authentication", "sfstream-local / sfstream-local-secret");
    }

    @Test
    void staysQuietOnLoopback() {
        StringWriter err = new StringWriter();
        boolean warned = EmulatorCommand.warnIfExposed(EmulatorConfig.fromOptions(null, 0, "127.0.0.1", null).build(),
                new PrintWriter(err, true));
        assertThat(warned).isFalse();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpShowsTheAdvertisedUrlAndTheRiskOfAnotherHost() {
        Cli help = Cli.run("emulator", "--help");
        assertThat(help.out).contains("--advertised-url=URL").contains("fault endpoints take no token");
    }

    @Test
    void aBadAdvertisedUrlIsRefusedBeforeListening() {
        Cli bad = Cli.run("emulator", "--port", "0", "--advertised-url", "proxy.test:9999");
        assertThat(bad.exitCode).as(bad.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err).contains("advertisedUrl must be an http or https URL");
    }

    @Test
    void helpShowsThePubSubPort() {
        Cli help = Cli.run("emulator", "--help");
        assertThat(help.out).contains("--pubsub-port=N").contains("Pub/Sub API").contains("7443");
    }

    @Test
    void aPubSubPortOutOfRangeIsRefusedBeforeListening() {
        Cli bad = Cli.run("emulator", "--port", "0", "--pubsub-port", "70000");
        assertThat(bad.exitCode).as(bad.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err).contains("pubSub port must be between 0 and 65535, got 70000");
    }
}
