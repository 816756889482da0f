package dev.sfstream.emulator.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console's files: {@code /} and {@code /console/} are its page, {@code /console/console.js} and
 * {@code /console/console.css} its script and style, all read from the emulator's jar
 * ({@code dev/sfstream/emulator/console/}). Nothing else is served, and the page loads nothing from elsewhere: its
 * Content-Security-Policy allows this origin alone, and no inline script, so text the page shows (record values,
 * payloads) cannot run even if it were ever put in as markup.
 */
final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String FOLDER = "/dev/sfstream/emulator/console/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html;charset=UTF-8",
            "console.js", "text/javascript;charset=UTF-8",
            "console.css", "text/css;charset=UTF-8");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final transient Map<String, byte[]> contents;

    ConsoleServlet() {
        this.contents = Map.of("index.html", read("index.html"), "console.js", read("console.js"),
                "console.css", read("console.css"));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the emulator's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = file(request);
        if (name == null) {
            response.sendError(404);
            return;
        }
        byte[] body = contents.get(name);
        response.setStatus(200);
        response.setContentType(FILES.get(name));
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        // A newer emulator on the same port serves a newer console: never let the browser keep an old one.
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The file a request names, or {@code null}: {@code /}, {@code /console} and {@code /console/} are the page. */
    private static String file(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String path = request.getPathInfo();
        if (!servletPath.equals("/console")) {
            return path == null || path.equals("/") ? "index.html" : null;
        }
        if (path == null || path.equals("/")) {
            return "index.html";
        }
        String name = path.substring(1);
        return FILES.containsKey(name) ? name : null;
    }
}
