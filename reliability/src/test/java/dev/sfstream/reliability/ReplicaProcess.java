package dev.sfstream.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A {@link ReplicaConsumer} in a child JVM: its stdout lines as they come, and the signals the tests send it. */
final class ReplicaProcess implements AutoCloseable {
    final String name;
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    private ReplicaProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "replica-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a replica and waits (60 s at most) until it is open, active or standby. */
    static ReplicaProcess start(String emulatorUrl, String store, String namespace, String name, String group,
            Duration leaseTtl, Duration work, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReplicaConsumer.class.getName(), emulatorUrl, store, namespace,
                name, group == null ? "-" : group, Long.toString(leaseTtl.toMillis()), Long.toString(work.toMillis()),
                output == null ? "-" : output.toString())
                .redirectErrorStream(true).start();
        ReplicaProcess replica = new ReplicaProcess(name, p);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> replica.saw("ready") || !p.isAlive());
        if (!p.isAlive()) {
            throw new AssertionError("replica " + name + " did not start: " + replica.lines);
        }
        return replica;
    }

    boolean saw(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** Whether its last state line says it consumes. */
    boolean active() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.startsWith("state ")) {
                return l.startsWith("state CONNECTED");
            }
        }
        return false;
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT");
            kill9();
        }
    }

    @Override
    public String toString() {
        return name + lines;
    }
}
