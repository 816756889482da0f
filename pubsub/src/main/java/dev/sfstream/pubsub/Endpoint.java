package dev.sfstream.pubsub;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A Pub/Sub API endpoint, {@code host:port}, checked: the host as given (an IPv6 literal in brackets), a port from 1
 * to 65535, 7443 when left out (Salesforce serves the API on 443 and 7443; every Salesforce client uses 7443).
 *
 * @param host the host name or address literal, without brackets
 * @param port the port
 */
record Endpoint(String host, int port) {
    static final int DEFAULT_PORT = 7443;

    static Endpoint parse(String hostAndPort) {
        if (hostAndPort == null || hostAndPort.isBlank()) {
            throw new IllegalArgumentException("endpoint is empty: give host:port, such as api.pubsub.salesforce.com:7443");
        }
        String s = hostAndPort.strip();
        if (s.contains("://") || s.contains("/")) {
            throw new IllegalArgumentException("endpoint '" + hostAndPort + "' must be host:port, without a scheme or "
                    + "path, such as api.pubsub.salesforce.com:7443");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("endpoint '" + hostAndPort + "' has an unclosed IPv6 bracket");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("endpoint '" + hostAndPort + "' must be [address]:port");
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("endpoint '" + hostAndPort + "': write an IPv6 address in brackets, "
                        + "[::1]:7443");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + hostAndPort + "' has no host");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("endpoint '" + hostAndPort + "' has no valid port (1 to 65535)");
            }
        }
        return new Endpoint(host, p);
    }

    /** Whether the host is this machine: {@code localhost} or a loopback address literal (no name is looked up). */
    boolean isLoopback() {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        boolean literal = host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The gRPC target: {@code host:port}, an IPv6 literal in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
