package dev.sfstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.ChannelName;
import dev.sfstream.RestException;
import dev.sfstream.internal.Json;
import dev.sfstream.rest.SalesforceRest;
import dev.sfstream.soql.Soql;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfstream publish}: a platform event or a generic channel push. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a platform event (/event/Name__e, JSON object of fields) or push a payload on a "
                + "generic channel (/u/..., the JSON text is the payload)."},
        footer = {"", "Examples:", "  sfstream publish /event/Order_Placed__e '{\"Order_Number__c\":\"42\"}' "
            + "--emulator http://127.0.0.1:8080",
            "  sfstream publish /u/Notifications '{\"hello\":\"world\"}' --emulator http://127.0.0.1:8080", "",
            ExitCode.HELP})
final class PublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHANNEL",
            description = "/event/Name__e (a platform event) or /u/Name (a generic channel that exists).")
    String channel;
    @Parameters(index = "1", paramLabel = "JSON",
            description = "The event's fields as a JSON object, or the generic payload (any text).")
    String json;
    @Mixin Credentials credentials = new Credentials();
    @Mixin TransportOptions transportOptions = new TransportOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChannelName name = ChannelName.of(channel);
        dev.sfstream.transport.Transport transport = transportOptions.transport(credentials);
        if (transport instanceof dev.sfstream.pubsub.PubSubTransport pubSub) {
            return publishOverPubSub(pubSub, name);
        }
        SalesforceRest rest = TopicCommand.rest(credentials, "64.0");
        switch (name.kind()) {
            case PLATFORM_EVENT -> {
                Map<String, Object> fields = parseObject(json);
                String type = name.base().substring("/event/".length());
                spec.commandLine().getOut().println("published " + rest.publish(type, fields));
            }
            case GENERIC -> {
                var records = rest.query("SELECT Id, Name FROM StreamingChannel WHERE Name = "
                        + Soql.quote(name.base())).records();
                if (records.isEmpty()) {
                    // A channel that does not exist is refused (exit 1), as Salesforce refuses a push to it.
                    String text = "no StreamingChannel named " + name.base() + ": create it first with "
                            + "`sfstream record create StreamingChannel Name=" + name.base() + "`";
                    throw new RestException(404, List.of(new RestException.Error("NOT_FOUND", text,
                            List.of("Name"))), "publish to " + name.base());
                }
                JsonNode answer = rest.push(records.get(0).path("Id").asText(), json, List.of());
                spec.commandLine().getOut().println("pushed to " + name.base() + ": " + answer);
            }
            default -> throw new IllegalArgumentException("publish takes a platform event channel (/event/...__e) "
                    + "or a generic channel (/u/...); " + channel + " changes only when records change");
        }
        return ExitCode.OK;
    }

    /** A platform event over the Pub/Sub API's PublishStream: the result names its replay ID, or why it was refused. */
    private Integer publishOverPubSub(dev.sfstream.pubsub.PubSubTransport pubSub, ChannelName name) {
        pubSub.checkChannel(name);
        if (name.kind() != ChannelName.Kind.PLATFORM_EVENT) {
            throw new IllegalArgumentException("publish over the Pub/Sub API takes a platform event channel "
                    + "(/event/...__e), got " + channel);
        }
        try (dev.sfstream.pubsub.PubSubPublisher publisher = dev.sfstream.pubsub.PubSubPublisher.builder()
                .authenticator(credentials.authenticator()).transport(pubSub).topic(name.base()).build()) {
            dev.sfstream.pubsub.PublishResult result = dev.sfstream.internal.Futures.await(publisher.publish(
                    parseObject(json)), java.time.Duration.ofSeconds(60), "publishing to " + name.base());
            if (!result.isPublished()) {
                throw new RestException(400, List.of(new RestException.Error("PUBLISH_REFUSED", result.error(),
                        List.of())), "publish to " + name.base());
            }
            spec.commandLine().getOut().println("published at replay ID " + result.position().orElseThrow()
                    .replayId());
            return ExitCode.OK;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseObject(String json) {
        try {
            Object value = Json.MAPPER.readValue(json, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalArgumentException("the platform event must be a JSON object of fields, such as "
                + "'{\"Order_Number__c\":\"42\"}'");
    }
}
