package dev.sfstream.auth;

import dev.sfstream.AuthenticationException;
import java.net.URI;
import java.util.Objects;

/**
 * Bring your own session: an access token (or session ID) obtained elsewhere, with its instance URL. It cannot be
 * renewed; when Salesforce rejects it, the client reports an {@link AuthenticationException} that says so.
 * Thread-safe; {@link #toString()} shows no token.
 */
public final class StaticTokenAuthenticator implements Authenticator {
    private final AccessToken token;

    private StaticTokenAuthenticator(AccessToken token) {
        this.token = token;
    }

    /**
     * @param instanceUrl the org's API host, such as {@code https://acme.my.salesforce.com}
     * @param accessToken the token or session ID
     * @throws IllegalArgumentException when the URL is not absolute http(s), or is plain http to a non-loopback host
     */
    public static StaticTokenAuthenticator of(String instanceUrl, String accessToken) {
        return of(instanceUrl, accessToken, null, null);
    }

    /** A static token with the user and org it belongs to, when known. */
    public static StaticTokenAuthenticator of(String instanceUrl, String accessToken, String userId, String orgId) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalArgumentException("accessToken is required");
        }
        URI url = LoginHost.of(Objects.requireNonNull(instanceUrl, "instanceUrl")).url();
        return new StaticTokenAuthenticator(new AccessToken(url, accessToken, "Bearer", userId, orgId, null));
    }

    @Override
    public AccessToken token() {
        return token;
    }

    @Override
    public AccessToken renew(AccessToken rejected) {
        throw new AuthenticationException(null, null, 401, "Salesforce rejected the static access token for "
                + token.instanceUrl() + " (expired or revoked), and a static token cannot be renewed: give a new "
                + "token, or use an OAuth flow such as JwtBearerAuthenticator");
    }

    @Override
    public String toString() {
        return "StaticTokenAuthenticator[instanceUrl=" + token.instanceUrl() + ", token=***]";
    }
}
