package dev.sfstream.redis;

import dev.sfstream.ReplayStoreException;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where the store's Redis is and how to talk to it: the URI (shown only without its password), TLS for
 * {@code rediss://} with the server's host name verified, and the timeouts that keep a missing Redis from holding
 * anyone up.
 */
final class RedisEndpoint {
    /** How long a connection attempt may take: the open check and each retry fail within it when Redis is away. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long one command (or one pipelined batch) may wait for its answer. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final String address;
    private final SSLContext sslContext;

    RedisEndpoint(URI uri, SSLContext sslContext) {
        this.uri = uri;
        this.address = redact(uri);
        this.sslContext = sslContext;
    }

    String address() {
        return address;
    }

    String host() {
        return uri.getHost();
    }

    boolean tls() {
        return "rediss".equals(uri.getScheme());
    }

    /**
     * A client for this endpoint. Nothing is sent yet; Jedis connects on first use.
     *
     * @throws ReplayStoreException when Jedis refuses the URI
     */
    RedisClient client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) READ_TIMEOUT.toMillis());
        if (tls()) {
            // Jedis checks only the certificate chain unless told to: without endpoint identification a certificate
            // for any name from a trusted CA would be accepted. "HTTPS" is the JDK's RFC 2818 check (DNS and IP
            // subject alternative names), the one its HTTPS client uses.
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(parameters);
            if (sslContext != null) {
                config.sslSocketFactory(sslContext.getSocketFactory());
            }
        }
        try {
            // fromURI adds the URI's user, password, database and scheme to the configuration above
            return RedisClient.builder().clientConfig(config.build()).fromURI(uri).build();
        } catch (JedisException | IllegalArgumentException e) {
            throw new ReplayStoreException("cannot use the Redis replay store at " + address + ": "
                    + RedisFailure.describe(e), e);
        }
    }

    /** The URI without its password, for messages. */
    static String redact(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return uri.toString().replace(userInfo + "@", shown + "@");
    }

    @Override
    public String toString() {
        return address;
    }
}
