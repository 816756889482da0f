package dev.sfstream.redis;

import dev.sfstream.replay.ReplayStore;
import dev.sfstream.replay.ReplayStoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves {@code redis://} and {@code rediss://} replay store locations through {@code ReplayStore.open(...)}:
 * {@code redis://user:password@host:6379/0?retryFor=60s&ttl=0}. The query parameters are optional, are the
 * {@link RedisReplayStore.Builder} settings of the same names with the same rules, and are not passed on to Redis.
 * A {@code rediss://} location trusts the JVM's default trust store; a private CA needs the builder's
 * {@code sslContext}. Stateless and thread-safe.
 */
public final class RedisReplayStoreProvider implements ReplayStoreProvider {
    @Override
    public boolean supports(URI uri) {
        return "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
    }

    @Override
    public ReplayStore open(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        URI plain;
        try {
            plain = new URI(uri.getScheme(), uri.getRawUserInfo() == null ? null : uri.getUserInfo(), uri.getHost(),
                    uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid Redis URI: " + RedisReplayStore.redact(uri));
        }
        RedisReplayStore.Builder builder = RedisReplayStore.builder(plain);
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "ttl" -> builder.ttl(Durations.parse(p.getValue(), "ttl"));
                case "retryFor" -> builder.retryFor(Durations.parse(p.getValue(), "retryFor"));
                default -> throw new IllegalArgumentException("unknown Redis replay store parameter '" + p.getKey()
                        + "': use ttl or retryFor");
            }
        }
        return builder.build();
    }
}
