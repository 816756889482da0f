package dev.sfstream.emulator.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /emulator/...}: what an admin does in Salesforce's UI, or what goes wrong in production, on demand. No
 * token needed; the emulator listens on loopback by default. Each endpoint calls the same {@link Faults} the Java
 * API uses.
 */
final class FaultServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Faults faults;

    FaultServlet(Faults faults) {
        this.faults = faults;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if (path.equals("/status") && method.equals("GET")) {
                Json.write(response, 200, faults.status());
                return;
            }
            if (!method.equals("POST")) {
                throw new DmlException(405, "METHOD_NOT_ALLOWED", "use POST for " + path);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (path.equals("/revoke-tokens")) {
                faults.revokeTokens();
                body.put("revoked", true);
            } else if (path.equals("/drop-sessions")) {
                body.put("dropped", faults.dropSessions());
            } else if (path.equals("/disconnect-sessions")) {
                body.put("disconnected", faults.disconnectSessions());
            } else if (path.equals("/busy")) {
                double seconds = number(request, "seconds");
                faults.busy(Duration.ofMillis((long) (seconds * 1000)));
                body.put("busySeconds", seconds);
            } else if (path.equals("/advance-clock")) {
                double hours = number(request, "hours");
                faults.advanceClock(Duration.ofMillis((long) (hours * 3_600_000)));
                body.put("advancedHours", hours);
            } else if (path.equals("/pubsub/reset-streams")) {
                body.put("reset", faults.resetPubSubStreams());
            } else if (path.equals("/pubsub/stall")) {
                double seconds = number(request, "seconds");
                faults.stallPubSub(Duration.ofMillis((long) (seconds * 1000)));
                body.put("stallSeconds", seconds);
            } else if (path.equals("/pubsub/exhaust")) {
                double seconds = number(request, "seconds");
                faults.exhaustPubSub(Duration.ofMillis((long) (seconds * 1000)));
                body.put("exhaustedSeconds", seconds);
            } else if (path.equals("/access-token")) {
                body.putAll(faults.issueAccessToken(request.getParameter("username"),
                        request.getParameter("client_id")));
            } else if (path.equals("/refresh-token")) {
                body.put("refresh_token", faults.issueRefreshToken(required(request, "username"),
                        required(request, "client_id")));
            } else if (path.startsWith("/undelete/")) {
                body.put("id", faults.undelete(path.substring("/undelete/".length())));
            } else {
                throw new DmlException(404, "NOT_FOUND", "no such emulator endpoint: " + path);
            }
            Json.write(response, 200, body);
        } catch (DmlException e) {
            Json.errors(response, e.status(), e.errors());
        } catch (IllegalArgumentException e) {
            Json.errors(response, 400, List.of(ApiError.of("INVALID_INPUT", e.getMessage())));
        }
    }

    private static double number(HttpServletRequest request, String name) {
        String value = required(request, name);
        try {
            double d = Double.parseDouble(value);
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of 0 or more, got '" + value + "'");
        }
    }

    private static String required(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the query parameter '" + name + "' is required");
        }
        return value;
    }
}
