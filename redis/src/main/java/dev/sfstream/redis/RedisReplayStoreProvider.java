package dev.sfstream.redis;

import dev.sfstream.replay.ReplayStore;
import dev.sfstream.replay.ReplayStoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves {@code redis://} and {@code rediss://} replay store locations through {@code ReplayStore.open(...)}:
 * {@code redis://user:password@host:6379/0?ttl=12h&retryFor=60s}. The query parameters are optional and are not
 * passed on to Redis.
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
                case "ttl" -> builder.ttl(duration(p.getValue(), "ttl"));
                case "retryFor" -> builder.retryFor(duration(p.getValue(), "retryFor"));
                default -> throw new IllegalArgumentException("unknown Redis replay store parameter '" + p.getKey()
                        + "': use ttl or retryFor");
            }
        }
        return builder.build();
    }

    private static Duration duration(String value, String name) {
        String v = value.trim();
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 30s, 12h or 1d, got '" + value
                    + "'");
        }
    }
}
