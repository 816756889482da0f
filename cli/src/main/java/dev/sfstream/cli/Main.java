package dev.sfstream.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code sfstream} command. */
@Command(name = "sfstream", mixinStandardHelpOptions = true, version = "sfstream 0.1.0",
        description = "Salesforce Streaming API from the command line: stream events, manage PushTopics, run a "
                + "local org emulator.",
        subcommands = {DemoCommand.class, ListenCommand.class, TopicCommand.class, RecordCommand.class,
            PublishCommand.class, EmulatorCommand.class, CommandLine.HelpCommand.class},
        footer = {"", ExitCode.HELP})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces and informational logs.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        configureLogging(args);
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** The width help is laid out in: wide enough that no example command or URL is broken across lines. */
    static final int HELP_WIDTH = 120;

    /** The command line, with sfstream's exit codes and one-line errors. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setUsageHelpWidth(HELP_WIDTH);
        cmd.setParameterExceptionHandler((ex, args) -> {
            // A usage error: the error and where to read more, not the whole help.
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("sfstream: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCode.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable e = ex instanceof CommandLine.ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
            err.println("sfstream: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + hint(e));
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                    || deepVerbose(parseResult);
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCode.of(e);
        });
        return cmd;
    }

    /** What to check when nothing listens at the address (a local emulator that is not running, a wrong URL). */
    static String hint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return " (nothing answers at that address: is `sfstream emulator` running, or is the URL right?)";
            }
        }
        return "";
    }

    private static boolean deepVerbose(CommandLine.ParseResult p) {
        CommandLine.ParseResult current = p;
        while (current != null) {
            if (current.hasMatchedOption("--verbose")) {
                return true;
            }
            current = current.subcommand();
        }
        return false;
    }

    /** Quiet logs by default (warnings only); informational logs with --verbose. Logs go to stderr. */
    static void configureLogging(String[] args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.cometd", "warn");
        if (!verbose) {
            // The command reports fatal errors and replay gaps itself, in one line each.
            System.setProperty("org.slf4j.simpleLogger.log.dev.sfstream.bayeux.BayeuxSession", "off");
            System.setProperty("org.slf4j.simpleLogger.log.dev.sfstream.ReplayStarts", "error");
        }
    }
}
