package dev.sfstream.auth;

import dev.sfstream.internal.Checks;
import dev.sfstream.internal.Shared;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every OAuth flow shares: the login host, the HTTP client, the request timeout and the connected app's
 * consumer key. A builder fills one in; each authenticator keeps its own {@link #copy()}, so that changing a builder
 * after {@code build()} changes nothing already built. Holds no secret.
 */
final class OAuthSettings {
    LoginHost loginHost = LoginHost.PRODUCTION;
    HttpClient httpClient;
    Duration timeout = Duration.ofSeconds(30);
    String consumerKey;

    HttpClient http() {
        return httpClient != null ? httpClient : Shared.httpClient();
    }

    static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    void timeout(Duration timeout) {
        this.timeout = Checks.positive("timeout", timeout);
    }

    /** A copy for an authenticator, checking that the consumer key is there. */
    OAuthSettings copy() {
        OAuthSettings copy = new OAuthSettings();
        copy.loginHost = loginHost;
        copy.httpClient = httpClient;
        copy.timeout = timeout;
        copy.consumerKey = required(consumerKey, "consumerKey");
        return copy;
    }

    /**
     * The parameters every token request starts with: the grant type, the consumer key as {@code client_id}, and the
     * consumer secret as {@code client_secret} when there is one.
     */
    Map<String, String> grant(String grantType, String consumerSecret) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", grantType);
        params.put("client_id", consumerKey);
        if (consumerSecret != null && !consumerSecret.isEmpty()) {
            params.put("client_secret", consumerSecret);
        }
        return params;
    }

    /** One token request of the named flow, with these settings. */
    AccessToken request(Map<String, String> params, String flow) {
        return TokenEndpoint.request(http(), loginHost, params, timeout, flow);
    }
}
