package dev.sfstream.auth;


/**
 * The OAuth client credentials flow: the connected app authenticates as itself and runs as the integration user
 * configured on the app. Salesforce serves this flow on the org's My Domain, so set
 * {@code loginHost(LoginHost.myDomain("acme"))}. Thread-safe; {@link #toString()} shows no secret.
 */
public final class ClientCredentialsAuthenticator extends CachingAuthenticator {
    private final OAuthSettings settings;
    private final String consumerSecret;

    private ClientCredentialsAuthenticator(Builder b) {
        this.settings = b.settings.copy();
        this.consumerSecret = OAuthSettings.required(b.consumerSecret, "consumerSecret");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        return settings.request(settings.grant("client_credentials", consumerSecret), "client credentials");
    }

    @Override
    public String toString() {
        return "ClientCredentialsAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + settings.consumerKey
                + ", consumerSecret=***]";
    }

    /** Builds a {@link ClientCredentialsAuthenticator}. */
    public static final class Builder extends ClientSecretBuilder<Builder> {
        private Builder() {
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
