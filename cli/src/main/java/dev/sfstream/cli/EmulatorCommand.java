package dev.sfstream.cli;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sfstream emulator}: a local Salesforce org in the foreground. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Run the local Salesforce org emulator in the foreground; prints its URL and credentials.",
            "Point any Streaming API client at the URL: it is the login URL and the instance URL. The Pub/Sub API "
                + "(gRPC) is served on its own port, on the same org and events."},
        footer = {"", "Example:", "  sfstream emulator --port 8080", "", ExitCode.HELP})
final class EmulatorCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (0 for any free one) "
            + "[default: ${DEFAULT-VALUE}].")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on [default: ${DEFAULT-VALUE}]. Any other than loopback (0.0.0.0, a LAN "
                    + "address) lets everyone who can reach it use the org: the fault endpoints take no token.")
    String host;

    @Option(names = "--advertised-url", paramLabel = "URL", description = "URL to hand out as instance_url in token "
            + "responses, for clients behind a proxy [default: the address each client used].")
    String advertisedUrl;

    @Option(names = "--pubsub-port", paramLabel = "N", defaultValue = "7443", description = "Port of the Pub/Sub API "
            + "(gRPC, TLS with a self-signed certificate; 0 for any free one) [default: ${DEFAULT-VALUE}, or a free "
            + "one with --port 0].")
    int pubSubPort;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration: users, connected apps, "
            + "timeouts, limits (see the README).")
    Path config;

    @Option(names = "--data", paramLabel = "FILE", description = "Keep the org (records, events) in FILE across "
            + "restarts.")
    Path data;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        // Options given explicitly win over the configuration file; the defaults shown in --help are fromOptions'.
        Emulator emulator = EmulatorConfig.fromOptions(config,
                parsed.hasMatchedOption("--port") ? port : null,
                parsed.hasMatchedOption("--host") ? host : null, data, advertisedUrl,
                parsed.hasMatchedOption("--pubsub-port") ? pubSubPort : null).build();
        warnIfExposed(emulator, spec.commandLine().getErr());
        emulator.start();
        PrintWriter out = spec.commandLine().getOut();
        out.println("sfstream emulator listening on " + emulator.url());
        out.println("  web console: " + emulator.url() + "/ (in a browser: the org, its topics and events live)");
        if (!emulator.pubSubEndpoint().isEmpty()) {
            out.println("  Pub/Sub API (gRPC): " + emulator.pubSubEndpoint() + (emulator.pubSub().plaintext()
                    ? ", plaintext" : ", TLS with a self-signed certificate (clients: trust it or turn checks off)"));
        }
        out.println("  login URL: " + emulator.url() + "; instance URL handed out: "
                + emulator.advertisedUrl().orElse("the address each client used"));
        emulator.credentials().forEach(line -> out.println("  " + line));
        out.println("  faults: POST " + emulator.url() + "/emulator/{revoke-tokens,drop-sessions,busy?seconds=N,"
                + "advance-clock?hours=N,pubsub/reset-streams,pubsub/stall?seconds=N,pubsub/exhaust?seconds=N}; "
                + "GET /emulator/status");
        out.println("Ctrl-C to stop.");
        out.flush();
        emulator.awaitShutdown();
        return ExitCode.OK;
    }

    /**
     * Prints the emulator's exposure warning on {@code err} when it is to listen beyond loopback, before it starts.
     *
     * @return whether it printed one
     */
    static boolean warnIfExposed(Emulator emulator, PrintWriter err) {
        Optional<String> warning = emulator.exposureWarning();
        warning.ifPresent(text -> {
            err.println(text);
            err.flush();
        });
        return warning.isPresent();
    }
}
