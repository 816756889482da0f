package dev.sfstream.emulator.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access and refresh tokens issued by the emulated org. An access token is valid until it expires on the org's
 * clock or is revoked; revoking a refresh token revokes the access tokens issued from it. Thread-safe.
 */
public final class TokenStore {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._".toCharArray();

    /** What a token stands for. */
    public record Grant(String userId, String username, String clientId, Instant issuedAt, Instant expiresAt,
            String refreshToken) {
    }

    private final Map<String, Grant> access = new ConcurrentHashMap<>();
    private final Map<String, Grant> refresh = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final OrgClock clock;
    private final String orgId;
    private volatile Duration lifetime;

    public TokenStore(OrgClock clock, String orgId, Duration lifetime) {
        this.clock = clock;
        this.orgId = orgId;
        this.lifetime = lifetime;
    }

    /** Issues an access token, and a refresh token with it when {@code withRefreshToken}. */
    public Issued issue(String userId, String username, String clientId, boolean withRefreshToken) {
        String refreshToken = withRefreshToken ? newToken("5Aep861") : null;
        Instant now = clock.instant();
        Grant grant = new Grant(userId, username, clientId, now, now.plus(lifetime), refreshToken);
        if (refreshToken != null) {
            refresh.put(refreshToken, grant);
        }
        String token = newToken(orgId.substring(0, 15) + "!");
        access.put(token, grant);
        return new Issued(token, grant);
    }

    /** Issues a new access token for a refresh token that is still valid. */
    public Optional<Issued> refresh(String refreshToken) {
        return refreshGrant(refreshToken).map(g -> {
            Instant now = clock.instant();
            Grant grant = new Grant(g.userId(), g.username(), g.clientId(), now, now.plus(lifetime), refreshToken);
            String token = newToken(orgId.substring(0, 15) + "!");
            access.put(token, grant);
            return new Issued(token, grant);
        });
    }

    /** An access token just issued, with its grant. */
    public record Issued(String accessToken, Grant grant) {
    }

    /** The grant of a valid (not expired, not revoked) access token. */
    public Optional<Grant> validate(String accessToken) {
        if (accessToken == null) {
            return Optional.empty();
        }
        Grant g = access.get(accessToken);
        if (g == null || !clock.instant().isBefore(g.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(g);
    }

    /** The grant of a refresh token that has not been revoked. */
    public Optional<Grant> refreshGrant(String refreshToken) {
        return refreshToken == null ? Optional.empty() : Optional.ofNullable(refresh.get(refreshToken));
    }

    /** Revokes one token, access or refresh; revoking a refresh token revokes what was issued from it. */
    public void revoke(String token) {
        Grant byRefresh = refresh.remove(token);
        if (byRefresh != null) {
            access.values().removeIf(g -> token.equals(g.refreshToken()));
        }
        access.remove(token);
    }

    /** Revokes every access token (refresh tokens stay valid, as when an admin ends all sessions). */
    public void revokeAllAccessTokens() {
        access.clear();
    }

    public void lifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    private String newToken(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 96; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
