package dev.sfstream.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth refresh token flow: a refresh token obtained once (by the web server flow, say) exchanged for access
 * tokens as needed. The consumer secret is optional, as Salesforce allows for apps that do not require it.
 * Thread-safe; {@link #toString()} shows no secret.
 */
public final class RefreshTokenAuthenticator extends CachingAuthenticator {
    private final OAuthSettings settings;
    private final String consumerKey;
    private final String consumerSecret;
    private final String refreshToken;

    private RefreshTokenAuthenticator(Builder b) {
        this.settings = b.settings;
        this.consumerKey = OAuthSettings.required(b.consumerKey, "consumerKey");
        this.consumerSecret = b.consumerSecret;
        this.refreshToken = OAuthSettings.required(b.refreshToken, "refreshToken");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("client_id", consumerKey);
        if (consumerSecret != null && !consumerSecret.isEmpty()) {
            params.put("client_secret", consumerSecret);
        }
        params.put("refresh_token", refreshToken);
        params.put("format", "json");
        return TokenEndpoint.request(settings.http(), settings.loginHost, params, settings.timeout, "refresh token");
    }

    @Override
    public String toString() {
        return "RefreshTokenAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + consumerKey
                + ", consumerSecret=***, refreshToken=***]";
    }

    /** Builds a {@link RefreshTokenAuthenticator}. */
    public static final class Builder extends OAuthBuilder<Builder> {
        private String consumerKey;
        private String consumerSecret;
        private String refreshToken;

        private Builder() {
        }

        public Builder consumerKey(String consumerKey) {
            this.consumerKey = consumerKey;
            return this;
        }

        /** Optional: sent when given. */
        public Builder consumerSecret(String consumerSecret) {
            this.consumerSecret = consumerSecret;
            return this;
        }

        public Builder refreshToken(String refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing setting */
        public RefreshTokenAuthenticator build() {
            return new RefreshTokenAuthenticator(this);
        }

        @Override
        public String toString() {
            return "RefreshTokenAuthenticator.Builder[loginHost=" + settings.loginHost + ", secrets=***]";
        }
    }
}
