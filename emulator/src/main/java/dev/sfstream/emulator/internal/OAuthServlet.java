package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.EmulatorUser;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code /services/oauth2/token}, {@code /userinfo} and {@code /revoke}: the password, refresh token, client
 * credentials and JWT bearer grants, with Salesforce's success body and the {@code error}/{@code error_description}
 * pairs of its OAuth flow errors page ({@code invalid_grant}/{@code authentication failure} for a bad user or
 * password, {@code invalid_client_id}, {@code invalid_client}, {@code unsupported_grant_type}, {@code invalid_grant}/
 * {@code expired access/refresh token}). Parameters are read from a form body or the query string; a JSON body is
 * refused as Salesforce does. The URLs in a token body follow {@link InstanceUrl}.
 */
final class OAuthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final transient EmulatedOrg org;
    private final transient InstanceUrl instanceUrl;

    OAuthServlet(EmulatedOrg org, InstanceUrl instanceUrl) {
        this.org = org;
        this.instanceUrl = instanceUrl;
    }

    private static final class OAuthError extends Exception {
        private static final long serialVersionUID = 1L;
        final String error;
        final String description;

        OAuthError(String error, String description) {
            super(error + ": " + description, null, false, false);
            this.error = error;
            this.description = description;
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/token" -> token(request, response);
            case "/revoke" -> revoke(request, response);
            default -> Json.errors(response, 404, List.of(ApiError.of("NOT_FOUND",
                    "The requested resource does not exist")));
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals("/userinfo")) {
            userInfo(request, response);
        } else if (path.equals("/revoke")) {
            revoke(request, response);
        } else {
            Json.errors(response, 404, List.of(ApiError.of("NOT_FOUND", "The requested resource does not exist")));
        }
    }

    private void token(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String contentType = request.getContentType();
            if (contentType != null && contentType.toLowerCase().startsWith("application/json")) {
                throw new OAuthError("unsupported_grant_type", "grant type not supported");
            }
            String grantType = request.getParameter("grant_type");
            TokenStore.Issued issued;
            if ("password".equals(grantType)) {
                issued = password(request);
            } else if ("refresh_token".equals(grantType)) {
                issued = refresh(request);
            } else if ("client_credentials".equals(grantType)) {
                issued = clientCredentials(request);
            } else if (JWT_BEARER.equals(grantType)) {
                issued = jwtBearer(request);
            } else {
                throw new OAuthError("unsupported_grant_type", "grant type not supported");
            }
            Json.write(response, 200, tokenBody(issued, request));
        } catch (OAuthError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.error);
            body.put("error_description", e.description);
            Json.write(response, 400, body);
        }
    }

    private ConnectedApp app(String clientId, String clientSecret, boolean secretRequired) throws OAuthError {
        ConnectedApp app = org.app(clientId)
                .orElseThrow(() -> new OAuthError("invalid_client_id", "client identifier invalid"));
        if ((secretRequired || clientSecret != null) && !constantTimeEquals(app.clientSecret(), clientSecret)) {
            throw new OAuthError("invalid_client", "invalid client credentials");
        }
        return app;
    }

    private TokenStore.Issued password(HttpServletRequest request) throws OAuthError {
        ConnectedApp app = app(request.getParameter("client_id"), request.getParameter("client_secret"), true);
        String username = request.getParameter("username");
        String password = request.getParameter("password");
        EmulatorUser user = org.user(username).orElse(null);
        if (user == null || !constantTimeEquals(user.password() + user.securityToken(), password)) {
            throw new OAuthError("invalid_grant", "authentication failure");
        }
        return org.tokens().issue(org.userId(username).orElseThrow(), user.username(), app.clientId(), false);
    }

    private TokenStore.Issued refresh(HttpServletRequest request) throws OAuthError {
        ConnectedApp app = app(request.getParameter("client_id"), request.getParameter("client_secret"), false);
        String refreshToken = request.getParameter("refresh_token");
        Optional<TokenStore.Grant> grant = org.tokens().refreshGrant(refreshToken);
        if (grant.isEmpty() || !grant.get().clientId().equals(app.clientId())) {
            throw new OAuthError("invalid_grant", "expired access/refresh token");
        }
        return org.tokens().refresh(refreshToken)
                .orElseThrow(() -> new OAuthError("invalid_grant", "expired access/refresh token"));
    }

    private TokenStore.Issued clientCredentials(HttpServletRequest request) throws OAuthError {
        ConnectedApp app = app(request.getParameter("client_id"), request.getParameter("client_secret"), true);
        String runAs = app.runAsUsername();
        if (runAs == null || org.userId(runAs).isEmpty()) {
            throw new OAuthError("invalid_grant", "no client credentials user enabled");
        }
        return org.tokens().issue(org.userId(runAs).get(), runAs, app.clientId(), false);
    }

    private TokenStore.Issued jwtBearer(HttpServletRequest request) throws OAuthError {
        String assertion = request.getParameter("assertion");
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
        Map<String, Object> header;
        Map<String, Object> claims;
        try {
            header = Json.readMap(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            claims = Json.readMap(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
        if (!"RS256".equals(header.get("alg"))) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
        ConnectedApp app = org.app(String.valueOf(claims.get("iss")))
                .orElseThrow(() -> new OAuthError("invalid_client_id", "client identifier invalid"));
        if (app.jwtKey() == null || !verify(app, parts)) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
        String aud = String.valueOf(claims.get("aud"));
        if (!aud.equals("https://login.salesforce.com") && !aud.equals("https://test.salesforce.com")
                && !instanceUrl.names(aud, request)) {
            throw new OAuthError("invalid_grant", "audience is invalid");
        }
        Object exp = claims.get("exp");
        if (!(exp instanceof Number n) || !Instant.ofEpochSecond(n.longValue()).isAfter(org.clock().instant())) {
            throw new OAuthError("invalid_grant", "expired authorization code");
        }
        String username = String.valueOf(claims.get("sub"));
        String userId = org.userId(username)
                .orElseThrow(() -> new OAuthError("invalid_grant", "user hasn't approved this consumer"));
        return org.tokens().issue(userId, org.user(username).get().username(), app.clientId(), false);
    }

    private static boolean verify(ConnectedApp app, String[] parts) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(app.jwtKey());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private Map<String, Object> tokenBody(TokenStore.Issued issued, HttpServletRequest request) {
        String base = instanceUrl.of(request);
        String id = base + "/id/" + org.orgId() + "/" + issued.grant().userId();
        String issuedAt = String.valueOf(issued.grant().issuedAt().toEpochMilli());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.accessToken());
        body.put("signature", signature(id + issuedAt, issued.grant().clientId()));
        body.put("scope", "api refresh_token");
        body.put("instance_url", base);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return body;
    }

    private String signature(String value, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            String secret = org.app(clientId).map(ConnectedApp::clientSecret).orElse("");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present", e);
        }
    }

    private void userInfo(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TokenStore.Grant> grant = org.tokens().validate(RestServlet.bearer(request));
        if (grant.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Json.write(response, 403, "Bad_OAuth_Token");
            return;
        }
        Json.write(response, 200, identity(grant.get(), request));
    }

    /** The identity of a token's user, as {@code /userinfo} and the {@code id} URL answer. */
    Map<String, Object> identity(TokenStore.Grant grant, HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", instanceUrl.of(request) + "/id/" + org.orgId() + "/" + grant.userId());
        body.put("user_id", grant.userId());
        body.put("organization_id", org.orgId());
        body.put("preferred_username", grant.username());
        body.put("name", grant.username());
        body.put("email", grant.username());
        body.put("active", true);
        return body;
    }

    private void revoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("token");
        if (token == null || (org.tokens().validate(token).isEmpty() && org.tokens().refreshGrant(token).isEmpty())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "unsupported_token_type");
            body.put("error_description", "this token type is not supported");
            Json.write(response, 400, body);
            return;
        }
        org.tokens().revoke(token);
        response.setStatus(200);
    }

    static boolean constantTimeEquals(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
