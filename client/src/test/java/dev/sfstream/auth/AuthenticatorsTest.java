package dev.sfstream.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.AuthenticationException;
import dev.sfstream.TransportException;
import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {
    static Emulator emulator;
    static KeyPair keys;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        emulator = Emulator.builder().quiet(true)
                .user(new EmulatorUser("dev@sfstream.local", "sfstream", "TOKEN123", "Dev", "User"))
                .connectedApp(new ConnectedApp("jwt-app", "jwt-secret", keys.getPublic(), null))
                .build().start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static PasswordAuthenticator.Builder password() {
        return PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username("dev@sfstream.local").password("sfstream");
    }

    @Test
    void passwordFlowWithSecurityTokenReadsUserAndOrgFromTheIdentityUrl() {
        AccessToken token = password().securityToken("TOKEN123").build().token();
        assertThat(token.instanceUrl().toString()).isEqualTo(emulator.url());
        assertThat(token.userId()).isEqualTo(emulator.userId("dev@sfstream.local"));
        assertThat(token.orgId()).isEqualTo(emulator.orgId());
        assertThat(token.authorizationHeader()).startsWith("Bearer ");
        assertThat(token.toString()).doesNotContain(token.token());
    }

    @Test
    void passwordFlowWithoutTheRequiredSecurityTokenIsRefused() {
        assertThatThrownBy(() -> password().build().token())
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.errorDescription()).isEqualTo("authentication failure");
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void wrongConsumerSecretIsInvalidClientAndTheSecretIsNotInTheMessage() {
        assertThatThrownBy(() -> password().securityToken("TOKEN123").consumerSecret("not-the-secret-42").build()
                .token()).isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client");
                    assertThat(e.getMessage()).doesNotContain("not-the-secret-42");
                });
    }

    @Test
    void refreshTokenFlow() {
        String refresh = emulator.issueRefreshToken("dev@sfstream.local", Emulator.DEFAULT_CLIENT_ID);
        RefreshTokenAuthenticator auth = RefreshTokenAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).refreshToken(refresh).build();
        assertThat(auth.token().userId()).isEqualTo(emulator.userId("dev@sfstream.local"));
        assertThat(auth.toString()).doesNotContain(refresh);
        RefreshTokenAuthenticator bad = RefreshTokenAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).refreshToken("bogus").build();
        assertThatThrownBy(bad::token).isInstanceOfSatisfying(AuthenticationException.class,
                e -> assertThat(e.errorDescription()).isEqualTo("expired access/refresh token"));
    }

    @Test
    void clientCredentialsFlowRunsAsTheAppsUser() {
        AccessToken token = ClientCredentialsAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).build()
                .token();
        assertThat(token.userId()).isEqualTo(emulator.userId("dev@sfstream.local"));
    }

    @Test
    void jwtBearerFlowSignsWithThePkcs8Key() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        JwtBearerAuthenticator auth = JwtBearerAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey("jwt-app").username("dev@sfstream.local").privateKeyPem(pem).build();
        assertThat(auth.token().userId()).isEqualTo(emulator.userId("dev@sfstream.local"));
        assertThat(auth.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void jwtBearerWithAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        JwtBearerAuthenticator auth = JwtBearerAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey("jwt-app").username("dev@sfstream.local")
                .privateKey(generator.generateKeyPair().getPrivate()).build();
        assertThatThrownBy(auth::token).isInstanceOfSatisfying(AuthenticationException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    @Test
    void pkcs1KeysAreRefusedWithHowToConvert() {
        assertThatThrownBy(() -> JwtBearerAuthenticator.readPrivateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl pkcs8");
    }

    @Test
    void staticTokenCannotBeRenewed() {
        StaticTokenAuthenticator auth = StaticTokenAuthenticator.of(emulator.url(), "00Dxx!abc");
        assertThat(auth.token().token()).isEqualTo("00Dxx!abc");
        assertThatThrownBy(() -> auth.renew(auth.token())).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("cannot be renewed").hasMessageNotContaining("00Dxx!abc");
    }

    @Test
    void renewalIsSingleFlight() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CachingAuthenticator counting = new CachingAuthenticator() {
            @Override
            protected AccessToken requestToken() {
                requests.incrementAndGet();
                inside.countDown();
                return password().securityToken("TOKEN123").build().token();
            }
        };
        AccessToken first = counting.token();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> counting.renew(first)));
            }
            List<AccessToken> tokens = new ArrayList<>();
            for (Future<AccessToken> f : results) {
                tokens.add(f.get());
            }
            assertThat(tokens).allMatch(t -> t == tokens.get(0)).doesNotContain(first);
            assertThat(requests.get()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void plainHttpIsOnlyForLoopbackHostsUnlessAllowedByName() {
        assertThatThrownBy(() -> LoginHost.of("http://login.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address");
        assertThat(LoginHost.of("http://127.0.0.1:8080").url().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(LoginHost.of("http://localhost:8080/").url().toString()).isEqualTo("http://localhost:8080");
        assertThat(LoginHost.of("https://acme.my.salesforce.com").tokenEndpoint().toString())
                .isEqualTo("https://acme.my.salesforce.com/services/oauth2/token");
        assertThat(LoginHost.myDomain("acme").url().toString()).isEqualTo("https://acme.my.salesforce.com");
        assertThatThrownBy(() -> LoginHost.of("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginHost.of("not a url")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreachableLoginHostIsATransportExceptionThatNamesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertThatThrownBy(() -> PasswordAuthenticator.builder().loginUrl(url).consumerKey("k").consumerSecret("s")
                .username("u").password("p").build().token())
                .isInstanceOf(TransportException.class).hasMessageContaining(url).hasMessageNotContaining("=p");
    }

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> PasswordAuthenticator.builder().consumerKey("k").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("consumerSecret is required");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "https://login.salesforce.com, https://login.salesforce.com",
        "https://acme.my.salesforce.com, https://login.salesforce.com",
        "https://test.salesforce.com, https://test.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com, https://test.salesforce.com",
        "https://acme.force.com/customers, https://acme.force.com/customers"})
    void theJwtAudienceIsTheOneSalesforceAcceptsForTheLoginHost(String loginUrl, String audience) {
        assertThat(JwtBearerAuthenticator.defaultAudience(java.net.URI.create(loginUrl))).isEqualTo(audience);
    }
}
