package dev.sfstream.bayeux;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cookies of one Bayeux session. Salesforce needs every cookie it sets to come back ({@code BAYEUX_BROWSER}
 * for the session, a load-balancer cookie for affinity), and each client must keep its own:
 * clients that share cookies look like one browser with many tabs to CometD. All requests of a session go to one
 * host under one path, so names are enough to key them. Thread-safe.
 */
final class CookieJar {
    private final Map<String, String> cookies = new LinkedHashMap<>();

    synchronized void receive(HttpHeaders headers) {
        for (String header : headers.allValues("set-cookie")) {
            int semi = header.indexOf(';');
            String pair = semi < 0 ? header : header.substring(0, semi);
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String attributes = semi < 0 ? "" : header.substring(semi).toLowerCase(Locale.ROOT);
            if (attributes.contains("max-age=0") || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** The {@code Cookie} header value, or {@code null} when there is none. */
    synchronized String header() {
        if (cookies.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        cookies.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        return sb.toString();
    }

    synchronized void clear() {
        cookies.clear();
    }
}
