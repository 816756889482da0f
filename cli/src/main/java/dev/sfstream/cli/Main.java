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

    /** The command line, with sfstream's exit codes and one-line errors. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable e = ex instanceof CommandLine.ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
            err.println("sfstream: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
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
            // The command reports fatal errors itself, in one line.
            System.setProperty("org.slf4j.simpleLogger.log.dev.sfstream.bayeux.BayeuxSession", "off");
        }
    }
}
