package dev.sfstream.pubsub;

import dev.sfstream.AuthenticationException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Healing;
import dev.sfstream.internal.Shared;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A session's access token, sent as Salesforce's three metadata headers on every call ({@code accesstoken},
 * {@code instanceurl}, {@code tenantid}: its "Supported Authentication" page), and its renewal when the Pub/Sub API
 * refuses it. One renewal serves every stream that was refused with the same token (and the authenticator shares one
 * token request with every other caller, a REST client included); each stream resumes once the new token is there. A
 * token just renewed and refused again before any call succeeded with it means the user or the connected app may not
 * use the Pub/Sub API: that is fatal, not a loop. The renewal runs on a worker; the rest is confined to the lane.
 */
final class Tokens {
    private static final Metadata.Key<String> ACCESS_TOKEN = key("accesstoken");
    private static final Metadata.Key<String> INSTANCE_URL = key("instanceurl");
    private static final Metadata.Key<String> TENANT_ID = key("tenantid");
    /** A Salesforce session ID starts with the org ID: {@code 00D...!...}. */
    private static final Pattern ORG_ID_PREFIX = Pattern.compile("(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)!.*");

    private final PubSubSession session;
    private final Healing healing;
    private final Backoff backoff;
    private final List<Runnable> waiting = new ArrayList<>();
    private AccessToken token;
    private boolean renewing;
    private boolean unproven;

    Tokens(PubSubSession session) {
        this.session = session;
        this.healing = new Healing(session.context.connectionTimeout());
        this.backoff = new Backoff(session.context.backoffInitial(), session.context.backoffMax());
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    /** The metadata of every call made with a token. */
    static ClientInterceptor headers(AccessToken token) {
        Metadata m = new Metadata();
        m.put(ACCESS_TOKEN, token.token());
        URI url = token.instanceUrl();
        m.put(INSTANCE_URL, url.getScheme() + "://" + url.getRawAuthority());
        m.put(TENANT_ID, tenantId(token));
        return MetadataUtils.newAttachHeadersInterceptor(m);
    }

    /**
     * The org ID the Pub/Sub API wants as {@code tenantid}: the token's, else the one a session ID starts with.
     *
     * @throws AuthenticationException when neither is known
     */
    static String tenantId(AccessToken token) {
        if (token.orgId() != null && !token.orgId().isBlank()) {
            return token.orgId();
        }
        var m = ORG_ID_PREFIX.matcher(token.token());
        if (m.matches()) {
            return m.group(1);
        }
        throw new AuthenticationException("the Pub/Sub API needs the org ID (its tenantid header), and the "
                + "authenticator gave a token without one: give StaticTokenAuthenticator the org ID, or use an "
                + "authenticator that reads it from Salesforce", null);
    }

    void first(AccessToken t) {
        token = t;
    }

    AccessToken current() {
        return token;
    }

    /** A call made with {@code used} succeeded: a later refusal of it may be renewed again. */
    void worked(AccessToken used) {
        if (used == token) {
            unproven = false;
            healing.succeeded();
            backoff.reset();
        }
    }

    /** A call was refused with {@code used}: {@code then} runs on the lane once a newer token is there. */
    void refused(AccessToken used, String why, Runnable then) {
        if (session.isClosed()) {
            return;
        }
        if (used != token && !renewing) {
            then.run(); // renewed since this call started: go again with the new token
            return;
        }
        waiting.add(then);
        if (renewing) {
            return;
        }
        if (unproven) {
            session.fatal(new AuthenticationException(null, null, 401, why + ", again with a token just renewed; "
                    + "the user or connected app cannot use the Pub/Sub API"));
            return;
        }
        renew(why);
    }

    private void renew(String why) {
        renewing = true;
        AccessToken stale = token;
        Shared.workers().execute(() -> {
            try {
                AccessToken renewed = session.context.authenticator().renew(stale);
                tenantId(renewed);
                session.lane.execute(() -> renewed(renewed));
            } catch (AuthenticationException e) {
                session.lane.execute(() -> {
                    renewing = false;
                    session.fatal(e);
                });
            } catch (RuntimeException e) {
                session.lane.execute(() -> renewFailed(why, e));
            }
        });
    }

    private void renewed(AccessToken renewed) {
        renewing = false;
        token = renewed;
        unproven = true;
        session.listener.onTokenRenewed();
        List<Runnable> resume = new ArrayList<>(waiting);
        waiting.clear();
        resume.forEach(Runnable::run);
    }

    private void renewFailed(String why, RuntimeException e) {
        renewing = false;
        healing.failed("renewing the token failed: " + e.getMessage());
        Optional<Duration> delay = healing.retryAfter(backoff);
        if (delay.isEmpty()) {
            session.fatal(new TransportException(healing.gaveUp(), e));
            return;
        }
        renewing = true; // nobody else starts a renewal while this one waits
        session.schedule(delay.get(), () -> renew(why));
    }
}
