package dev.sfstream.pubsub;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an authenticator and counts token renewals, to check that a fault caused exactly one. */
final class CountingAuthenticator implements Authenticator {
    private final Authenticator delegate;
    private final AtomicInteger renewals = new AtomicInteger();

    CountingAuthenticator(Authenticator delegate) {
        this.delegate = delegate;
    }

    @Override
    public AccessToken token() {
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
}
