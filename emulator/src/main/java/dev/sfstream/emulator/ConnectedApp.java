package dev.sfstream.emulator;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A connected app of the emulated org: the OAuth client that tokens are issued to.
 *
 * @param clientId the consumer key
 * @param clientSecret the consumer secret
 * @param jwtKey the public key that verifies JWT bearer assertions (the certificate uploaded to the app in
 *     Salesforce), or {@code null} when the app does not use the JWT bearer flow
 * @param runAsUsername the user the client credentials flow runs as, or {@code null} to refuse that flow
 */
public record ConnectedApp(String clientId, String clientSecret, PublicKey jwtKey, String runAsUsername) {
    public ConnectedApp {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    /** An app with a consumer key and secret, no JWT key, and no client credentials user. */
    public static ConnectedApp of(String clientId, String clientSecret) {
        return new ConnectedApp(clientId, clientSecret, null, null);
    }

    @Override
    public String toString() {
        return "ConnectedApp[clientId=" + clientId + ", clientSecret=***, jwtKey=" + (jwtKey != null)
                + ", runAsUsername=" + runAsUsername + "]";
    }
}
