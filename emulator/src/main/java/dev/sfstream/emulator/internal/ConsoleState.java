package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.EmulatorUser;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the console's front page shows besides the events: the org (users, connected apps, API versions, Change Data
 * Capture types, declared platform events), its PushTopics and streaming channels, and {@code /emulator/status}
 * (clients, channels with subscribers and last replay ID, the Pub/Sub endpoint and streams, the org's clock). No
 * password, secret or token is in it.
 *
 * <p>The clock is given to the second and the JVM's figures are left out, so the state is the same text from one
 * look to the next unless something happened, and {@link ConsoleFeed} sends it only when it changed.
 */
final class ConsoleState {
    private static final List<String> PUSH_TOPIC_FIELDS = List.of("Id", "Name", "Query", "ApiVersion", "IsActive",
            "NotifyForFields", "NotifyForOperationCreate", "NotifyForOperationUpdate", "NotifyForOperationDelete",
            "NotifyForOperationUndelete", "Description");

    private final EmulatedOrg org;
    private final Faults faults;

    ConsoleState(EmulatedOrg org, Faults faults) {
        this.org = org;
        this.faults = faults;
    }

    Map<String, Object> build() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("org", orgInfo());
        state.put("pushTopics", pushTopics());
        state.put("streamingChannels", streamingChannels());
        Map<String, Object> status = faults.status();
        status.remove("jvm");
        status.put("time", org.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
        state.put("status", status);
        return state;
    }

    private Map<String, Object> orgInfo() {
        Settings settings = org.settings();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", org.orgId());
        List<Map<String, Object>> users = new ArrayList<>();
        for (EmulatorUser user : settings.users()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("username", user.username());
            u.put("id", org.userId(user.username()).orElse(null));
            u.put("name", (user.firstName() + " " + user.lastName()).trim());
            users.add(u);
        }
        info.put("users", users);
        List<Map<String, Object>> apps = new ArrayList<>();
        for (ConnectedApp app : settings.apps()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("clientId", app.clientId());
            a.put("runAs", app.runAsUsername());
            a.put("jwt", app.jwtKey() != null);
            apps.add(a);
        }
        info.put("connectedApps", apps);
        info.put("apiVersions", Map.of("oldest", RestServlet.OLDEST_VERSION + "", "latest",
                RestServlet.LATEST_VERSION + ""));
        info.put("changeDataCapture", settings.changeDataCaptureTypes().stream().sorted().toList());
        Map<String, Object> declared = new TreeMap<>();
        settings.platformEventSchemas().values().forEach(s -> declared.put(s.name(), s.fields()));
        info.put("platformEvents", declared);
        return info;
    }

    private List<Map<String, Object>> pushTopics() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : org.data().records("PushTopic")) {
            Map<String, Object> topic = new LinkedHashMap<>();
            PUSH_TOPIC_FIELDS.forEach(f -> topic.put(f, record.get(f)));
            out.add(topic);
        }
        out.sort(Comparator.comparing(t -> String.valueOf(t.get("Name"))));
        return out;
    }

    private List<Map<String, Object>> streamingChannels() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : org.data().records("StreamingChannel")) {
            Map<String, Object> channel = new LinkedHashMap<>();
            channel.put("Id", record.get("Id"));
            channel.put("Name", record.get("Name"));
            channel.put("Description", record.get("Description"));
            out.add(channel);
        }
        out.sort(Comparator.comparing(c -> String.valueOf(c.get("Name"))));
        return out;
    }
}
