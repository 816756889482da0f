package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /services/oauth2/token}: the password, refresh token, client credentials and JWT bearer grants, with
 * Salesforce's success body and the {@code error}/{@code error_description} pairs of its OAuth flow errors.
 */
class OAuthTest {
    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String JWT_APP = "jwt-app";
    private static final String NO_RUN_AS_APP = "plain-app";

    static Emulator emulator;
    static KeyPair appKey;
    static KeyPair otherKey;
    static RawHttp raw;

    @BeforeAll
    static void start() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        appKey = generator.generateKeyPair();
        otherKey = generator.generateKeyPair();
        emulator = Emulator.builder().quiet(true)
                .connectedApp(new ConnectedApp(JWT_APP, "jwt-secret", appKey.getPublic(), null))
                .connectedApp(ConnectedApp.of(NO_RUN_AS_APP, "plain-secret"))
                .build().start();
        raw = new RawHttp(emulator.url());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static Map<String, String> password(String clientId, String secret, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        form.put("username", username);
        form.put("password", password);
        return form;
    }

    private static void assertError(JsonNode answer, String error, String description) {
        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("body")).isEqualTo(RawHttp.JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    /** A token body as Salesforce's, whose token opens the REST API as {@code username}. */
    private static void assertIssued(JsonNode answer, String username) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        JsonNode body = answer.path("body");
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("instance_url").asText()).isEqualTo(emulator.url());
        assertThat(body.path("id").asText()).isEqualTo(emulator.url() + "/id/" + emulator.orgId() + "/"
                + emulator.userId(username));
        assertThat(body.path("issued_at").asText()).matches("\\d{13}");
        assertThat(body.path("signature").asText()).isNotEmpty();
        String token = body.path("access_token").asText();
        assertThat(token).startsWith(emulator.orgId().substring(0, 15) + "!");
        JsonNode limits = raw.rest("GET", "/services/data/v64.0/limits", null, "Bearer " + token);
        assertThat(limits.path("status").asInt()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- password

    @Test
    void passwordGrantIssuesAnAccessTokenWithoutARefreshToken() {
        JsonNode answer = raw.token(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD));
        assertIssued(answer, Emulator.DEFAULT_USERNAME);
        assertThat(answer.path("body").has("refresh_token")).isFalse();
    }

