package dev.sfstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real headless Chromium for tests, driven through Debian's chromedriver over the W3C WebDriver protocol with the
 * JDK's HTTP client: no Selenium, no driver download, nothing fetched from the network. Each browser has a new empty
 * profile, removed at {@link #close()}.
 *
 * <p>Chromium and chromedriver are found on the {@code PATH} (or given by the system properties
 * {@code sfstream.chromium} and {@code sfstream.chromedriver}); without them {@link #start()} fails with how to
 * install them, never skips. Not thread-safe: one test thread drives a browser.
 */
public final class Browser implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process driver;
    private final Path profile;
    private final Path driverLog;
    private final String session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private Browser(Process driver, int port, Path profile, Path driverLog, int width, int height) {
        this.driver = driver;
        this.profile = profile;
        this.driverLog = driverLog;
        this.base = "http://127.0.0.1:" + port;
        awaitReady();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("binary", executable("sfstream.chromium", "chromium").toString());
        // Without the background-networking flags Chromium reaches for the network (updates, sync, field trials).
        options.put("args", List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-US"));
        Map<String, Object> always = new LinkedHashMap<>();
        always.put("browserName", "chrome");
        always.put("goog:chromeOptions", options);
        JsonNode created = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", always)));
        this.session = created.path("sessionId").asText();
        call("POST", "/session/" + session + "/timeouts", Map.of("implicit", 3_000, "pageLoad", 20_000,
                "script", 10_000));
    }

    /** A browser with a window of 1440 by 1060 pixels (a page of about 1440 by 920). */
    public static Browser start() {
        return start(1440, 1060);
    }

    /**
     * Starts chromedriver on a free loopback port and opens a headless Chromium through it.
     *
     * @throws AssertionError when Chromium or chromedriver is not installed, saying how to install them
     */
    public static Browser start(int width, int height) {
        Path chromedriver = executable("sfstream.chromedriver", "chromedriver");
        executable("sfstream.chromium", "chromium");
        try {
            Path profile = Files.createTempDirectory("sfstream-chromium-");
            Path log = profile.resolveSibling(profile.getFileName() + ".chromedriver.log");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder(chromedriver.toString(), "--port=" + port) // loopback clients only
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                return new Browser(process, port, profile, log, width, height);
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                deleteTree(profile);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start chromedriver: " + e.getMessage(), e);
        }
    }

    private static Path executable(String property, String name) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(property + "=" + given + " is not an executable file");
            }
            return path;
        }
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        return found.orElseThrow(() -> new AssertionError("The web console's browser tests need a headless Chromium, "
                + "and '" + name + "' is not on the PATH. Install Debian's chromium and chromium-driver packages "
                + "(apt-get install chromium chromium-driver; .ci/run installs them when they are missing), or give "
                + "the executables as -Dsfstream.chromium=... and -Dsfstream.chromedriver=...."));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new AssertionError("chromedriver exited with " + driver.exitValue() + ": " + driverLog());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while chromedriver started", e);
            }
            try {
                driver.waitFor(50, TimeUnit.MILLISECONDS); // a bounded pause that ends early if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while chromedriver started", e);
            }
        }
        throw new AssertionError("chromedriver did not answer within 15 s: " + driverLog());
    }

    private String driverLog() {
        try {
            String log = Files.readString(driverLog);
            return log.length() > 2_000 ? log.substring(log.length() - 2_000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** One WebDriver command; a WebDriver error becomes an AssertionError with its name and message. */
    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(r.body()).path("value");
            if (r.statusCode() != 200) {
                throw new AssertionError("WebDriver " + method + " " + path + ": " + value.path("error").asText()
                        + ": " + value.path("message").asText());
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("WebDriver " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String at(String path) {
        return "/session/" + session + path;
    }

    /** Loads a page and waits until it has loaded. */
    public void open(String url) {
        call("POST", at("/url"), Map.of("url", url));
    }

    /** The first element matching a CSS selector, waiting up to 3 s for one to appear. */
    public Element find(String css) {
        JsonNode found = call("POST", at("/element"), Map.of("using", "css selector", "value", css));
        return new Element(found.path(ELEMENT).asText());
    }

    /** Every element matching a CSS selector now (waiting up to 3 s while there is none). */
    public List<Element> findAll(String css) {
        List<Element> out = new ArrayList<>();
        call("POST", at("/elements"), Map.of("using", "css selector", "value", css))
                .forEach(e -> out.add(new Element(e.path(ELEMENT).asText())));
        return out;
    }

    /**
     * Runs JavaScript in the page ({@code return ...} gives a value back) and returns its result as JSON; elements
     * among the arguments are passed as the page's elements.
     */
    public JsonNode script(String javascript, Object... args) {
        List<Object> passed = new ArrayList<>();
        for (Object arg : args) {
            passed.add(arg instanceof Element e ? Map.of(ELEMENT, e.id) : arg);
        }
        return call("POST", at("/execute/sync"), Map.of("script", javascript, "args", passed));
    }

    /** The text of the first element matching a selector, as shown (hidden text excluded), or "" when none is. */
    public String text(String css) {
        JsonNode text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return text.asText();
    }

    /** The value of the first form field matching a selector. */
    public String value(String css) {
        return script("return document.querySelector(arguments[0]).value;", css).asText();
    }

    /** The page as it looks now, as PNG. */
    public byte[] screenshot() {
        return Base64.getDecoder().decode(call("GET", at("/screenshot"), null).asText());
    }

    /** Ends the session, stops chromedriver and Chromium, and removes the profile. */
    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", at(""), null);
            }
        } catch (RuntimeException | AssertionError e) {
            // the browser is gone already: stopping chromedriver below is what matters
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                driver.destroyForcibly();
            }
            deleteTree(profile);
            try {
                Files.deleteIfExists(driverLog);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /** An element of the page. */
    public final class Element {
        private final String id;

        private Element(String id) {
            this.id = id;
        }

        /** Clicks it as a user would (scrolled into view; refused when something covers it). */
        public Element click() {
            call("POST", at("/element/" + id + "/click"), Map.of());
            return this;
        }

        /** Empties a text field, then types into it key by key. */
        public Element replaceText(String text) {
            call("POST", at("/element/" + id + "/clear"), Map.of());
            call("POST", at("/element/" + id + "/value"), Map.of("text", text));
            return this;
        }

        /** Chooses the option of a select whose text is {@code label}. */
        public Element select(String label) {
            script("const s = arguments[0]; const o = [...s.options].find(o => o.text === arguments[1]);"
                    + " if (!o) throw new Error('no option ' + arguments[1]); s.value = o.value;"
                    + " s.dispatchEvent(new Event('change', {bubbles: true}));", this, label);
            return this;
        }

        /** Its text as shown. */
        public String text() {
            return call("GET", at("/element/" + id + "/text"), null).asText();
        }
    }
}
