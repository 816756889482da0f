package dev.sfstream.cli;

import dev.sfstream.AuthenticationException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.SfCliAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The credential options every command that talks to an org shares. Where the credentials come from, first match
 * wins:
 * <ol>
 *   <li>credential flags ({@code --emulator}, {@code --access-token}, {@code --jwt-key-file}, {@code --refresh-token},
 *       {@code --username}/{@code --password}, {@code --client-id}/{@code --client-secret}), each completed by its
 *       environment variable; with {@code --emulator URL} the emulator's default app and user fill in what the flags
 *       leave out, and no environment variable is read;</li>
 *   <li>an org of the Salesforce CLI: {@code --target-org ALIAS}, or {@code SF_TARGET_ORG} as {@code sf} reads it;</li>
 *   <li>the credentials in the environment ({@code SF_CLIENT_ID}, {@code SF_USERNAME}, ...).</li>
 * </ol>
 * The flow follows from what is given (an access token, a JWT key, a refresh token, a username and password, or a
 * client ID and secret alone). Secret values are never printed.
 */
final class Credentials {
    @Option(names = "--emulator", paramLabel = "URL",
            description = "Use the emulator at URL; its default app and user (see `sfstream emulator`) fill in "
                    + "what --client-id, --client-secret, --username and --password leave out.")
    String emulator;

    @Option(names = "--target-org", paramLabel = "ALIAS",
            description = "Use an org of the Salesforce CLI, by alias or username (`sf org login web --alias "
                    + "ALIAS`): the token and instance URL come from `sf org display`, asked again when the token "
                    + "expires [env SF_TARGET_ORG]. Credential flags win over it; it wins over the SF_* credential "
                    + "variables.")
    String targetOrg;

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

    /** The credential flags given on the command line, by name. */
    private List<String> credentialFlags() {
        List<String> given = new ArrayList<>();
        addIf(given, emulator, "--emulator");
        addIf(given, accessToken, "--access-token");
        addIf(given, instanceUrl, "--instance-url");
        addIf(given, jwtKeyFile == null ? null : jwtKeyFile.toString(), "--jwt-key-file");
        addIf(given, refreshToken, "--refresh-token");
        addIf(given, username, "--username");
        addIf(given, password, "--password");
        addIf(given, clientId, "--client-id");
        addIf(given, clientSecret, "--client-secret");
        return given;
    }

    private static void addIf(List<String> given, String value, String flag) {
        if (value != null && !value.isBlank()) {
            given.add(flag);
        }
    }

    /**
     * The authenticator the options and environment describe.
     *
     * @throws IllegalArgumentException naming what is missing or what does not go together
     */
    Authenticator authenticator() {
        List<String> flags = credentialFlags();
        if (targetOrg != null && !flags.isEmpty()) {
            throw new IllegalArgumentException("--target-org takes the credentials from the Salesforce CLI: give "
                    + "it without " + String.join(", ", flags));
        }
        if (emulator != null) {
            return emulatorAuthenticator();
        }
        String org = pick(targetOrg, "SF_TARGET_ORG");
        if (flags.isEmpty() && org != null) {
            if (loginUrl != null || sandbox) {
                String source = targetOrg != null ? "--target-org " : "SF_TARGET_ORG=";
                throw new IllegalArgumentException((loginUrl != null ? "--login-url" : "--sandbox") + " does not "
                        + "apply to an org of the Salesforce CLI (" + source + org + "): sf knows its instance"
                        + (targetOrg != null ? "" : "; unset SF_TARGET_ORG to log in with the SF_* credentials"));
            }
            return SfCliAuthenticator.builder().targetOrg(org).build();
        }
        return oauthAuthenticator();
    }

    private Authenticator oauthAuthenticator() {
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
        throw new IllegalArgumentException("no credentials: pass --emulator URL, or --target-org ALIAS for an org "
                + "of the Salesforce CLI (sf), or set SF_CLIENT_ID and SF_CLIENT_SECRET with SF_USERNAME and "
                + "SF_PASSWORD (or SF_REFRESH_TOKEN, or SF_JWT_KEY_FILE), or SF_ACCESS_TOKEN with SF_INSTANCE_URL");
    }

