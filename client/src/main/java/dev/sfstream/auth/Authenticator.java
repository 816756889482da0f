package dev.sfstream.auth;

/**
 * Where a client gets its access token from. One authenticator can serve a streaming client and a REST client at
 * once: they share its token, and when Salesforce rejects it, one new token request serves every caller.
 *
 * <p>Implementations: {@link PasswordAuthenticator}, {@link RefreshTokenAuthenticator},
 * {@link ClientCredentialsAuthenticator}, {@link JwtBearerAuthenticator}, {@link StaticTokenAuthenticator},
 * {@link SfCliAuthenticator} (an org of the Salesforce CLI); or extend {@link CachingAuthenticator} for another
 * grant. Implementations are thread-safe.
 */
public interface Authenticator {
    /**
     * The current token, requesting one on first use.
     *
     * @throws dev.sfstream.AuthenticationException when Salesforce refuses the credentials
     * @throws dev.sfstream.TransportException when the login host cannot be reached
     */
    AccessToken token();

    /**
     * A new token, because Salesforce rejected {@code rejected}. Concurrent callers that hold the same rejected
     * token share one token request; a caller whose token was already replaced gets the replacement at once.
     */
    AccessToken renew(AccessToken rejected);
}
