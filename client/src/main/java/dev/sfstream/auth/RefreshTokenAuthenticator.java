package dev.sfstream.auth;

import java.util.Map;

/**
 * The OAuth refresh token flow: a refresh token obtained once (by the web server flow, say) exchanged for access
 * tokens as needed. The consumer secret is optional, as Salesforce allows for apps that do not require it.
 * Thread-safe; {@link #toString()} shows no secret.
 */
public final class RefreshTokenAuthenticator extends CachingAuthenticator {
    private final OAuthSettings settings;
    private final String consumerSecret;
    private final String refreshToken;

    private RefreshTokenAuthenticator(Builder b) {
        this.settings = b.settings.copy();
        this.consumerSecret = b.consumerSecret;
        this.refreshToken = OAuthSettings.required(b.refreshToken, "refreshToken");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        Map<String, String> params = settings.grant("refresh_token", consumerSecret);
        params.put("refresh_token", refreshToken);
        params.put("format", "json");
        return settings.request(params, "refresh token");
    }

    @Override
    public String toString() {
        return "RefreshTokenAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + settings.consumerKey
                + ", consumerSecret=***, refreshToken=***]";
    }

    /** Builds a {@link RefreshTokenAuthenticator}. */
    public static final class Builder extends ClientSecretBuilder<Builder> {
        private String refreshToken;

        private Builder() {
        }

        /** Optional here: sent when given. */
        @Override
        public Builder consumerSecret(String consumerSecret) {
            return super.consumerSecret(consumerSecret);
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
