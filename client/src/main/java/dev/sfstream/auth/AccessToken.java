package dev.sfstream.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth access token and what came with it: the instance URL every API call goes to, and the user and org the
 * token belongs to (read from the identity URL, {@code .../id/<orgId>/<userId>}).
 *
 * <p>{@link #toString()} never shows the token itself.
 *
 * @param instanceUrl the org's API host, such as {@code https://acme.my.salesforce.com}
 * @param token the access token (a session ID)
 * @param tokenType the scheme to send it with, {@code Bearer}
 * @param userId the authenticated user's ID, or {@code null} when not known (a static token)
 * @param orgId the org's ID, or {@code null} when not known
 * @param issuedAt when Salesforce issued it (or when it was obtained)
 */
public record AccessToken(URI instanceUrl, String token, String tokenType, String userId, String orgId,
        Instant issuedAt) {
    public AccessToken {
        Objects.requireNonNull(instanceUrl, "instanceUrl");
        Objects.requireNonNull(token, "token");
        tokenType = tokenType == null || tokenType.isBlank() ? "Bearer" : tokenType;
        issuedAt = issuedAt == null ? Instant.now() : issuedAt;
    }

    /** The value of the {@code Authorization} header: {@code Bearer <token>}. */
    public String authorizationHeader() {
        return tokenType + " " + token;
    }

    @Override
    public String toString() {
        return "AccessToken[instanceUrl=" + instanceUrl + ", token=***, userId=" + userId + ", orgId=" + orgId
                + ", issuedAt=" + issuedAt + "]";
    }
}
