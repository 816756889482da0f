package dev.sfstream.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sfstream.internal.Json;
import dev.sfstream.rest.PushTopic;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.PushTopics;
import dev.sfstream.rest.SalesforceRest;
import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.PushTopicQuery;
import dev.sfstream.soql.PushTopicRules;
import dev.sfstream.soql.RuleViolation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfstream topic ...}: PushTopic administration, and offline validation of a query. */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "Declare, list, inspect, deactivate and delete PushTopics; validate a query offline.",
        subcommands = {TopicCommand.Validate.class, TopicCommand.Declare.class, TopicCommand.ListTopics.class,
            TopicCommand.Get.class, TopicCommand.Deactivate.class, TopicCommand.Delete.class},
        footer = {"", ExitCode.HELP})
final class TopicCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static NotifyForFields mode(String value) {
        return NotifyForFields.fromSalesforceName(value);
    }

    /** {@code topic validate}: Salesforce's rules, offline. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a PushTopic query offline with Salesforce's rules; print Salesforce's error "
                    + "(INVALID_FIELD, ...) and exit 1 when it would be refused, exit 0 when it is fine."},
            footer = {"", "Example:", "  sfstream topic validate \"SELECT Id, Name FROM Account LIMIT 5\"", "",
                ExitCode.HELP})
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SOQL", description = "The PushTopic query.")
        String soql;

        @Option(names = "--notify-for-fields", paramLabel = "MODE", defaultValue = "Referenced",
                description = "All, Referenced, Select or Where [default: ${DEFAULT-VALUE}].")
        String notifyForFields;

        @Option(names = "--name", paramLabel = "NAME", description = "Also check a topic name.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<RuleViolation> violations = new ArrayList<>();
            if (name != null) {
                violations.addAll(PushTopicRules.checkName(name));
            }
            violations.addAll(PushTopicQuery.check(soql, mode(notifyForFields)));
            PrintWriter out = spec.commandLine().getOut();
            if (violations.isEmpty()) {
                out.println("OK: Salesforce accepts this PushTopic query (NotifyForFields "
                        + mode(notifyForFields).salesforceName() + ")");
                return ExitCode.OK;
            }
            violations.forEach(out::println);
            return ExitCode.REFUSED;
        }
    }

    /** {@code topic declare}: create or update by name. */
    @Command(name = "declare", mixinStandardHelpOptions = true,
            description = "Create the PushTopic, or update the one with that name; checked offline first.",
            footer = {"", "Example:", "  sfstream topic declare LeadCreation \"SELECT Id, FirstName, LastName, Company"
                + " FROM Lead\" --emulator http://127.0.0.1:8080", "", ExitCode.HELP})
    static final class Declare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The PushTopic's name.") String name;
        @Parameters(index = "1", paramLabel = "SOQL", description = "The PushTopic query.") String soql;

        @Option(names = "--notify-for-fields", paramLabel = "MODE", defaultValue = "Referenced",
                description = "All, Referenced, Select or Where [default: ${DEFAULT-VALUE}].")
        String notifyForFields;

        @Option(names = "--no-create", description = "Do not notify on create.") boolean noCreate;
        @Option(names = "--no-update", description = "Do not notify on update.") boolean noUpdate;
        @Option(names = "--no-delete", description = "Do not notify on delete.") boolean noDelete;
        @Option(names = "--no-undelete", description = "Do not notify on undelete.") boolean noUndelete;
        @Option(names = "--description", paramLabel = "TEXT") String description;

        @Option(names = "--api-version", paramLabel = "VERSION", defaultValue = "64.0",
                description = "API version of the topic and the REST calls [default: ${DEFAULT-VALUE}].")
        String apiVersion;

        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PushTopicDefinition definition = PushTopicDefinition.builder().name(name).query(soql)
                    .apiVersion(apiVersion).notifyForFields(mode(notifyForFields))
                    .notifyForOperationCreate(!noCreate).notifyForOperationUpdate(!noUpdate)
                    .notifyForOperationDelete(!noDelete).notifyForOperationUndelete(!noUndelete)
                    .description(description).build();
            PushTopics.checkOffline(definition);
            PushTopics topics = new PushTopics(rest(credentials, apiVersion));
            PushTopic topic = topics.declare(definition);
            spec.commandLine().getOut().println("declared " + topic.channel() + " (" + topic.id() + ")");
            return ExitCode.OK;
        }
    }

    /** {@code topic list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the org's PushTopics.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<PushTopic> topics = topics(credentials).list();
            out.printf("%-25s  %-6s  %-10s  %s%n", "NAME", "ACTIVE", "NOTIFY", "QUERY");
            for (PushTopic t : topics) {
                out.printf("%-25s  %-6s  %-10s  %s%n", t.name(), t.active() ? "yes" : "no",
                        t.definition().notifyForFields().salesforceName(), t.definition().query());
            }
            return ExitCode.OK;
        }
    }

    /** {@code topic get}. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one PushTopic as JSON.")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The PushTopic's name.") String name;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PushTopic topic = topics(credentials).get(name).orElse(null);
            if (topic == null) {
                spec.commandLine().getErr().println("sfstream: no PushTopic named " + name);
                return ExitCode.REFUSED;
            }
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("id", topic.id());
            json.put("channel", topic.channel());
            json.put("definition", topic.definition());
            spec.commandLine().getOut().println(Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(json));
            return ExitCode.OK;
        }
    }

    /** A command on one PushTopic by name, which prints what it did. */
    abstract static class OnOneTopic implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The PushTopic's name.") String name;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        /** Does it; returns what to print. */
        abstract String act(PushTopics topics);

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(act(topics(credentials)));
            return ExitCode.OK;
        }
    }

    /** {@code topic deactivate}. */
    @Command(name = "deactivate", mixinStandardHelpOptions = true, description = "Stop a PushTopic notifying.")
    static final class Deactivate extends OnOneTopic {
        @Override
        String act(PushTopics topics) {
            topics.deactivate(name);
            return "deactivated /topic/" + name;
        }
    }

    /** {@code topic delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a PushTopic.")
    static final class Delete extends OnOneTopic {
        @Override
        String act(PushTopics topics) {
            topics.delete(name);
            return "deleted /topic/" + name;
        }
    }

    /** PushTopic administration at the API version the commands use. */
    static PushTopics topics(Credentials credentials) {
        return new PushTopics(rest(credentials, "64.0"));
    }

    static SalesforceRest rest(Credentials credentials, String apiVersion) {
        return SalesforceRest.builder().authenticator(credentials.authenticator()).apiVersion(apiVersion).build();
    }
}
