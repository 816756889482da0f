package dev.sfstream.spring.boot;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.SfCliAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule that turns the credential properties into an {@link Authenticator}: the flow follows from what is
 * set, as with the command line and the Kafka connector. First an access token (with instance-url), then a JWT key
 * file (with client-id and username), then a refresh token (with client-id), then a username and password (with
 * client-id and client-secret), then client-id and client-secret alone (client credentials); or, with none of
 * these, an org of the Salesforce CLI (target-org). Building asks nothing of Salesforce.
 *
 * <p>A missing or wrong property fails with an {@link SfstreamPropertyException} that names it and never carries a
 * secret's value.
 */
final class SfstreamCredentials {
    private static final String PREFIX = "sfstream.";

    private SfstreamCredentials() {
    }

    /** The authenticator the properties describe. */
    static Authenticator authenticator(SfstreamProperties p) {
        String accessToken = blankToNull(p.getAccessToken());
        String clientId = blankToNull(p.getClientId());
        String clientSecret = blankToNull(p.getClientSecret());
        String username = blankToNull(p.getUsername());
        String password = blankToNull(p.getPassword());
        String refreshToken = blankToNull(p.getRefreshToken());
        String targetOrg = blankToNull(p.getTargetOrg());
        List<String> given = given(p);
        if (targetOrg != null) {
            if (!given.isEmpty()) {
                throw invalid("target-org", targetOrg, "the Salesforce CLI provides the credentials of "
                        + "target-org; remove " + String.join(", ", given) + ", or target-org");
            }
            return SfCliAuthenticator.builder().targetOrg(targetOrg).build();
        }
        if (accessToken != null) {
            String instanceUrl = require(p.getInstanceUrl(), "instance-url", "an access token needs the instance URL "
                    + "it belongs to");
            try {
                return StaticTokenAuthenticator.of(instanceUrl, accessToken);
            } catch (IllegalArgumentException e) {
                throw invalid("instance-url", instanceUrl, e.getMessage());
            }
        }
        LoginHost host = loginHost(p.getLoginUrl());
        if (p.getJwtKeyFile() != null) {
            require(clientId, "client-id", "the JWT bearer flow (jwt-key-file) needs the connected app's consumer key");
            require(username, "username", "the JWT bearer flow (jwt-key-file) needs the username");
            JwtBearerAuthenticator.Builder jwt = JwtBearerAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .username(username);
            try {
                jwt.privateKeyFile(p.getJwtKeyFile());
            } catch (IllegalArgumentException e) {
                throw invalid("jwt-key-file", p.getJwtKeyFile(), e.getMessage());
            }
            return jwt.build();
        }
        if (refreshToken != null) {
            require(clientId, "client-id", "the refresh token flow needs the connected app's consumer key");
            return RefreshTokenAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .consumerSecret(clientSecret).refreshToken(refreshToken).build();
        }
        if (username != null || password != null) {
            require(clientId, "client-id", "the username-password flow needs the connected app's consumer key");
            require(clientSecret, "client-secret", "the username-password flow needs the connected app's consumer "
                    + "secret");
            require(username, "username", "the username-password flow needs the username (password is set)");
            require(password, "password", "the username-password flow needs the password (username is set)");
            return PasswordAuthenticator.builder().loginHost(host).consumerKey(clientId).consumerSecret(clientSecret)
                    .username(username).password(password).securityToken(blankToNull(p.getSecurityToken())).build();
        }
        if (clientId != null && clientSecret != null) {
            return ClientCredentialsAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .consumerSecret(clientSecret).build();
        }
        if (clientId != null) {
            throw invalid("client-secret", null, "missing: with client-id alone, set client-secret (client "
                    + "credentials flow), or add username and password, refresh-token or jwt-key-file");
        }
        throw invalid("client-id", null, "no credentials: set client-id with client-secret and username and password "
                + "(or refresh-token, or jwt-key-file), access-token with instance-url, or target-org; or "
                + "sfstream.emulator.enabled=true for a local org");
    }

    /** The credential properties that are set, by name (values are never shown). */
    private static List<String> given(SfstreamProperties p) {
        List<String> names = new ArrayList<>();
        addIf(names, p.getClientId(), "client-id");
        addIf(names, p.getClientSecret(), "client-secret");
        addIf(names, p.getUsername(), "username");
        addIf(names, p.getPassword(), "password");
        addIf(names, p.getRefreshToken(), "refresh-token");
        addIf(names, p.getAccessToken(), "access-token");
        addIf(names, p.getJwtKeyFile() == null ? null : p.getJwtKeyFile().toString(), "jwt-key-file");
        return names;
    }

    private static void addIf(List<String> names, String value, String name) {
        if (blankToNull(value) != null) {
            names.add(PREFIX + name);
        }
    }

    private static LoginHost loginHost(String url) {
        try {
            return LoginHost.of(url);
        } catch (IllegalArgumentException e) {
            throw invalid("login-url", url, e.getMessage());
        }
    }

    private static String require(String value, String name, String why) {
        if (blankToNull(value) == null) {
            throw invalid(name, null, "missing: " + why);
        }
        return value;
    }

    /** An invalid property; {@code value} is shown, so it is never a secret's. */
    private static SfstreamPropertyException invalid(String name, Object value, String reason) {
        return new SfstreamPropertyException(PREFIX + name, value == null ? null : value.toString(), reason);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