    @Test
    void passwordGrantWithAWrongPasswordIsAnAuthenticationFailure() {
        assertError(raw.token(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, "wrong")), "invalid_grant", "authentication failure");
    }

    @Test
    void passwordGrantForAnUnknownUserIsAnAuthenticationFailure() {
        assertError(raw.token(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                "nobody@example.com", Emulator.DEFAULT_PASSWORD)), "invalid_grant", "authentication failure");
    }

    @Test
    void passwordGrantWithAnUnknownClientIdIsAnInvalidClientIdentifier() {
        assertError(raw.token(password("no-such-app", Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD)), "invalid_client_id",
                "client identifier invalid");
    }

    @Test
    void passwordGrantWithAWrongSecretIsInvalidClientCredentials() {
        assertError(raw.token(password(Emulator.DEFAULT_CLIENT_ID, "wrong-secret",
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD)), "invalid_client",
                "invalid client credentials");
    }

    @Test
    void unknownGrantTypeIsUnsupported() {
        assertError(raw.token(Map.of("grant_type", "authorization_code", "code", "x",
                "client_id", Emulator.DEFAULT_CLIENT_ID)), "unsupported_grant_type", "grant type not supported");
    }

    @Test
    void jsonBodyIsRefusedAsAnUnsupportedGrantType() {
        HttpResponse<String> r = raw.post("/services/oauth2/token", "application/json",
                RawHttp.write(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                        Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD)), null);
        assertError(RawHttp.JSON.createObjectNode().put("status", r.statusCode()).set("body", RawHttp.parse(r.body())),
                "unsupported_grant_type", "grant type not supported");
    }

    // ---------------------------------------------------------------- refresh token

    @Test
    void refreshTokenIssuedThroughTheJavaApiGrantsAnAccessToken() {
        String refreshToken = emulator.issueRefreshToken(Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_CLIENT_ID);
        assertIssued(raw.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", Emulator.DEFAULT_CLIENT_ID)), Emulator.DEFAULT_USERNAME);
    }

    @Test
    void refreshTokenIssuedOverHttpGrantsAnAccessTokenWithTheClientSecretToo() {
        HttpResponse<String> issued = raw.post("/emulator/refresh-token?username=" + Emulator.DEFAULT_USERNAME
                + "&client_id=" + Emulator.DEFAULT_CLIENT_ID, "application/json", "", null);
        assertThat(issued.statusCode()).isEqualTo(200);
        String refreshToken = RawHttp.parse(issued.body()).path("refresh_token").asText();
        assertThat(refreshToken).isNotEmpty();

        assertIssued(raw.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", Emulator.DEFAULT_CLIENT_ID, "client_secret", Emulator.DEFAULT_CLIENT_SECRET)),
                Emulator.DEFAULT_USERNAME);
    }

    @Test
    void unknownRefreshTokenIsAnExpiredToken() {
        assertError(raw.token(Map.of("grant_type", "refresh_token", "refresh_token", "5Aep861nope",
                "client_id", Emulator.DEFAULT_CLIENT_ID)), "invalid_grant", "expired access/refresh token");
    }

    @Test
    void refreshTokenOfAnotherAppIsAnExpiredToken() {
        String refreshToken = emulator.issueRefreshToken(Emulator.DEFAULT_USERNAME, NO_RUN_AS_APP);
        assertError(raw.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", Emulator.DEFAULT_CLIENT_ID)), "invalid_grant", "expired access/refresh token");
    }

    @Test
    void refreshTokenWithAWrongSecretIsInvalidClientCredentials() {
        String refreshToken = emulator.issueRefreshToken(Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_CLIENT_ID);
        assertError(raw.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", Emulator.DEFAULT_CLIENT_ID, "client_secret", "wrong")),
                "invalid_client", "invalid client credentials");
    }

    // ---------------------------------------------------------------- client credentials

    @Test
    void clientCredentialsGrantRunsAsTheAppsUser() {
        assertIssued(raw.token(Map.of("grant_type", "client_credentials", "client_id", Emulator.DEFAULT_CLIENT_ID,
                "client_secret", Emulator.DEFAULT_CLIENT_SECRET)), Emulator.DEFAULT_USERNAME);
    }

    @Test
    void clientCredentialsGrantForAnAppWithoutARunAsUserIsRefused() {
        assertError(raw.token(Map.of("grant_type", "client_credentials", "client_id", NO_RUN_AS_APP,
                "client_secret", "plain-secret")), "invalid_grant", "no client credentials user enabled");
    }

    @Test
    void clientCredentialsGrantWithAWrongSecretIsInvalidClientCredentials() {
        assertError(raw.token(Map.of("grant_type", "client_credentials", "client_id", Emulator.DEFAULT_CLIENT_ID,
                "client_secret", "wrong")), "invalid_client", "invalid client credentials");
    }

    // ---------------------------------------------------------------- JWT bearer

    private static String jwt(PrivateKey key, String issuer, String subject, String audience, Instant expiry)
            throws GeneralSecurityException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("exp", expiry.getEpochSecond());
        String payload = b64.encodeToString(RawHttp.write(claims).getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(signature.sign());
    }

    private static JsonNode jwtGrant(String assertion) {
        return raw.token(Map.of("grant_type", JWT_GRANT, "assertion", assertion));
    }

    private static Instant inFiveMinutes() {
        return Instant.now().plus(Duration.ofMinutes(5));
    }

    @Test
    void jwtBearerGrantWithASignedAssertionIssuesATokenForItsSubject() throws GeneralSecurityException {
        assertIssued(jwtGrant(jwt(appKey.getPrivate(), JWT_APP, Emulator.DEFAULT_USERNAME, emulator.url(),
                inFiveMinutes())), Emulator.DEFAULT_USERNAME);
        assertIssued(jwtGrant(jwt(appKey.getPrivate(), JWT_APP, Emulator.DEFAULT_USERNAME,
                "https://login.salesforce.com", inFiveMinutes())), Emulator.DEFAULT_USERNAME);
    }

    @Test
    void jwtBearerGrantSignedWithAnotherKeyIsAnInvalidAssertion() throws GeneralSecurityException {
        assertError(jwtGrant(jwt(otherKey.getPrivate(), JWT_APP, Emulator.DEFAULT_USERNAME, emulator.url(),
                inFiveMinutes())), "invalid_grant", "invalid assertion");
    }

    @Test
    void jwtBearerGrantForAnotherAudienceIsRefused() throws GeneralSecurityException {
        assertError(jwtGrant(jwt(appKey.getPrivate(), JWT_APP, Emulator.DEFAULT_USERNAME,
                "https://example.com", inFiveMinutes())), "invalid_grant", "audience is invalid");
    }

    @Test
    void jwtBearerGrantWithAnExpiredAssertionIsRefused() throws GeneralSecurityException {
        assertError(jwtGrant(jwt(appKey.getPrivate(), JWT_APP, Emulator.DEFAULT_USERNAME, emulator.url(),
                Instant.now().minus(Duration.ofMinutes(1)))), "invalid_grant", "expired authorization code");
    }

    @Test
    void jwtBearerGrantFromAnUnknownIssuerIsAnInvalidClientIdentifier() throws GeneralSecurityException {
        assertError(jwtGrant(jwt(appKey.getPrivate(), "no-such-app", Emulator.DEFAULT_USERNAME, emulator.url(),
                inFiveMinutes())), "invalid_client_id", "client identifier invalid");
    }

    @Test
    void jwtBearerGrantThatIsNotAJwtIsAnInvalidAssertion() {
        assertError(jwtGrant("not-a-jwt"), "invalid_grant", "invalid assertion");
    }

    // ---------------------------------------------------------------- query string, userinfo, revoke

    @Test
    void passwordGrantWithItsParametersInTheQueryStringIssuesAToken() {
        // The seed walk-through posts an empty body to /services/oauth2/token?grant_type=password&...
        String query = RawHttp.form(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD));
        HttpResponse<String> r = raw.post("/services/oauth2/token?" + query, "application/x-www-form-urlencoded", "",
                null);
        assertIssued(RawHttp.JSON.createObjectNode().put("status", r.statusCode()).set("body", RawHttp.parse(r.body())),
                Emulator.DEFAULT_USERNAME);
    }

    @Test
    void userinfoDescribesTheUserTheTokenWasIssuedTo() {
        String token = raw.token(password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD)).path("body").path("access_token").asText();

        HttpResponse<String> r = raw.get("/services/oauth2/userinfo", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode info = RawHttp.parse(r.body());
        assertThat(info.path("user_id").asText()).isEqualTo(emulator.userId(Emulator.DEFAULT_USERNAME));
        assertThat(info.path("organization_id").asText()).isEqualTo(emulator.orgId());
        assertThat(info.path("preferred_username").asText()).isEqualTo(Emulator.DEFAULT_USERNAME);
        assertThat(raw.get("/services/oauth2/userinfo", "Bearer not-a-token").statusCode()).isEqualTo(403);
    }

    @Test
    void revokedAccessTokenNoLongerOpensTheRestApiWhileOtherTokensDo() {
        Map<String, String> login = password(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET,
                Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD);
        String revoked = raw.token(login).path("body").path("access_token").asText();
        String kept = raw.token(login).path("body").path("access_token").asText();
        assertThat(revoked).isNotEqualTo(kept);

        HttpResponse<String> r = raw.post("/services/oauth2/revoke", "application/x-www-form-urlencoded",
                RawHttp.form(Map.of("token", revoked)), null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(raw.rest("GET", "/services/data/v64.0/limits", null, "Bearer " + revoked).path("status").asInt())
                .isEqualTo(401);
        assertThat(raw.rest("GET", "/services/data/v64.0/limits", null, "Bearer " + kept).path("status").asInt())
                .isEqualTo(200);
        HttpResponse<String> again = raw.post("/services/oauth2/revoke", "application/x-www-form-urlencoded",
                RawHttp.form(Map.of("token", revoked)), null);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(RawHttp.parse(again.body()).path("error").asText()).isEqualTo("unsupported_token_type");
    }

    // ---------------------------------------------------------------- token lifetime

    @Test
    void accessTokenStopsWorkingWhenTheOrgClockPassesItsLifetime() {
        Emulator shortLived = Emulator.builder().quiet(true).tokenLifetime(Duration.ofMinutes(30)).build().start();
        try {
            RawHttp client = new RawHttp(shortLived.url());
            client.login();
            assertThat(client.rest("GET", "/services/data/v64.0/limits", null).path("status").asInt())
                    .isEqualTo(200);

            shortLived.advanceClock(Duration.ofMinutes(31));

            JsonNode expired = client.rest("GET", "/services/data/v64.0/limits", null);
            assertThat(expired.path("status").asInt()).isEqualTo(401);
            assertThat(expired.path("body").get(0).path("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        } finally {
            shortLived.close();
        }
    }
}
