package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sfstream.StreamingClient;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.cli.Main;
import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import dev.sfstream.redis.RedisReplayStore;
import dev.sfstream.rest.SalesforceRest;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure path run with known secret values; then logs (everything sfstream logged in this JVM, at debug),
 * exception messages, {@code toString()} of every configuration object and the CLI's output are scanned: no
 * secret may appear anywhere.
 */
class SecretsTest {
    private static final String PASSWORD = "Pa55word-Zebra-71";
    private static final String SECURITY_TOKEN = "SecTok-Quartz-29";
    private static final String CLIENT_SECRET = "ClientSecret-Otter-88";
    private static final String REFRESH_TOKEN = "RefreshTok-Walrus-45";
    private static final String STATIC_TOKEN = "00Dfake!StaticTok-Heron-12";
    private static final String REDIS_PASSWORD = "RedisPass-Badger-33";

    private final List<String> seen = new ArrayList<>();

    private void capture(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            seen.add(trace.toString());
        }
    }

    @Test
    void noSecretAppearsInLogsExceptionsToStringsOrCliOutput(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair appKey = generator.generateKeyPair();
        KeyPair otherKey = generator.generateKeyPair();
        String jwtKeyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                otherKey.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String jwtKeyBody = Base64.getEncoder().encodeToString(otherKey.getPrivate().getEncoded()).substring(40, 80);
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, jwtKeyPem);
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, SECURITY_TOKEN, CLIENT_SECRET, REFRESH_TOKEN,
                STATIC_TOKEN, REDIS_PASSWORD, jwtKeyBody));

        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(2))
                .user(new EmulatorUser("ci@acme.test", PASSWORD, SECURITY_TOKEN, "Ci", "User"))
                .connectedApp(new ConnectedApp("ci-app", CLIENT_SECRET, appKey.getPublic(), "ci@acme.test"))
                .build().start()) {
            String url = emulator.url();
            PasswordAuthenticator good = PasswordAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                    .consumerSecret(CLIENT_SECRET).username("ci@acme.test").password(PASSWORD)
                    .securityToken(SECURITY_TOKEN).build();
            AccessToken token = good.token();
            secrets.add(token.token());

            List<Object> configs = new ArrayList<>(List.of(good, token,
                    PasswordAuthenticator.builder().consumerSecret(CLIENT_SECRET).password(PASSWORD),
                    RefreshTokenAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                            .consumerSecret(CLIENT_SECRET).refreshToken(REFRESH_TOKEN).build(),
                    ClientCredentialsAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                            .consumerSecret(CLIENT_SECRET).build(),
                    JwtBearerAuthenticator.builder().loginUrl(url).consumerKey("ci-app").username("ci@acme.test")
                            .privateKeyPem(jwtKeyPem).build(),
                    StaticTokenAuthenticator.of(url, STATIC_TOKEN),
                    new EmulatorUser("ci@acme.test", PASSWORD, SECURITY_TOKEN, "", ""),
                    new ConnectedApp("ci-app", CLIENT_SECRET, null, null),
                    RedisReplayStore.builder(URI.create("redis://user:" + REDIS_PASSWORD + "@127.0.0.1:1"))));
            StreamingClient.Builder clientBuilder = StreamingClient.builder().authenticator(good);
            configs.add(clientBuilder);
            StreamingClient client = clientBuilder.build();
            configs.add(client);
            configs.add(SalesforceRest.builder().authenticator(good).build());
            configs.forEach(c -> seen.add(String.valueOf(c)));

            // Failure paths, each with its secrets.
            capture(() -> RedisReplayStore.builder(URI.create("redis://user:" + REDIS_PASSWORD + "@127.0.0.1:1"))
                    .build());
            capture(() -> PasswordAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                    .consumerSecret(CLIENT_SECRET).username("ci@acme.test").password(PASSWORD).build().token());
            capture(() -> PasswordAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                    .consumerSecret("wrong").username("ci@acme.test").password(PASSWORD)
                    .securityToken(SECURITY_TOKEN).build().token());
            capture(() -> RefreshTokenAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                    .consumerSecret(CLIENT_SECRET).refreshToken(REFRESH_TOKEN).build().token());
            capture(() -> JwtBearerAuthenticator.builder().loginUrl(url).consumerKey("ci-app")
                    .username("ci@acme.test").privateKeyFile(keyFile).build().token());
            Authenticator stale = StaticTokenAuthenticator.of(url, STATIC_TOKEN);
            capture(() -> StreamingClient.builder().authenticator(stale).build().open());
            capture(() -> stale.renew(stale.token()));
            capture(() -> SalesforceRest.builder().authenticator(stale).build().query("SELECT Id FROM Lead"));
            capture(() -> {
                client.open();
                emulator.revokeTokens();
                client.subscribe("/topic/DoesNotExist");
            });
            client.close();

            // The CLI, with secrets in flags and in the environment, verbose and not.
            for (boolean verbose : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("topic", "list", "--login-url", url, "--client-id",
                        "ci-app", "--client-secret", CLIENT_SECRET, "--username", "ci@acme.test", "--password",
                        PASSWORD + "x"));
                if (verbose) {
                    args.add("--verbose");
                }
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                picocli.CommandLine cmd = Main.commandLine();
                cmd.setOut(new PrintWriter(out));
                cmd.setErr(new PrintWriter(err));
                assertThat(cmd.execute(args.toArray(new String[0]))).isEqualTo(3);
                seen.add(out.toString());
                seen.add(err.toString());
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "listen", "/topic/X", "--count", "1", "--verbose")
                    .redirectErrorStream(true);
            pb.environment().put("SF_LOGIN_URL", url);
            pb.environment().put("SF_CLIENT_ID", "ci-app");
            pb.environment().put("SF_CLIENT_SECRET", CLIENT_SECRET);
            pb.environment().put("SF_USERNAME", "ci@acme.test");
            pb.environment().put("SF_PASSWORD", PASSWORD);
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            seen.add(new String(p.getInputStream().readAllBytes()));
        }
        Path logs = Path.of("target", "reliability-logs.txt");
        if (Files.exists(logs)) {
            seen.add(Files.readString(logs));
        }
        assertThat(seen).as("captured texts").hasSizeGreaterThan(15);
        for (String text : seen) {
            for (String secret : secrets) {
                assertThat(text).as("a secret in: %s", text.length() > 300 ? text.substring(0, 300) + "..." : text)
                        .doesNotContain(secret);
            }
        }
    }

    @Test
    void tlsCertificatesAreCheckedAndASelfSignedServerIsRefused(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize",
                "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype",
                "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes());
            exchange.close();
        });
        server.start();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            assertThatThrownBy(() -> PasswordAuthenticator.builder().loginUrl(url).consumerKey("k")
                    .consumerSecret(CLIENT_SECRET).username("u").password(PASSWORD).build().token())
                    .isInstanceOf(TransportException.class).hasMessageContaining("SSLHandshakeException")
                    .hasMessageNotContaining(PASSWORD).hasMessageNotContaining(CLIENT_SECRET);
        } finally {
            server.stop(0);
        }
    }
}
