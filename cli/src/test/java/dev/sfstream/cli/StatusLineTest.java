package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.ConnectionState;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    private final StringWriter said = new StringWriter();
    private final StatusLine status = new StatusLine(new PrintWriter(said, true), false);

    @Test
    void aStartThatCannotConnectYetIsNotCalledALostConnection() {
        status.onStateChanged(ConnectionState.CONNECTING, "opening");
        status.onStateChanged(ConnectionState.RECONNECTING, "Salesforce refused the handshake: busy");
        status.onStateChanged(ConnectionState.CONNECTING, "retrying");
        status.onStateChanged(ConnectionState.CONNECTED, "handshake succeeded");

        assertThat(said.toString().lines()).containsExactly(
                "sfstream: cannot connect yet (Salesforce refused the handshake: busy); retrying",
                "sfstream: connected after 0 s");
    }

    @Test
    void anOutageAfterTheStartIsSaidOnceWhenItStartsAndOnceWhenItEnds() {
        status.onStateChanged(ConnectionState.CONNECTING, "opening");
        status.onStateChanged(ConnectionState.CONNECTED, "handshake succeeded");
        status.onStateChanged(ConnectionState.RECONNECTING, "connect failed: reset");
        status.onStateChanged(ConnectionState.CONNECTING, "retrying");
        status.onStateChanged(ConnectionState.RECONNECTING, "handshake failed: reset");
        status.onStateChanged(ConnectionState.CONNECTED, "handshake succeeded");

        assertThat(said.toString().lines()).containsExactly(
                "sfstream: connection lost (connect failed: reset); reconnecting",
                "sfstream: connected again after 0 s");
    }
}
