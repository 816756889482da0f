package dev.sfstream.cli;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The credential options every command that talks to an org shares, each with an environment variable:
 * {@code --emulator URL} uses the emulator's default credentials; otherwise the flow follows from what is given
 * (an access token, a JWT key, a refresh token, a username and password, or a client ID and secret alone).
 * Secret values are never printed.
 */
final class Credentials {
    @Option(names = "--emulator", paramLabel = "URL",
            description = "Use the emulator at URL with its default credentials (see `sfstream emulator`).")
    String emulator;

    @Option(names = "--login-url", paramLabel = "URL", description = "Login URL [env SF_LOGIN_URL; default "
            + "https://login.salesforce.com].")
    String loginUrl;

    @Option(names = "--sandbox", description = "Log in at https://test.salesforce.com.")
    boolean sandbox;

    @Option(names = "--client-id", paramLabel = "KEY", description = "Connected app consumer key [env SF_CLIENT_ID].")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "Consumer secret [env SF_CLIENT_SECRET].")
    String clientSecret;

    @Option(names = "--username", paramLabel = "USER", description = "Username [env SF_USERNAME].")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password, security token appended if "
            + "needed [env SF_PASSWORD].")
    String password;

    @Option(names = "--refresh-token", paramLabel = "TOKEN", description = "Refresh token [env SF_REFRESH_TOKEN].")
    String refreshToken;

    @Option(names = "--access-token", paramLabel = "TOKEN", description = "An existing access token, with "
            + "--instance-url [env SF_ACCESS_TOKEN].")
    String accessToken;

    @Option(names = "--instance-url", paramLabel = "URL", description = "Instance URL of --access-token "
            + "[env SF_INSTANCE_URL].")
    String instanceUrl;

    @Option(names = "--jwt-key-file", paramLabel = "FILE", description = "PKCS#8 PEM private key for the JWT bearer "
            + "flow, with --client-id and --username [env SF_JWT_KEY_FILE].")
    Path jwtKeyFile;

    /** The environment, replaceable in tests. */
    Map<String, String> env = System.getenv();

    private String pick(String flag, String variable) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : v;
    }

    /** Whether the credentials point at an emulator (so that emulator-only commands may run). */
    String emulatorUrl() {
        return emulator;
    }

    /**
     * The authenticator the options and environment describe.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    Authenticator authenticator() {
        if (emulator != null) {
            return PasswordAuthenticator.builder().loginUrl(emulator)
                    .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                    .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build();
        }
        String login = pick(loginUrl, "SF_LOGIN_URL");
        LoginHost host = sandbox ? LoginHost.SANDBOX : login != null ? LoginHost.of(login) : LoginHost.PRODUCTION;
        String token = pick(accessToken, "SF_ACCESS_TOKEN");
        String id = pick(clientId, "SF_CLIENT_ID");
        String secret = pick(clientSecret, "SF_CLIENT_SECRET");
        String user = pick(username, "SF_USERNAME");
        String pass = pick(password, "SF_PASSWORD");
        String refresh = pick(refreshToken, "SF_REFRESH_TOKEN");
        String keyFile = jwtKeyFile != null ? jwtKeyFile.toString() : pick(null, "SF_JWT_KEY_FILE");
        if (token != null) {
            String instance = pick(instanceUrl, "SF_INSTANCE_URL");
            if (instance == null) {
                throw new IllegalArgumentException("--access-token needs --instance-url (or SF_INSTANCE_URL)");
            }
            return StaticTokenAuthenticator.of(instance, token);
        }
        if (keyFile != null) {
            require(id, "--client-id (SF_CLIENT_ID) for the JWT bearer flow");
            require(user, "--username (SF_USERNAME) for the JWT bearer flow");
            return JwtBearerAuthenticator.builder().loginHost(host).consumerKey(id).username(user)
                    .privateKeyFile(Path.of(keyFile)).build();
        }
        if (refresh != null) {
            require(id, "--client-id (SF_CLIENT_ID) for the refresh token flow");
            return RefreshTokenAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .refreshToken(refresh).build();
        }
        if (user != null || pass != null) {
            require(id, "--client-id (SF_CLIENT_ID)");
            require(secret, "--client-secret (SF_CLIENT_SECRET)");
            require(user, "--username (SF_USERNAME)");
            require(pass, "--password (SF_PASSWORD)");
            return PasswordAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .username(user).password(pass).build();
        }
        if (id != null && secret != null) {
            return ClientCredentialsAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .build();
        }
        throw new IllegalArgumentException("no credentials: pass --emulator URL, or set SF_CLIENT_ID and "
                + "SF_CLIENT_SECRET with SF_USERNAME and SF_PASSWORD (or SF_REFRESH_TOKEN, or SF_JWT_KEY_FILE), or "
                + "SF_ACCESS_TOKEN with SF_INSTANCE_URL");
    }

    private static void require(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + what);
        }
    }
}
