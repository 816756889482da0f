package dev.sfstream.replay;

import dev.sfstream.ReplayStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Opens a file store in another JVM, as another consumer process would, and tells by its exit code whether it could. */
public final class LockProbe {
    static final int OPENED = 0;
    static final int REFUSED = 3;

    private LockProbe() {
    }

    public static void main(String[] args) {
        try (ReplayStore store = ReplayStore.file(Path.of(args[0]))) {
            System.exit(OPENED);
        } catch (ReplayStoreException e) {
            System.exit(REFUSED);
        }
    }

    /** Runs the probe on {@code file} in a new JVM; its exit code. */
    static int run(Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
                file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the lock probe did not finish within 30 s");
        }
        return p.exitValue();
    }
}
