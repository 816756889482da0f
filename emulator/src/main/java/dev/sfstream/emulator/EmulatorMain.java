package dev.sfstream.emulator;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own command line, for builds without the {@code sfstream} CLI:
 * {@code java -cp ... dev.sfstream.emulator.EmulatorMain [--port N] [--host ADDRESS] [--config FILE] [--data FILE]
 * [--advertised-url URL] [--pubsub-port N]},
 * the options of {@code sfstream emulator}. Runs in the foreground until Ctrl-C.
 */
public final class EmulatorMain {
    private static final String USAGE = "usage: EmulatorMain [--port N] [--host ADDRESS] [--config FILE] [--data FILE] "
            + "[--advertised-url URL] [--pubsub-port N]";
    private static final List<String> OPTIONS = List.of("--port", "--host", "--config", "--data", "--advertised-url",
            "--pubsub-port");

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Emulator emulator;
        try {
            Map<String, String> options = parse(args);
            if (options == null) {
                System.out.println(USAGE);
                return;
            }
            emulator = EmulatorConfig.fromOptions(
                    options.containsKey("--config") ? Path.of(options.get("--config")) : null,
                    options.containsKey("--port") ? port(options.get("--port")) : null,
                    options.get("--host"),
                    options.containsKey("--data") ? Path.of(options.get("--data")) : null,
                    options.get("--advertised-url"),
                    options.containsKey("--pubsub-port") ? port(options.get("--pubsub-port")) : null).build();
            emulator.exposureWarning().ifPresent(System.err::println);
            emulator.start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("emulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("sfstream emulator listening on " + emulator.url());
        System.out.println("  web console: " + emulator.url() + "/");
        System.out.println("  Pub/Sub API (gRPC" + (emulator.pubSub().plaintext() ? ", plaintext" : ", TLS, self-signed")
                + "): " + emulator.pubSubEndpoint());
        emulator.advertisedUrl().ifPresent(url -> System.out.println("  instance URL handed out: " + url));
        emulator.credentials().forEach(line -> System.out.println("  " + line));
        emulator.awaitShutdown();
    }

    /** The options as a map ({@code --name value} or {@code --name=value}), or {@code null} for {@code --help}. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option " + arg + "; " + USAGE);
            }
            if (eq < 0 && i + 1 == args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            options.put(name, eq < 0 ? args[++i] : arg.substring(eq + 1));
        }
        return options;
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a port must be a number, got '" + value + "'");
        }
    }
}
