package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The warning an emulator prints when it is to listen beyond loopback: decided from the configured host, without
 * starting it (the tests never listen beyond loopback).
 */
class ExposureTest {
    @Test
    void loopbackNeedsNoWarning() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
            assertThat(Emulator.builder().host(host).build().exposureWarning()).as(host).isEmpty();
        }
    }

    @Test
    void anyOtherAddressGetsTheWarning() {
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "2001:db8::1"}) {
            assertThat(Emulator.builder().host(host).build().exposureWarning()).as(host).isPresent();
        }
    }

    @Test
    void warningNamesTheAddressTheOpenEndpointsAndTheDefaultCredentials() {
        String warning = Emulator.builder().host("0.0.0.0").build().exposureWarning().orElseThrow();
        assertThat(warning).startsWith("WARNING: the emulator listens on 0.0.0.0, beyond loopback")
                .contains("web console (at /)", "/emulator/", "take no authentication",
                        "access or refresh token for any user")
                .contains("user dev@sfstream.local / sfstream")
                .contains("connected app sfstream-local / sfstream-local-secret")
                .contains("client credentials flow logs in as dev@sfstream.local");
    }

    @Test
    void configuredCredentialsAreNotNamed() {
        String warning = Emulator.builder().host("0.0.0.0")
                .user(new EmulatorUser("ci@acme.test", "secret", "", "", "Ci"))
                .connectedApp(ConnectedApp.of(Emulator.DEFAULT_CLIENT_ID, "another-secret"))
                .build().exposureWarning().orElseThrow();
        assertThat(warning).contains("/emulator/").doesNotContain("sfstream-local-secret", "dev@sfstream.local",
                "secret)", "default credentials");
    }
}
