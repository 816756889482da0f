package dev.sfstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link EmulatorProcess} in its own JVM and stops it by closing its standard input. */
final class ChildEmulator implements AutoCloseable {
    private final Process process;
    private final String url;
    private String pubSubEndpoint = "";
    private final BufferedReader output;

    ChildEmulator(String heap, int clients) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        // e.g. -Dsfstream.bench.emulatorJvmArgs=-XX:StartFlightRecording=filename=emulator.jfr to profile it
        String extra = System.getProperty("sfstream.bench.emulatorJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmulatorProcess.class.getName(),
                Integer.toString(clients)));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = reader.readLine();
        while (line != null && !line.startsWith("URL ")) {
            if (line.startsWith("PUBSUB ")) {
                pubSubEndpoint = line.substring(7).trim();
            }
            line = reader.readLine(); // the JVM's own notices (a flight recording, say) come first
        }
        if (line == null || !line.startsWith("URL ")) {
            process.destroyForcibly();
            throw new IOException("the emulator process did not start: " + line);
        }
        url = line.substring(4).trim();
        output = reader;
    }

    /** The emulator's live heap, after a full collection in its JVM. */
    long liveHeapBytes() throws IOException {
        process.getOutputStream().write("heap\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        String line = output.readLine();
        while (line != null && !line.startsWith("HEAP ")) {
            line = output.readLine();
        }
        if (line == null) {
            throw new IOException("the emulator process ended");
        }
        return Long.parseLong(line.substring(5).trim());
    }

    /** Publishes {@code n} platform events of type {@code name} in the emulator's JVM and waits until they are. */
    void publish(String name, int n) throws IOException {
        process.getOutputStream().write(("publish " + name + " " + n + "\n").getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        String line = output.readLine();
        while (line != null && !line.startsWith("PUBLISHED ")) {
            line = output.readLine();
        }
        if (line == null) {
            throw new IOException("the emulator process ended");
        }
    }

    String url() {
        return url;
    }

    /** The emulator's Pub/Sub API, plaintext: {@code host:port}. */
    String pubSubEndpoint() {
        return pubSubEndpoint;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
