package dev.sfstream.auth;

import dev.sfstream.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth JWT bearer flow, the usual choice for servers: a JWT naming the connected app ({@code iss}), the user
 * ({@code sub}) and the login host ({@code aud}), signed RS256 with the private key whose certificate is uploaded
 * to the app. Signed with the JDK's own crypto; the key is read from a PKCS#8 PEM file
 * ({@code -----BEGIN PRIVATE KEY-----}).
 *
 * <p>Thread-safe; {@link #toString()} shows no key material.
 */
public final class JwtBearerAuthenticator extends CachingAuthenticator {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final OAuthSettings settings;
    private final String username;
    private final PrivateKey privateKey;
    private final String audience;
    private final Duration assertionLifetime = Duration.ofMinutes(3);

    private JwtBearerAuthenticator(Builder b) {
        this.settings = b.settings.copy();
        this.username = OAuthSettings.required(b.username, "username");
        if (b.privateKey == null) {
            throw new IllegalArgumentException("privateKey is required (privateKeyPem or privateKeyFile)");
        }
        this.privateKey = b.privateKey;
        this.audience = b.audience != null ? b.audience : defaultAudience(settings.loginHost.url());
    }

    /**
     * Salesforce takes {@code https://login.salesforce.com}, {@code https://test.salesforce.com} or an Experience Cloud
     * site's URL as the JWT's audience, not a My Domain: a sandbox host (test.salesforce.com or a
     * {@code .sandbox.my.salesforce.com} My Domain) gets test, any other salesforce.com host login. Other hosts (an
     * Experience Cloud site, a local emulator) are their own audience.
     */
    static String defaultAudience(java.net.URI loginUrl) {
        String host = loginUrl.getHost() == null ? "" : loginUrl.getHost().toLowerCase(java.util.Locale.ROOT);
        if (host.equals("test.salesforce.com") || host.endsWith(".sandbox.my.salesforce.com")) {
            return "https://test.salesforce.com";
        }
        if (host.equals("salesforce.com") || host.endsWith(".salesforce.com")) {
            return "https://login.salesforce.com";
        }
        return loginUrl.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", GRANT_TYPE);
        params.put("assertion", assertion(Instant.now()));
        return settings.request(params, "JWT bearer");
    }

    /** The signed assertion: {@code base64url(header).base64url(claims).base64url(signature)}. */
    String assertion(Instant now) {
        Map<String, Object> header = Map.of("alg", "RS256");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", settings.consumerKey);
        claims.put("sub", username);
        claims.put("aud", audience);
        claims.put("exp", now.plus(assertionLifetime).getEpochSecond());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        try {
            String signingInput = b64.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(signature.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not sign the JWT assertion: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an RSA private key from PKCS#8 PEM text.
     *
     * @throws IllegalArgumentException saying how to convert a PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or encrypted
     *     key, or what else is wrong; never echoes the key
     */
    public static PrivateKey readPrivateKey(String pem) {
        Objects.requireNonNull(pem, "pem");
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("the key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("the key is encrypted; give an unencrypted PKCS#8 key "
                    + "('openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem')");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key: expected -----BEGIN PRIVATE KEY-----");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM private key could not be read as an RSA key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "JwtBearerAuthenticator[loginHost=" + settings.loginHost + ", consumerKey=" + settings.consumerKey
                + ", username=" + username + ", audience=" + audience + ", privateKey=***]";
    }

    /** Builds a {@link JwtBearerAuthenticator}. */
    public static final class Builder extends OAuthBuilder<Builder> {
        private String username;
        private PrivateKey privateKey;
        private String audience;

        private Builder() {
        }

        /** The user to act as, the JWT's {@code sub}. */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder privateKey(PrivateKey privateKey) {
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** The private key as PKCS#8 PEM text. */
        public Builder privateKeyPem(String pem) {
            this.privateKey = readPrivateKey(pem);
            return this;
        }

        /**
         * The private key from a PKCS#8 PEM file.
         *
         * @throws IllegalArgumentException naming the file when it cannot be read
         */
        public Builder privateKeyFile(Path file) {
            try {
                this.privateKey = readPrivateKey(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the private key file " + file + ": "
                        + e.getClass().getSimpleName(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * The JWT's {@code aud}: by default {@code https://test.salesforce.com} for a sandbox login host,
         * {@code https://login.salesforce.com} for any other salesforce.com host (My Domains included), else the login
         * host's URL (an Experience Cloud site).
         */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing setting */
        public JwtBearerAuthenticator build() {
            return new JwtBearerAuthenticator(this);
        }

        @Override
        public String toString() {
            return "JwtBearerAuthenticator.Builder[loginHost=" + settings.loginHost + ", username=" + username
                    + ", privateKey=***]";
        }
    }
}
