package dev.sfstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Starts {@link EmulatorProcess} in its own JVM and stops it by closing its standard input. */
final class ChildEmulator implements AutoCloseable {
    private final Process process;
    private final String url;

    ChildEmulator(String heap, int clients) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                EmulatorProcess.class.getName(), Integer.toString(clients))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || !line.startsWith("URL ")) {
            process.destroyForcibly();
            throw new IOException("the emulator process did not start: " + line);
        }
        url = line.substring(4).trim();
    }

    String url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
