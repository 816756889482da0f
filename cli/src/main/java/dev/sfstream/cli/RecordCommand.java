package dev.sfstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.internal.Json;
import dev.sfstream.rest.SalesforceRest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfstream record ...}: make record events happen. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Create, update, delete and undelete records, to make notifications happen.",
        subcommands = {RecordCommand.Create.class, RecordCommand.Update.class, RecordCommand.Delete.class,
            RecordCommand.Undelete.class},
        footer = {"", "Field=Value sets a string; Field:=JSON sets a typed value (Field:=42, Field:=true, "
            + "Field:=null).", "", "Example:", "  sfstream record create Lead LastName=Doe Company=Acme "
            + "--emulator http://127.0.0.1:8080", "", ExitCode.HELP})
final class RecordCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads {@code Field=value} (a string) and {@code Field:=json} (a typed value). */
    static Map<String, Object> fields(List<String> assignments) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String a : assignments == null ? List.<String>of() : assignments) {
            int typed = a.indexOf(":=");
            int eq = a.indexOf('=');
            if (typed > 0 && typed < eq) {
                String json = a.substring(typed + 2);
                try {
                    fields.put(a.substring(0, typed), Json.MAPPER.readValue(json, Object.class));
                } catch (IOException e) {
                    throw new IllegalArgumentException("'" + a + "': the value after := must be JSON (42, true, null, "
                            + "\"text\")");
                }
            } else if (eq > 0) {
                fields.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("'" + a + "' is not Field=Value or Field:=JSON");
            }
        }
        return fields;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a record; prints its ID.")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The sObject type, such as Lead.") String type;
        @Parameters(index = "1..*", paramLabel = "Field=Value",
                description = "Field=text sets a string, Field:=JSON a typed value.") List<String> assignments;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SalesforceRest rest = TopicCommand.rest(credentials, "64.0");
            spec.commandLine().getOut().println(rest.create(type, fields(assignments)));
            return ExitCode.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a record's fields.")
    static final class Update implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The sObject type, such as Lead.") String type;
        @Parameters(index = "1", paramLabel = "ID", description = "The record's Id.") String id;
        @Parameters(index = "2..*", paramLabel = "Field=Value",
                description = "Field=text sets a string, Field:=JSON a typed value.") List<String> assignments;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TopicCommand.rest(credentials, "64.0").update(type, id, fields(assignments));
            spec.commandLine().getOut().println("updated " + id);
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a record (to the recycle bin).")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The sObject type, such as Lead.") String type;
        @Parameters(index = "1", paramLabel = "ID", description = "The record's Id.") String id;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TopicCommand.rest(credentials, "64.0").delete(type, id);
            spec.commandLine().getOut().println("deleted " + id);
            return ExitCode.OK;
        }
    }

    @Command(name = "undelete", mixinStandardHelpOptions = true,
            description = "Restore a deleted record (the emulator only: Salesforce's REST API has no undelete).")
    static final class Undelete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The sObject type, such as Lead.") String type;
        @Parameters(index = "1", paramLabel = "ID", description = "The record's Id.") String id;
        @Mixin Credentials credentials = new Credentials();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (credentials.emulatorUrl() == null) {
                throw new IllegalArgumentException("undelete works against the emulator only (--emulator URL): "
                        + "Salesforce's REST API has no undelete call");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.emulatorUrl() + "/emulator/undelete/"
                    + id)).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                JsonNode body = Json.MAPPER.readTree(response.body());
                spec.commandLine().getErr().println("sfstream: " + body.path(0).path("errorCode").asText() + ", "
                        + body.path(0).path("message").asText());
                return ExitCode.REFUSED;
            }
            spec.commandLine().getOut().println("undeleted " + id + " (" + type + ")");
            return ExitCode.OK;
        }
    }
}
