package dev.sfstream.redis;

import dev.sfstream.ReplayStoreException;
import javax.net.ssl.SSLException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a Jedis failure means for the store, and the one-line message that says what to fix. The one place where
 * failures are told apart: refused credentials never heal by waiting, a refused certificate is a configuration
 * error, anything else is treated as Redis being away for a while. Messages carry the address without password and
 * Redis's own error text (which never contains the password).
 */
enum RedisFailure {
    /** WRONGPASS, NOAUTH or NOPERM: the user or password is wrong, or the user may not run the store's commands. */
    CREDENTIALS,
    /** The TLS handshake failed: an untrusted certificate or one that does not name the host. */
    CERTIFICATE,
    /** Anything else: no connection, a timeout, a Redis that answers with a transient error. */
    UNAVAILABLE;

    static RedisFailure of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisAccessControlException) {
                return CREDENTIALS;
            }
            if (t instanceof SSLException) {
                return CERTIFICATE;
            }
        }
        return UNAVAILABLE;
    }

    /** The failure at open: one cause, one line, no waiting. */
    static ReplayStoreException atOpen(JedisException e, RedisEndpoint endpoint) {
        return switch (of(e)) {
            case CREDENTIALS -> credentialsRefused(e, endpoint.address());
            case CERTIFICATE -> new ReplayStoreException("the TLS certificate of Redis at " + endpoint.address()
                    + " was not accepted (" + describe(e) + "): it must be issued by a CA this JVM trusts, or by one in "
                    + "the SSLContext given to RedisReplayStore.Builder.sslContext(...), and name the host '"
                    + endpoint.host() + "' in its subject alternative names", e);
            case UNAVAILABLE -> new ReplayStoreException((e instanceof JedisConnectionException
                    ? "cannot reach Redis at " + endpoint.address() + " (" + describe(e) + "): check that Redis runs "
                    + "there and that the host, port and scheme (redis:// or rediss://) are right"
                    : "Redis at " + endpoint.address() + " answered with an error: " + describe(e)), e);
        };
    }

    static ReplayStoreException credentialsRefused(JedisException e, String address) {
        return new ReplayStoreException("Redis at " + address + " refused the credentials of the replay store ("
                + describe(e) + "): check the user and password in the Redis URI, and that this user may run PING, "
                + "GET, SCRIPT LOAD and EVALSHA", e);
    }

    /** The failure and its root cause on one line, e.g. "Unexpected end of stream (Connection reset)". */
    static String describe(Throwable e) {
        String message = oneLine(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = oneLine(root);
        return root == e || message.contains(rootMessage) ? message : message + " (" + rootMessage + ")";
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String line = (m == null ? t.getClass().getSimpleName() : m).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line; // it ends a clause of ours
    }
}
