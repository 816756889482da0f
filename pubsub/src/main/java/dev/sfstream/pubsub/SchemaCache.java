package dev.sfstream.pubsub;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The Avro schemas of the events a transport decoded, by schema ID: each event names the schema it was written with,
 * and one topic carries several (a field was added, a custom channel carries several event types), so schemas are
 * never cached by topic. A schema ID is a hash of the schema, so a schema never changes under its ID and an entry
 * never expires. One {@code GetSchema} is in flight per ID, whoever asks; a failed fetch is forgotten, so the next
 * event asks again. Thread-safe.
 */
final class SchemaCache {
    /** More distinct schemas than any org has event types: past it, the cache starts over. */
    private static final int MAX_SCHEMAS = 10_000;

    private final Map<String, CompletableFuture<EventDecoder.Compiled>> byId = new ConcurrentHashMap<>();

    /** The compiled schema of an ID if it is loaded; null when it is not (yet). */
    EventDecoder.Compiled getNow(String id) {
        CompletableFuture<EventDecoder.Compiled> f = byId.get(id);
        return f == null || !f.isDone() || f.isCompletedExceptionally() ? null : f.join();
    }

    /**
     * The compiled schema of an ID, fetched with {@code fetch} (schema ID to schema JSON) unless it is loaded or
     * being loaded.
     */
    CompletableFuture<EventDecoder.Compiled> get(String id, Function<String, CompletableFuture<String>> fetch) {
        CompletableFuture<EventDecoder.Compiled> known = byId.get(id);
        if (known != null) {
            return known;
        }
        if (byId.size() >= MAX_SCHEMAS) {
            byId.clear();
        }
        CompletableFuture<EventDecoder.Compiled> mine = new CompletableFuture<>();
        CompletableFuture<EventDecoder.Compiled> raced = byId.putIfAbsent(id, mine);
        if (raced != null) {
            return raced;
        }
        fetch.apply(id).whenComplete((json, error) -> {
            if (error != null) {
                byId.remove(id, mine);
                mine.completeExceptionally(error);
                return;
            }
            try {
                mine.complete(new EventDecoder.Compiled(id, new Schema.Parser().parse(json)));
            } catch (RuntimeException e) {
                byId.remove(id, mine);
                mine.completeExceptionally(new IllegalStateException("the schema " + id + " that Salesforce sent "
                        + "is not an Avro schema sfstream can read: " + e.getMessage(), e));
            }
        });
        return mine;
    }
}
