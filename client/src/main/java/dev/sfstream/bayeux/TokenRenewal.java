package dev.sfstream.bayeux;

import dev.sfstream.AuthenticationException;
import dev.sfstream.ConnectionState;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.internal.Shared;

/**
 * Renewing a session's token when Salesforce answers {@code 401::Authentication invalid}: once, through the
 * authenticator (which shares one token request among its callers), then a new handshake. A fresh token refused
 * again means the user or app may not use the Streaming API: that is fatal, not a loop. The renewal runs on a
 * worker, never on the session's lane; everything else is confined to the lane.
 */
final class TokenRenewal {
    private final BayeuxSession session;
    private boolean renewing;
    private boolean freshTokenRefused;

    TokenRenewal(BayeuxSession session) {
        this.session = session;
    }

    /** A handshake with the current token succeeded: a later refusal may be renewed again. */
    void handshakeSucceeded() {
        freshTokenRefused = false;
    }

    void reauthenticate(String why) {
        if (renewing || session.isClosed()) {
            return;
        }
        if (freshTokenRefused) {
            session.fatal(new AuthenticationException(null, null, 401, why + ", again with a token just renewed; "
                    + "the user or connected app cannot use the Streaming API"));
            return;
        }
        renewing = true;
        freshTokenRefused = true;
        session.generation++;
        session.cancelInFlightConnect();
        session.clientId = null;
        session.setState(ConnectionState.RECONNECTING, why);
        AccessToken stale = session.token;
        Shared.workers().execute(() -> {
            try {
                AccessToken renewed = session.context.authenticator().renew(stale);
                session.lane.execute(() -> {
                    renewing = false;
                    session.token = renewed;
                    session.listener.onTokenRenewed();
                    session.handshake("re-authenticated");
                });
            } catch (AuthenticationException e) {
                session.lane.execute(() -> {
                    renewing = false;
                    session.fatal(e);
                });
            } catch (RuntimeException e) {
                session.lane.execute(() -> {
                    renewing = false;
                    freshTokenRefused = false;
                    session.healing.failed("re-authentication failed: " + e.getMessage());
                    session.retryLater(session.handshakeBackoff, () -> reauthenticate(why));
                });
            }
        });
    }
}
