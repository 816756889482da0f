package dev.sfstream.emulator.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The URL the emulator hands out as its own: the {@code instance_url} and {@code id} of a token response and the
 * {@code sub} of the identity. A real org answers with its own host whatever the client asked; the emulator may be
 * reached on many addresses (bound to {@code 0.0.0.0}, a container's published port), so it answers with the
 * scheme, host and port the client used, read from the request's {@code Host} header, and the client's next calls
 * go where its first one went. An advertised URL, when configured (a proxy in front of the emulator), is handed out
 * instead, always. Thread-safe.
 */
public final class InstanceUrl {
    private final String advertised;
    private final Supplier<String> own;

    /**
     * @param advertised the URL to hand out whatever the request, or {@code null} to follow each request
     * @param own the address the emulator printed when it started
     */
    InstanceUrl(String advertised, Supplier<String> own) {
        this.advertised = advertised;
        this.own = own;
    }

    /**
     * Checks an advertised URL as {@code Emulator.Builder.advertisedUrl} takes it.
     *
     * @return the URL without a trailing slash
     * @throws IllegalArgumentException naming the setting, when it is not an absolute http or https URL
     */
    public static String checkAdvertised(String url) {
        Objects.requireNonNull(url, "advertisedUrl");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("advertisedUrl must be an http or https URL such as "
                    + "http://emulator.test:8080, got '" + url + "'");
        }
        return url.replaceAll("/+$", "");
    }

    /** The URL to hand out in the answer to this request, without a trailing slash. */
    String of(HttpServletRequest request) {
        return advertised != null ? advertised : requested(request);
    }

    /**
     * Whether {@code url} names this emulator for this request: its printed address, the advertised URL, or the
     * address the request was sent to. A JWT bearer assertion may carry any of them as its audience.
     */
    boolean names(String url, HttpServletRequest request) {
        String given = trimSlash(url);
        return given.equals(own.get()) || given.equals(advertised) || given.equals(requested(request));
    }

    /** {@code scheme://host[:port]} of the request as the client wrote it; Jetty has checked the Host header. */
    private static String requested(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        int path = url.indexOf('/', url.indexOf("://") + 3);
        return path < 0 ? url : url.substring(0, path);
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
