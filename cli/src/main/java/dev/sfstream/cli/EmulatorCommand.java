package dev.sfstream.cli;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        Emulator.Builder builder = Emulator.builder().quiet(true);
        if (config != null) {
            EmulatorConfig.apply(config, builder);
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (config == null || parsed.hasMatchedOption("--port")) {
            builder.port(port);
        }
        if (config == null || parsed.hasMatchedOption("--host")) {
            builder.host(host);
        }
        if (data != null) {
            builder.dataFile(data);
        }
        Emulator emulator = builder.build().start();
        PrintWriter out = spec.commandLine().getOut();
        out.println("sfstream emulator listening on " + emulator.url());
        out.println("  login and instance URL: " + emulator.url());
        out.println("  username " + Emulator.DEFAULT_USERNAME + ", password " + Emulator.DEFAULT_PASSWORD
                + " (unless --config says otherwise)");
        out.println("  connected app: client id " + Emulator.DEFAULT_CLIENT_ID + ", secret "
                + Emulator.DEFAULT_CLIENT_SECRET);
        out.println("  faults: POST " + emulator.url() + "/emulator/{revoke-tokens,drop-sessions,busy?seconds=N,"
                + "advance-clock?hours=N}; GET /emulator/status");
        out.println("Ctrl-C to stop.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "sfstream-emulator-shutdown"));
        stopped.await();
        return ExitCode.OK;
    }
}
