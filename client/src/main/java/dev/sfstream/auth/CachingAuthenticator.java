package dev.sfstream.auth;

import dev.sfstream.AuthenticationException;
import dev.sfstream.StreamingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The base of every authenticator: it keeps the current token and makes renewal single-flight, so that a streaming
 * client and a REST client that hit a revoked token at the same moment cause one token request, not two.
 * Subclasses implement {@link #requestToken()}. Thread-safe.
 */
public abstract class CachingAuthenticator implements Authenticator {
    private final Object lock = new Object();
    private AccessToken current;
    private CompletableFuture<AccessToken> inFlight;

    /** Performs one token request. Called by one thread at a time. */
    protected abstract AccessToken requestToken();

    @Override
    public AccessToken token() {
        synchronized (lock) {
            if (current != null) {
                return current;
            }
        }
        return renew(null);
    }

    @Override
    public AccessToken renew(AccessToken rejected) {
        CompletableFuture<AccessToken> flight;
        boolean mine = false;
        synchronized (lock) {
            if (current != null && current != rejected) {
                return current;
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            flight = inFlight;
        }
        if (mine) {
            try {
                AccessToken token = requestToken();
                synchronized (lock) {
                    current = token;
                    inFlight = null;
                }
                flight.complete(token);
            } catch (RuntimeException e) {
                synchronized (lock) {
                    inFlight = null;
                }
                flight.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return flight.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StreamingException se) {
                throw se;
            }
            throw new AuthenticationException("token request failed: " + e.getCause(), e.getCause());
        }
    }
}
