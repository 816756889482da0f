package dev.sfstream.auth;

/**
 * A builder for the flows that send the connected app's consumer secret with its consumer key: password, refresh
 * token and client credentials.
 *
 * @param <B> the concrete builder, so that calls chain
 */
public abstract class ClientSecretBuilder<B extends ClientSecretBuilder<B>> extends OAuthBuilder<B> {
    String consumerSecret;

    ClientSecretBuilder() {
    }

    /** The connected app's consumer secret (OAuth {@code client_secret}). */
    @SuppressWarnings("unchecked")
    public B consumerSecret(String consumerSecret) {
        this.consumerSecret = consumerSecret;
        return (B) this;
    }
}
