package dev.sfstream.jdbc;

import dev.sfstream.replay.ReplayStore;
import dev.sfstream.replay.ReplayStoreProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Serves {@code jdbc:postgresql://} replay store locations through {@code ReplayStore.open(...)}:
 * {@code jdbc:postgresql://host:5432/database?user=app&password=secret&createTables=false&commitInterval=100ms}.
 * {@code createTables}, {@code commitInterval} and {@code retryFor} are the {@link JdbcReplayStore.Builder}
 * settings of the same names and are not passed on; every other parameter goes to the PostgreSQL driver
 * ({@code currentSchema}, {@code ssl}, ...). Stateless and thread-safe.
 */
public final class JdbcReplayStoreProvider implements ReplayStoreProvider {
    @Override
    public boolean supports(URI uri) {
        return "jdbc".equalsIgnoreCase(uri.getScheme()) && uri.getSchemeSpecificPart() != null
                && uri.getSchemeSpecificPart().startsWith("postgresql:");
    }

    @Override
    public ReplayStore open(URI uri) {
        String url = uri.toString();
        int q = url.indexOf('?');
        List<String> kept = new ArrayList<>();
        String createTables = null;
        String commitInterval = null;
        String retryFor = null;
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (name) {
                    case "createTables" -> createTables = value;
                    case "commitInterval" -> commitInterval = value;
                    case "retryFor" -> retryFor = value;
                    default -> kept.add(pair);
                }
            }
            url = url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        }
        JdbcReplayStore.Builder builder = JdbcReplayStore.builder(url);
        if (createTables != null) {
            if (!createTables.equals("true") && !createTables.equals("false")) {
                throw new IllegalArgumentException("createTables must be true or false, got '" + createTables + "'");
            }
            builder.createTables(Boolean.parseBoolean(createTables));
        }
        if (commitInterval != null) {
            builder.commitInterval(duration(commitInterval, "commitInterval"));
        }
        if (retryFor != null) {
            builder.retryFor(duration(retryFor, "retryFor"));
        }
        return builder.build();
    }

    /** Reads a whole number followed by {@code ms}, {@code s}, {@code m} or {@code h}. */
    static Duration duration(String value, String name) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 100ms, 30s or 2m, got '" + value
                    + "'");
        }
    }
}
