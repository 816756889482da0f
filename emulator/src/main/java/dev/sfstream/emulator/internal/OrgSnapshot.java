package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The emulated org on disk, so that an emulator restarted with the same data file is the same org: its ID, its
 * records (PushTopics and users included, deleted ones in the recycle bin) and the retained events of every
 * channel with their replay IDs. Tokens are not kept: clients log in again, as after a Salesforce restart.
 * Written atomically (a temporary file, then a rename).
 */
final class OrgSnapshot {
    static final String FORMAT = "sfstream-emulator-org/1";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private OrgSnapshot() {
    }

    static void write(Path file, String orgId, SalesforceIds ids, OrgData data, StreamingHub hub, Instant now)
            throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("orgId", orgId);
        root.put("idCounter", ids.counter());
        ArrayNode records = root.putArray("records");
        for (OrgData.StoredRecord r : data.export()) {
            ObjectNode n = records.addObject();
            n.put("type", r.type());
            n.put("id", r.id());
            n.put("deleted", r.deleted());
            n.set("fields", Json.MAPPER.valueToTree(r.fields()));
        }
        ObjectNode channels = root.putObject("channels");
        hub.logs().forEach((name, log) -> {
            ObjectNode c = channels.putObject(name);
            c.put("lastReplayId", log.lastReplayId());
            ArrayNode events = c.putArray("events");
            for (RetainedEvent e : log.retained(now)) {
                ObjectNode n = events.addObject();
                n.put("replayId", e.replayId);
                n.put("createdAt", e.createdAt.toString());
                n.set("data", Json.MAPPER.valueToTree(e.data));
                if (e.record != null) {
                    n.set("record", Json.MAPPER.valueToTree(e.record));
                }
                if (e.userIds != null) {
                    n.set("userIds", Json.MAPPER.valueToTree(e.userIds));
                }
            }
        });
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, Json.MAPPER.writeValueAsBytes(root));
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** What a snapshot holds, read back. */
    record Loaded(String orgId, long idCounter, List<OrgData.StoredRecord> records,
            Map<String, LoadedChannel> channels) {
    }

    record LoadedChannel(long lastReplayId, List<RetainedEvent> events) {
    }

    /**
     * Reads a snapshot.
     *
     * @throws IllegalArgumentException naming the file and what is wrong; the file is left as it is
     */
    static Loaded read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("the emulator data file " + file + " cannot be read: " + e.getMessage(),
                    e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("the emulator data file " + file + " is not an sfstream emulator org ("
                    + "expected format " + FORMAT + "); move it away to start a new org");
        }
        List<OrgData.StoredRecord> records = new ArrayList<>();
        for (JsonNode r : root.path("records")) {
            records.add(new OrgData.StoredRecord(r.path("type").asText(), r.path("id").asText(),
                    r.path("deleted").asBoolean(), Json.MAPPER.convertValue(r.path("fields"), MAP)));
        }
        Map<String, LoadedChannel> channels = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> c : root.path("channels").properties()) {
            List<RetainedEvent> events = new ArrayList<>();
            for (JsonNode e : c.getValue().path("events")) {
                Set<String> userIds = null;
                if (e.has("userIds")) {
                    userIds = new HashSet<>();
                    for (JsonNode u : e.get("userIds")) {
                        userIds.add(u.asText());
                    }
                }
                events.add(new RetainedEvent(e.path("replayId").asLong(), Instant.parse(e.path("createdAt").asText()),
                        Json.MAPPER.convertValue(e.path("data"), MAP),
                        e.has("record") ? Json.MAPPER.convertValue(e.get("record"), MAP) : null, userIds));
            }
            channels.put(c.getKey(), new LoadedChannel(c.getValue().path("lastReplayId").asLong(), events));
        }
        return new Loaded(root.path("orgId").asText(), root.path("idCounter").asLong(), records, channels);
    }
}
