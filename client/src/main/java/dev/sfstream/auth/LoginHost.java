package dev.sfstream.auth;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where to log in: production ({@code https://login.salesforce.com}), a sandbox
 * ({@code https://test.salesforce.com}), a My Domain ({@code https://acme.my.salesforce.com}) or any URL, such as
 * the emulator's.
 *
 * <p>Plain {@code http} is accepted only for loopback hosts (127.0.0.1, ::1, localhost), so a token or a password
 * never crosses a network unencrypted by accident; another host needs {@link #allowingPlainHttp()}, which says so
 * by name. Immutable.
 */
public final class LoginHost {
    /** Production and Developer Edition orgs. */
    public static final LoginHost PRODUCTION = new LoginHost(URI.create("https://login.salesforce.com"), false);
    /** Sandboxes. */
    public static final LoginHost SANDBOX = new LoginHost(URI.create("https://test.salesforce.com"), false);

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final URI url;
    private final boolean plainHttpAllowed;

    private LoginHost(URI url, boolean plainHttpAllowed) {
        this.url = url;
        this.plainHttpAllowed = plainHttpAllowed;
    }

    /**
     * A login host from a URL: {@code https://acme.my.salesforce.com}, {@code http://127.0.0.1:8080}.
     *
     * @throws IllegalArgumentException when it is not an absolute http(s) URL, or is plain http to a host that is
     *     not loopback
     */
    public static LoginHost of(String url) {
        Objects.requireNonNull(url, "login URL");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("login URL is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        LoginHost host = new LoginHost(normalize(uri), false);
        checkPlainHttp(host.url, false, "login URL");
        return host;
    }

    /** The My Domain login host of a domain name: {@code myDomain("acme")} is {@code https://acme.my.salesforce.com}. */
    public static LoginHost myDomain(String domain) {
        if (domain == null || !domain.matches("[A-Za-z0-9][A-Za-z0-9-]*(--[A-Za-z0-9-]+)?")) {
            throw new IllegalArgumentException("My Domain name must be letters, digits and hyphens, got '"
                    + domain + "'");
        }
        return new LoginHost(URI.create("https://" + domain.toLowerCase(Locale.ROOT) + ".my.salesforce.com"), false);
    }

    /** The same host with plain http allowed even when it is not loopback: use only on a trusted network. */
    public LoginHost allowingPlainHttp() {
        return new LoginHost(url, true);
    }

    /** The base URL, without a trailing slash. */
    public URI url() {
        return url;
    }

    /** Whether plain http to a non-loopback host was allowed by name. */
    public boolean plainHttpAllowed() {
        return plainHttpAllowed;
    }

    /** The token endpoint: {@code <url>/services/oauth2/token}. */
    public URI tokenEndpoint() {
        return URI.create(url + "/services/oauth2/token");
    }

    private static URI normalize(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("login URL must start with https:// (or http:// for a local "
                    + "emulator), got '" + uri + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("login URL has no host: '" + uri + "'");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /**
     * Refuses plain http to a host that is not loopback unless allowed.
     *
     * @param what names the URL in the message ("login URL", "instance URL")
     */
    public static void checkPlainHttp(URI uri, boolean allowed, String what) {
        if ("http".equalsIgnoreCase(uri.getScheme()) && !allowed && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(what + " uses plain http to " + uri.getHost() + ", which is not a "
                    + "loopback address: use https (a token or a password must not cross a network in the "
                    + "clear)");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginHost other && other.url.equals(url) && other.plainHttpAllowed == plainHttpAllowed;
    }

    @Override
    public int hashCode() {
        return url.hashCode();
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
