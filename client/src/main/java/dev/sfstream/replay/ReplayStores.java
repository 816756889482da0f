package dev.sfstream.replay;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/** Chooses a replay store from a location string, in one place (used by the CLI and the Kafka connector). */
final class ReplayStores {
    private ReplayStores() {
    }

    static ReplayStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("replay store location is empty: give a file path, memory:, or a "
                    + "redis:// URI");
        }
        String loc = location.trim();
        String lower = loc.toLowerCase(Locale.ROOT);
        if (lower.equals("memory:") || lower.equals("memory")) {
            return ReplayStore.inMemory();
        }
        if (lower.startsWith("file:")) {
            try {
                return ReplayStore.file(Path.of(new URI(loc)));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return ReplayStore.file(Path.of(loc.substring("file:".length())));
            }
        }
        int colon = loc.indexOf("://");
        if (colon > 0) {
            URI uri;
            try {
                uri = new URI(loc);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("replay store location is not a valid URI: " + redact(loc));
            }
            for (ReplayStoreProvider provider : ServiceLoader.load(ReplayStoreProvider.class)) {
                if (provider.supports(uri)) {
                    return provider.open(uri);
                }
            }
            String scheme = uri.getScheme();
            String hint = scheme.startsWith("redis") ? ": add the sfstream-redis module to the classpath"
                    : scheme.equals("jdbc") ? ": add the sfstream-jdbc module to the classpath" : "";
            String form = uri.isOpaque() ? uri.getScheme() + ":" + uri.getSchemeSpecificPart()
                    .substring(0, uri.getSchemeSpecificPart().indexOf("://") + 3) : scheme + "://";
            throw new IllegalArgumentException("no replay store serves '" + form + "' locations" + hint);
        }
        return ReplayStore.file(Path.of(loc));
    }

    /** The location without a password, for messages. */
    static String redact(String location) {
        return location.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
    }
}
