package dev.sfstream.transport;

import dev.sfstream.auth.Authenticator;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * What a client gives its transport session: where tokens come from, whom to tell, and the client's settings that
 * a transport honours (each transport takes those that apply to it).
 *
 * @param authenticator where tokens come from
 * @param listener whom the session tells about events, state and faults
 * @param apiVersion the Streaming API version (Bayeux)
 * @param connectionTimeout how long failures may last before the session gives up
 * @param requestTimeout how long a single request may take
 * @param handshakeMinInterval the least time between two handshakes (Bayeux)
 * @param backoffInitial the first pause after a failure
 * @param backoffMax the longest pause after failures
 * @param maxMessageSize the largest response accepted, in bytes
 * @param httpClient the HTTP client (Bayeux)
 */
public record TransportContext(Authenticator authenticator, SessionListener listener, String apiVersion,
        Duration connectionTimeout, Duration requestTimeout, Duration handshakeMinInterval, Duration backoffInitial,
        Duration backoffMax, int maxMessageSize, HttpClient httpClient) {
    public TransportContext {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(listener, "listener");
    }
}
