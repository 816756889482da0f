package dev.sfstream.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.AuthenticationException;
import dev.sfstream.TransportException;
import dev.sfstream.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Runs one command of the Salesforce CLI ({@code sf ... --json}) as a child process, without a shell, and reads the
 * JSON envelope it answers: {@code {"status":0,"result":{...},"warnings":[...]}} on success, or
 * {@code {"status":1,"name":"NamedOrgNotFoundError","message":"...","actions":[...],"exitCode":1,...}} on failure.
 * Recent {@code sf} versions write an error envelope to stderr unless {@code SF_JSON_TO_STDOUT=true}, which is set
 * here; stderr is read too, for versions that ignore it. Immutable and thread-safe; each call is its own process.
 */
final class SfCli {
    /** A Salesforce session ID, {@code 00D<org>!<secret>}: scrubbed from any text {@code sf} printed. */
    private static final Pattern SESSION_ID = Pattern.compile("00D[A-Za-z0-9]{12,15}![^\\s\"',]+");
    /** More output than any {@code sf org} command prints; the rest is dropped. */
    private static final int MAX_OUTPUT = 4 * 1024 * 1024;
    private static final AtomicInteger READERS = new AtomicInteger();

    private final String executable;
    private final boolean explicitPath;
    private final Duration timeout;

    SfCli(String executable, Duration timeout) {
        this.executable = executable;
        this.explicitPath = executable.contains("/") || executable.contains(File.separator);
        this.timeout = timeout;
    }

    /** The executable a builder starts with: {@code sf} on the PATH ({@code sf.cmd} on Windows). */
    static String defaultExecutable() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "sf.cmd" : "sf";
    }

    String executable() {
        return executable;
    }

    /**
     * What {@code sf} answered.
     *
     * @param json its JSON envelope, or {@code null} when it printed none
     * @param exitCode its exit code
     * @param firstLine the first line it printed when there was no JSON (scrubbed of session IDs), else empty
     */
    record Answer(JsonNode json, int exitCode, String firstLine) {
        /** Whether the envelope says success: {@code status} 0 with a {@code result} object. */
        boolean ok() {
            return json != null && json.path("status").asInt(-1) == 0 && json.path("result").isObject()
                    && exitCode == 0;
        }

        JsonNode result() {
            return json.path("result");
        }

        /** The error's name ({@code NamedOrgNotFoundError}), or empty. */
        String errorName() {
            return json == null ? "" : json.path("name").asText("");
        }

        /** The error's message and the actions {@code sf} suggests, scrubbed, in one line. */
        String errorText() {
            if (json == null) {
                return "";
            }
            StringBuilder text = new StringBuilder(json.path("message").asText(""));
            for (JsonNode action : json.path("actions")) {
                if (!action.asText("").isBlank()) {
                    text.append(text.length() == 0 ? "" : " ").append(action.asText().trim());
                }
            }
            return scrub(text.toString().replaceAll("\\s+", " ").trim());
        }

        /** The warnings of a success envelope (strings, or objects with a message), scrubbed. */
        List<String> warnings() {
            List<String> warnings = new ArrayList<>();
            if (json != null) {
                for (JsonNode w : json.path("warnings")) {
                    String text = w.isTextual() ? w.asText() : w.path("message").asText("");
                    if (!text.isBlank()) {
                        warnings.add(scrub(text.replaceAll("\\s+", " ").trim()));
                    }
                }
            }
            return warnings;
        }
    }

    /**
     * Runs {@code sf} with these arguments ({@code --json} is the caller's to add) and waits for it.
     *
     * @throws AuthenticationException when the executable cannot be started, saying how to install it
     * @throws TransportException when it does not finish within the timeout, or the wait is interrupted
     */
    Answer run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("SF_JSON_TO_STDOUT", "true");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AuthenticationException(missing(e), e);
        }
        String what = "'" + String.join(" ", command.subList(1, command.size())) + "'";
        try {
            process.getOutputStream().close(); // sf must never wait for an answer on stdin
        } catch (IOException ignored) {
            // it did not start reading; nothing to close
        }
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                SfCli::reader);
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()),
                SfCli::reader);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TransportException("the Salesforce CLI did not answer " + what + " within "
                        + timeout.toSeconds() + " s (sf can be slow to start; raise the timeout if it is only slow)",
                        null);
            }
            byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            byte[] err = stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answer(out, err, process.exitValue());
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for the Salesforce CLI to answer " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            kill(process);
            throw new TransportException("could not read what the Salesforce CLI answered to " + what + ": " + e, e);
        }
    }

    /** sf is a script that starts node: end the whole tree, or node would keep the pipes open. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void reader(Runnable r) {
        Thread t = new Thread(r, "sfstream-sf-cli-" + READERS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (out.size() < MAX_OUTPUT) {
                    out.write(buffer, 0, Math.min(n, MAX_OUTPUT - out.size()));
                }
            }
        } catch (IOException ended) {
            // the process was killed: what was read is all there is
        }
        return out.toByteArray();
    }

    static Answer answer(byte[] stdout, byte[] stderr, int exitCode) {
        String out = new String(stdout, StandardCharsets.UTF_8);
        String err = new String(stderr, StandardCharsets.UTF_8);
        JsonNode json = envelope(out);
        if (json == null) {
            json = envelope(err);
        }
        String firstLine = "";
        if (json == null) {
            firstLine = firstLine(out);
            if (firstLine.isEmpty()) {
                firstLine = firstLine(err);
            }
        }
        return new Answer(json, exitCode, firstLine);
    }

    /** The JSON object in the text: all of it, or from its first line that opens an object (after a notice). */
    private static JsonNode envelope(String text) {
        JsonNode json = parse(text);
        if (json == null) {
            int start = text.startsWith("{") ? 0 : text.indexOf("\n{");
            int end = text.lastIndexOf('}');
            if (start >= 0 && end > start) {
                json = parse(text.substring(start, end + 1));
            }
        }
        return json;
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> scrub(l.length() > 200 ? l.substring(0, 200) + "..." : l)).orElse("");
    }

    static String scrub(String text) {
        return SESSION_ID.matcher(text).replaceAll("***");
    }

    private String missing(IOException e) {
        String install = "install the Salesforce CLI (https://developer.salesforce.com/tools/salesforcecli) or give "
                + "its path";
        if (!explicitPath) {
            return "the Salesforce CLI ('" + executable + "') was not found on the PATH: " + install;
        }
        Path path = Path.of(executable);
        String why = !Files.exists(path) ? "there is no such file"
                : !Files.isExecutable(path) ? "it is not executable" : String.valueOf(e.getMessage());
        return "the Salesforce CLI could not be run from " + executable + " (" + why + "): " + install;
    }
}
