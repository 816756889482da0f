package dev.sfstream;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an authenticator and counts token requests, to check that a fault did or did not cause one. */
final class CountingAuthenticator implements Authenticator {
    private final Authenticator delegate;
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger tokens = new AtomicInteger();

    CountingAuthenticator(Authenticator delegate) {
        this.delegate = delegate;
    }

    @Override
    public AccessToken token() {
        tokens.incrementAndGet();
        return delegate.token();
    }

    @Override
    public AccessToken renew(AccessToken rejected) {
        renewals.incrementAndGet();
        return delegate.renew(rejected);
    }

    int renewals() {
        return renewals.get();
    }

    /** Calls of {@link #token()}, the first login included. */
    int tokens() {
        return tokens.get();
    }
}
