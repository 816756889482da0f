package dev.sfstream.bench;

import dev.sfstream.emulator.Emulator;
import java.io.IOException;
import java.time.Duration;

/**
 * An emulator in its own JVM, so that what a benchmark measures on one side (client heap, load generator) is not
 * mixed with the other. Prints {@code URL <url>} when it listens and stops when its standard input closes.
 */
public final class EmulatorProcess {
    private EmulatorProcess() {
    }

    public static void main(String[] args) throws IOException {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Emulator emulator = Emulator.builder().quiet(true).concurrentClientLimit(clients)
                .longPollTimeout(Duration.ofSeconds(110)).reconnectTimeout(Duration.ofSeconds(120)).build().start();
        System.out.println("URL " + emulator.url());
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until the parent closes our standard input
        }
        emulator.close();
    }
}
