package dev.sfstream.emulator.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an emulator is reachable from other machines, and the warning to print when it is. The web console and the
 * fault endpoints under {@code /emulator/} take no token (two of them issue tokens for any user), and the default
 * credentials are printed in the emulator's own README: on loopback only the machine's own users can reach them, on
 * any other address everyone who can reach that address can.
 */
public final class Exposure {
    private Exposure() {
    }

    /**
     * Whether {@code host} is a loopback address ({@code 127.0.0.0/8}, {@code ::1}, or a name such as
     * {@code localhost} that resolves to one). The wildcard {@code 0.0.0.0} or {@code ::} is every address, and a
     * name that does not resolve counts as beyond loopback.
     */
    public static boolean isLoopback(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The warning for an emulator bound to {@code host}, or empty on loopback.
     *
     * @param defaultLogins the well-known credentials still in place, each as {@code "what name / secret"}
     */
    public static Optional<String> warning(String host, List<String> defaultLogins) {
        if (isLoopback(host)) {
            return Optional.empty();
        }
        List<String> open = new ArrayList<>();
        open.add("its web console (at /) and its fault endpoints under /emulator/ (revoke tokens, drop sessions, move "
                + "the clock, issue an access or refresh token for any user) take no authentication");
        if (!defaultLogins.isEmpty()) {
            open.add("it takes the well-known default credentials (" + String.join("; ", defaultLogins) + ")");
        }
        return Optional.of("WARNING: the emulator listens on " + host + ", beyond loopback: anyone who can reach "
                + "that address can use its org, as " + String.join(", and ", open) + ". Listen on 127.0.0.1 "
                + "unless other machines must reach it, and then only on a network you trust.");
    }
}
