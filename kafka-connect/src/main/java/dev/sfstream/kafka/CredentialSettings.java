package dev.sfstream.kafka;

import static dev.sfstream.kafka.StreamingSourceConfig.ACCESS_TOKEN;
import static dev.sfstream.kafka.StreamingSourceConfig.CLIENT_ID;
import static dev.sfstream.kafka.StreamingSourceConfig.CLIENT_SECRET;
import static dev.sfstream.kafka.StreamingSourceConfig.INSTANCE_URL;
import static dev.sfstream.kafka.StreamingSourceConfig.JWT_KEY_FILE;
import static dev.sfstream.kafka.StreamingSourceConfig.LOGIN_URL;
import static dev.sfstream.kafka.StreamingSourceConfig.PASSWORD;
import static dev.sfstream.kafka.StreamingSourceConfig.REFRESH_TOKEN;
import static dev.sfstream.kafka.StreamingSourceConfig.USERNAME;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import java.nio.file.Path;
import java.util.Map;

/**
 * The credential settings and the one rule that turns them into an {@link Authenticator}; the flow follows from
 * what is set, as with the command line's options: an access token (with the instance URL), else a JWT key file
 * (with client ID and username), else a refresh token (with client ID, secret optional), else a username or password
 * (with client ID, secret, username and password), else a client ID and secret alone (client credentials).
 * Building the authenticator asks nothing of Salesforce; it reads the JWT key file.
 *
 * <p>{@link #toString()} shows no secret. Immutable.
 */
record CredentialSettings(String loginUrl, String clientId, String clientSecret, String username, String password,
        String refreshToken, String jwtKeyFile, String accessToken, String instanceUrl) {
    CredentialSettings {
        loginUrl = blankToNull(loginUrl);
        clientId = blankToNull(clientId);
        clientSecret = blankToNull(clientSecret);
        username = blankToNull(username);
        password = blankToNull(password);
        refreshToken = blankToNull(refreshToken);
        jwtKeyFile = blankToNull(jwtKeyFile);
        accessToken = blankToNull(accessToken);
        instanceUrl = blankToNull(instanceUrl);
    }

    /** The credential settings of a raw configuration, as given to the connector (unset settings are null). */
    static CredentialSettings of(Map<String, String> props) {
        return new CredentialSettings(props.get(LOGIN_URL), props.get(CLIENT_ID), props.get(CLIENT_SECRET),
                props.get(USERNAME), props.get(PASSWORD), props.get(REFRESH_TOKEN), props.get(JWT_KEY_FILE),
                props.get(ACCESS_TOKEN), props.get(INSTANCE_URL));
    }

    /**
     * The authenticator these settings describe.
     *
     * @throws SettingException naming the setting that is missing or wrong, without its value
     */
    Authenticator authenticator() {
        if (accessToken != null) {
            require(instanceUrl, INSTANCE_URL, "an access token (" + ACCESS_TOKEN + ") needs its instance URL");
            try {
                return StaticTokenAuthenticator.of(instanceUrl, accessToken);
            } catch (IllegalArgumentException e) {
                throw new SettingException(INSTANCE_URL, e.getMessage());
            }
        }
        LoginHost host = loginHost();
        if (jwtKeyFile != null) {
            require(clientId, CLIENT_ID, "the JWT bearer flow (" + JWT_KEY_FILE + ") needs the connected app's "
                    + "consumer key");
            require(username, USERNAME, "the JWT bearer flow (" + JWT_KEY_FILE + ") needs the username");
            JwtBearerAuthenticator.Builder jwt = JwtBearerAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .username(username);
            try {
                jwt.privateKeyFile(Path.of(jwtKeyFile));
            } catch (IllegalArgumentException e) {
                throw new SettingException(JWT_KEY_FILE, e.getMessage());
            }
            return jwt.build();
        }
        if (refreshToken != null) {
            require(clientId, CLIENT_ID, "the refresh token flow (" + REFRESH_TOKEN + ") needs the connected app's "
                    + "consumer key");
            return RefreshTokenAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .consumerSecret(clientSecret).refreshToken(refreshToken).build();
        }
        if (username != null || password != null) {
            require(clientId, CLIENT_ID, "the username-password flow needs the connected app's consumer key");
            require(clientSecret, CLIENT_SECRET, "the username-password flow needs the connected app's consumer "
                    + "secret");
            require(username, USERNAME, "the username-password flow needs the username (" + PASSWORD + " is set)");
            require(password, PASSWORD, "the username-password flow needs the password (" + USERNAME + " is set)");
            return PasswordAuthenticator.builder().loginHost(host).consumerKey(clientId).consumerSecret(clientSecret)
                    .username(username).password(password).build();
        }
        if (clientId != null && clientSecret != null) {
            return ClientCredentialsAuthenticator.builder().loginHost(host).consumerKey(clientId)
                    .consumerSecret(clientSecret).build();
        }
        if (clientId != null) {
            throw new SettingException(CLIENT_SECRET, "missing: with " + CLIENT_ID + " alone, set " + CLIENT_SECRET
                    + " (client credentials flow), or add " + USERNAME + " and " + PASSWORD + ", "
                    + REFRESH_TOKEN + " or " + JWT_KEY_FILE);
        }
        throw new SettingException(CLIENT_ID, "no credentials: set " + CLIENT_ID + " with " + CLIENT_SECRET + ", "
                + USERNAME + " and " + PASSWORD + " (or " + REFRESH_TOKEN + ", or " + JWT_KEY_FILE + "), or "
                + ACCESS_TOKEN + " with " + INSTANCE_URL);
    }

    private LoginHost loginHost() {
        if (loginUrl == null) {
            return LoginHost.PRODUCTION;
        }
        try {
            return LoginHost.of(loginUrl);
        } catch (IllegalArgumentException e) {
            throw new SettingException(LOGIN_URL, e.getMessage());
        }
    }

    private static void require(String value, String key, String why) {
        if (value == null) {
            throw new SettingException(key, "missing: " + why);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "CredentialSettings[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret="
                + hidden(clientSecret) + ", username=" + username + ", password=" + hidden(password)
                + ", refreshToken=" + hidden(refreshToken) + ", jwtKeyFile=" + jwtKeyFile + ", accessToken="
                + hidden(accessToken) + ", instanceUrl=" + instanceUrl + "]";
    }

    private static String hidden(String secret) {
        return secret == null ? null : "[hidden]";
    }
}