    /**
     * The emulator at {@code --emulator URL}: the flow follows from the flags as against an org (an app alone is the
     * client credentials flow), and the emulator's default connected app and user fill in what they leave out. The
     * environment is not read: its credentials belong to a real org.
     */
    private Authenticator emulatorAuthenticator() {
        if (loginUrl != null || sandbox) {
            throw new IllegalArgumentException("--emulator URL is the login URL: leave out "
                    + (loginUrl != null ? "--login-url" : "--sandbox"));
        }
        LoginHost host = LoginHost.of(emulator);
        if (accessToken != null) {
            return StaticTokenAuthenticator.of(instanceUrl != null ? instanceUrl : emulator, accessToken);
        }
        // The default secret belongs to the default app, and the default password to the default user.
        String id = clientId != null ? clientId : Emulator.DEFAULT_CLIENT_ID;
        String secret = clientSecret != null ? clientSecret : clientId == null ? Emulator.DEFAULT_CLIENT_SECRET : null;
        String user = username != null ? username : Emulator.DEFAULT_USERNAME;
        String pass = password != null ? password : username == null ? Emulator.DEFAULT_PASSWORD : null;
        Authenticator auth;
        boolean passwordFlow = false;
        if (jwtKeyFile != null) {
            auth = JwtBearerAuthenticator.builder().loginHost(host).consumerKey(id).username(user)
                    .privateKeyFile(jwtKeyFile).build();
        } else if (refreshToken != null) {
            auth = RefreshTokenAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .refreshToken(refreshToken).build();
        } else if (clientId != null && username == null && password == null) {
            require(secret, "--client-secret for --client-id " + id);
            auth = ClientCredentialsAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .build();
        } else {
            require(secret, "--client-secret for --client-id " + id);
            require(pass, "--password for --username " + user);
            auth = PasswordAuthenticator.builder().loginHost(host).consumerKey(id).consumerSecret(secret)
                    .username(user).password(pass).build();
            passwordFlow = true;
        }
        boolean defaultUser = username == null && password == null;
        return new EmulatorLogin(auth, emulator, passwordFlow, defaultUser, clientId == null);
    }

    private static void require(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + what);
        }
    }

    /**
     * An emulator's login that, when refused, says that an emulator started with a configuration file has its own
     * users and apps, and that the defaults used in their place can be replaced with flags.
     */
    private static final class EmulatorLogin implements Authenticator {
        private final Authenticator delegate;
        private final String url;
        private final boolean passwordFlow;
        private final boolean defaultUser;
        private final boolean defaultApp;

        EmulatorLogin(Authenticator delegate, String url, boolean passwordFlow, boolean defaultUser,
                boolean defaultApp) {
            this.delegate = delegate;
            this.url = url;
            this.passwordFlow = passwordFlow;
            this.defaultUser = defaultUser;
            this.defaultApp = defaultApp;
        }

        @Override
        public AccessToken token() {
            try {
                return delegate.token();
            } catch (AuthenticationException e) {
                throw withHint(e);
            }
        }

        @Override
        public AccessToken renew(AccessToken rejected) {
            try {
                return delegate.renew(rejected);
            } catch (AuthenticationException e) {
                throw withHint(e);
            }
        }

        private AuthenticationException withHint(AuthenticationException e) {
            String hint;
            if ("invalid_grant".equals(e.error()) && passwordFlow && defaultUser) {
                hint = "the emulator at " + url + " has no user " + Emulator.DEFAULT_USERNAME + " with the default "
                        + "password: an emulator started with --config has its own users; give one with --username "
                        + "and --password";
            } else if ("invalid_grant".equals(e.error()) && passwordFlow) {
                hint = "check --username and --password against the users the emulator at " + url + " printed when "
                        + "it started";
            } else if (e.error() != null && e.error().startsWith("invalid_client") && defaultApp) {
                hint = "the emulator at " + url + " does not know the default connected app "
                        + Emulator.DEFAULT_CLIENT_ID + ": give its app with --client-id and --client-secret";
            } else if (e.error() != null && e.error().startsWith("invalid_client")) {
                hint = "check --client-id and --client-secret against the apps the emulator at " + url + " printed "
                        + "when it started";
            } else {
                return e;
            }
            return new AuthenticationException(e.error(), e.errorDescription(), e.httpStatus(), e.getMessage() + "; "
                    + hint);
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
