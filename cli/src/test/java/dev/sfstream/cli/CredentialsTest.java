package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the commands take their credentials from, and what they say when an emulator refuses them. */
class CredentialsTest {
    private static final Map<String, String> ENV_CREDENTIALS = Map.of("SF_CLIENT_ID", "env-app",
            "SF_CLIENT_SECRET", "env-secret", "SF_USERNAME", "env@acme.test", "SF_PASSWORD", "env-password");

    private static Credentials credentials(Map<String, String> env) {
        Credentials c = new Credentials();
        c.env = env;
        return c;
    }

    @Test
    void targetOrgTakesTheOrgFromTheSalesforceCli() {
        Credentials c = credentials(Map.of());
        c.targetOrg = "dev";
        assertThat(c.authenticator().toString()).startsWith("SfCliAuthenticator[targetOrg=dev,");
    }

    @Test
    void sfTargetOrgInTheEnvironmentWinsOverTheOtherCredentialVariables() {
        Map<String, String> env = new java.util.HashMap<>(ENV_CREDENTIALS);
        env.put("SF_TARGET_ORG", "dev");
        assertThat(credentials(env).authenticator().toString()).startsWith("SfCliAuthenticator[targetOrg=dev,");
        assertThat(credentials(ENV_CREDENTIALS).authenticator().toString()).startsWith("PasswordAuthenticator[")
                .contains("username=env@acme.test");
    }

    @Test
    void credentialFlagsWinOverSfTargetOrg() {
        Credentials c = credentials(Map.of("SF_TARGET_ORG", "dev"));
        c.accessToken = "00Dxx0000000001!token";
        c.instanceUrl = "https://acme.my.salesforce.com";
        assertThat(c.authenticator().toString()).startsWith("StaticTokenAuthenticator[");
    }

    @Test
    void targetOrgWithCredentialFlagsIsAUsageError() {
        Credentials c = credentials(Map.of());
        c.targetOrg = "dev";
        c.username = "someone@acme.test";
        c.password = "not-shown-4411";
        assertThatThrownBy(c::authenticator).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--target-org takes the credentials from the Salesforce CLI: give it without "
                        + "--username, --password");
        Credentials withLoginUrl = credentials(Map.of());
        withLoginUrl.targetOrg = "dev";
        withLoginUrl.sandbox = true;
        assertThatThrownBy(withLoginUrl::authenticator).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--sandbox does not apply to an org of the Salesforce CLI (--target-org dev)");
    }

    @Test
    void emulatorFlagsOverrideTheEmulatorsDefaultsAndTheEnvironmentIsNotRead() {
        Credentials c = credentials(ENV_CREDENTIALS);
        c.emulator = "http://127.0.0.1:8080";
        assertThat(c.authenticator().toString()).contains("consumerKey=" + Emulator.DEFAULT_CLIENT_ID)
                .contains("username=" + Emulator.DEFAULT_USERNAME);
        c.username = "ci@acme.test";
        c.password = "ci-pass";
        Authenticator own = c.authenticator();
        assertThat(own.toString()).contains("consumerKey=" + Emulator.DEFAULT_CLIENT_ID)
                .contains("username=ci@acme.test").doesNotContain("ci-pass");
        Credentials appAlone = credentials(Map.of());
        appAlone.emulator = "http://127.0.0.1:8080";
        appAlone.clientId = "ci-app";
        appAlone.clientSecret = "ci-secret";
        assertThat(appAlone.authenticator().toString()).startsWith("ClientCredentialsAuthenticator[")
                .contains("consumerKey=ci-app");
        Credentials noPassword = credentials(Map.of());
        noPassword.emulator = "http://127.0.0.1:8080";
        noPassword.username = "ci@acme.test";
        assertThatThrownBy(noPassword::authenticator).hasMessage("missing --password for --username ci@acme.test");
    }

    @Test
    void anEmulatorWithItsOwnUsersTakesThemFromFlagsAndHintsAtThemWhenLeftOut() {
        try (Emulator emulator = Emulator.builder().quiet(true)
                .user(new EmulatorUser("ci@acme.test", "ci-pass-7731", "", "Ci", "User")).build().start()) {
            Cli own = Cli.run("topic", "list", "--emulator", emulator.url(), "--username", "ci@acme.test",
                    "--password", "ci-pass-7731");
            assertThat(own.exitCode).as(own.toString()).isZero();
            assertThat(own.out).startsWith("NAME");

            Cli defaults = Cli.run("topic", "list", "--emulator", emulator.url());
            assertThat(defaults.exitCode).as(defaults.toString()).isEqualTo(3);
            assertThat(defaults.err).contains("invalid_grant")
                    .contains("an emulator started with --config has its own users; give one with --username and "
                            + "--password");

            Cli wrong = Cli.run("topic", "list", "--emulator", emulator.url(), "--username", "ci@acme.test",
                    "--password", "wrong-pass-5512");
            assertThat(wrong.exitCode).isEqualTo(3);
            assertThat(wrong.err).contains("check --username and --password").doesNotContain("wrong-pass-5512");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"listen", "topic list", "topic declare", "record create", "publish"})
    void everyCommandThatTalksToAnOrgTakesATargetOrg(String command) {
        String[] args = (command + " --help").split(" ");
        Cli help = Cli.run(args);
        assertThat(help.out.replaceAll("\\s+", " ")).contains("--target-org=ALIAS").contains("SF_TARGET_ORG")
                .contains("Credential flags win over it; it wins over the SF_* credential variables.");
    }
}
