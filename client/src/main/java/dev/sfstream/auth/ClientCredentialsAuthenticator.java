package dev.sfstream.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth client credentials flow: the connected app authenticates as itself and runs as the integration user
 * configured on the app. Salesforce serves this flow on the org's My Domain, so set
 * {@code loginHost(LoginHost.myDomain("acme"))}. Thread-safe; {@link #toString()} shows no secret.
 */
public final class ClientCredentialsAuthenticator extends CachingAuthenticator {
    private final OAuthSettings settings;
    private final String consumerKey;
    private final String consumerSecret;

    private ClientCredentialsAuthenticator(Builder b) {
        this.settings = b.settings;
        this.consumerKey = OAuthSettings.required(b.consumerKey, "consumerKey");
        this.consumerSecret = OAuthSettings.required(b.consumerSecret, "consumerSecret");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "client_credentials");
        params.put("client_id", consumerKey);
        params.put("client_secret", consumerSecret);
        return TokenEndpoint.request(settings.http(), settings.loginHost, params, settings.timeout,
                "client credentials");
    }

    @Override
    public String toString() {
        return "ClientCredentialsAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + consumerKey
                + ", consumerSecret=***]";
    }

    /** Builds a {@link ClientCredentialsAuthenticator}. */
    public static final class Builder extends OAuthBuilder<Builder> {
        private String consumerKey;
        private String consumerSecret;

        private Builder() {
        }

        public Builder consumerKey(String consumerKey) {
            this.consumerKey = consumerKey;
            return this;
        }

        public Builder consumerSecret(String consumerSecret) {
            this.consumerSecret = consumerSecret;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing setting */
        public ClientCredentialsAuthenticator build() {
            return new ClientCredentialsAuthenticator(this);
        }

        @Override
        public String toString() {
            return "ClientCredentialsAuthenticator.Builder[loginHost=" + settings.loginHost + ", secrets=***]";
        }
    }
}
