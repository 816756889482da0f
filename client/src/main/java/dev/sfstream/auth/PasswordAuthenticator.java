package dev.sfstream.auth;

import java.util.Map;

/**
 * The OAuth username-password flow: a connected app's consumer key and secret with a user's username, password and,
 * when the org requires it, security token (sent appended to the password, as Salesforce expects). New orgs block
 * this flow by default; prefer JWT bearer or client credentials for servers.
 *
 * <pre>{@code
 * Authenticator auth = PasswordAuthenticator.builder()
 *         .consumerKey("...").consumerSecret("...")
 *         .username("integration@acme.com").password("...").securityToken("...")
 *         .sandbox()
 *         .build();
 * }</pre>
 *
 * Thread-safe; {@link #toString()} shows no secret.
 */
public final class PasswordAuthenticator extends CachingAuthenticator {
    private final OAuthSettings settings;
    private final String consumerSecret;
    private final String username;
    private final String password;
    private final String securityToken;

    private PasswordAuthenticator(Builder b) {
        this.settings = b.settings.copy();
        this.consumerSecret = OAuthSettings.required(b.consumerSecret, "consumerSecret");
        this.username = OAuthSettings.required(b.username, "username");
        this.password = OAuthSettings.required(b.password, "password");
        this.securityToken = b.securityToken == null ? "" : b.securityToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        Map<String, String> params = settings.grant("password", consumerSecret);
        params.put("username", username);
        params.put("password", password + securityToken);
        return settings.request(params, "password");
    }

    @Override
    public String toString() {
        return "PasswordAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + settings.consumerKey
                + ", username=" + username + ", consumerSecret=***, password=***, securityToken=***]";
    }

    /** Builds a {@link PasswordAuthenticator}; {@link #build()} names any missing setting. */
    public static final class Builder extends ClientSecretBuilder<Builder> {
        private String username;
        private String password;
        private String securityToken;

        private Builder() {
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The user's security token, when the org requires one for API logins from this network. */
        public Builder securityToken(String securityToken) {
            this.securityToken = securityToken;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing setting */
        public PasswordAuthenticator build() {
            return new PasswordAuthenticator(this);
        }

        @Override
        public String toString() {
            return "PasswordAuthenticator.Builder[loginHost=" + settings.loginHost + ", username=" + username
                    + ", secrets=***]";
        }
    }
}
