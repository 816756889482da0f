package dev.sfstream.auth;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every OAuth authenticator builder shares: the connected app's consumer key, where to log in, with
 * which HTTP client, and how long a token request may take.
 *
 * @param <B> the concrete builder, so that calls chain
 */
public abstract class OAuthBuilder<B extends OAuthBuilder<B>> {
    final OAuthSettings settings = new OAuthSettings();

    OAuthBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The connected app's consumer key (OAuth {@code client_id}; the JWT's {@code iss} in the JWT bearer flow). */
    public B consumerKey(String consumerKey) {
        settings.consumerKey = consumerKey;
        return self();
    }

    /** The login URL: production (the default), a My Domain, or any URL such as the emulator's. */
    public B loginUrl(String url) {
        settings.loginHost = LoginHost.of(url);
        return self();
    }

    /** The login host, for example {@link LoginHost#myDomain(String)}. */
    public B loginHost(LoginHost host) {
        settings.loginHost = Objects.requireNonNull(host, "loginHost");
        return self();
    }

    /** Logs in at {@code https://test.salesforce.com}. */
    public B sandbox() {
        settings.loginHost = LoginHost.SANDBOX;
        return self();
    }

    /** The HTTP client for token requests; by default sfstream's shared one. */
    public B httpClient(HttpClient httpClient) {
        settings.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return self();
    }

    /** How long a token request may take; 30 seconds by default. */
    public B timeout(Duration timeout) {
        settings.timeout(timeout);
        return self();
    }
}
