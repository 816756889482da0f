package dev.sfstream.auth;

import dev.sfstream.internal.Checks;
import dev.sfstream.internal.Shared;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * What every OAuth authenticator builder shares: the login host, the HTTP client and the request timeout. Holds
 * no secret.
 */
final class OAuthSettings {
    LoginHost loginHost = LoginHost.PRODUCTION;
    HttpClient httpClient;
    Duration timeout = Duration.ofSeconds(30);

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
}
