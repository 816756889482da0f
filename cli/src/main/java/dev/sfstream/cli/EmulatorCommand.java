package dev.sfstream.cli;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sfstream emulator}: a local Salesforce org in the foreground. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Run the local Salesforce org emulator in the foreground; prints its URL and credentials.",
            "Point any Streaming API client at the URL: it is the login URL and the instance URL."},
        footer = {"", "Example:", "  sfstream emulator --port 8080", "", ExitCode.HELP})
final class EmulatorCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (0 for any free one) "
            + "[default: ${DEFAULT-VALUE}].")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on [default: ${DEFAULT-VALUE}].")
    String host;

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
        Emulator.Builder builder = EmulatorConfig.fromOptions(config,
                parsed.hasMatchedOption("--port") ? port : null,
                parsed.hasMatchedOption("--host") ? host : null, data);
        Emulator emulator = builder.build().start();
        PrintWriter out = spec.commandLine().getOut();
        out.println("sfstream emulator listening on " + emulator.url());
        out.println("  login and instance URL: " + emulator.url());
        emulator.credentials().forEach(line -> out.println("  " + line));
        out.println("  faults: POST " + emulator.url() + "/emulator/{revoke-tokens,drop-sessions,busy?seconds=N,"
                + "advance-clock?hours=N}; GET /emulator/status");
        out.println("Ctrl-C to stop.");
        out.flush();
        emulator.awaitShutdown();
        return ExitCode.OK;
    }
}
