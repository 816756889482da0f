package dev.sfstream.pubsub;

import com.salesforce.eventbus.protobuf.ConsumerEvent;
import dev.sfstream.pubsub.StreamCalls.Batch;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;

/**
 * The responses of one subscription's stream, held in arrival order until the schemas of their events are loaded,
 * then handed on in that order: a response whose events name a schema not seen before waits for its one
 * {@code GetSchema}, and every response after it waits behind it. Confined to the session's lane.
 */
final class SchemaWait {
    /** Where ready responses go, and what to do when a schema cannot be had. */
    interface Target {
        /** Whether the subscription still wants responses of the stream of this generation. */
        boolean wants(int generation);

        void ready(Batch batch);

        /** The schema could not be fetched (a gRPC status) or read (anything else). */
        void schemaFailed(int generation, String schemaId, Throwable cause);
    }

    private final PubSubSession session;
    private final Target target;
    private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    private boolean fetching;
    private int generation;

    SchemaWait(PubSubSession session, Target target) {
        this.session = session;
        this.target = target;
    }

    /** A response of the stream of {@code generation}. */
    void add(int generation, Batch batch) {
        if (generation != this.generation) {
            waiting.clear();
            this.generation = generation;
        }
        waiting.add(batch);
        drain();
    }

    /** The stream ended: what waits was never handed out, and the next stream starts before it. */
    void clear() {
        waiting.clear();
    }

    private void drain() {
        while (!waiting.isEmpty() && target.wants(generation)) {
            Batch b = waiting.peek();
            for (ConsumerEvent e : b.events()) {
                String id = e.getEvent().getSchemaId();
                if (session.transport.schemas.getNow(id) == null) {
                    fetch(id);
                    return;
                }
            }
            waiting.poll();
            target.ready(b);
        }
    }

    private void fetch(String id) {
        if (fetching) {
            return;
        }
        fetching = true;
        int gen = generation;
        session.schema(id).whenComplete((s, e) -> session.lane.execute(() -> {
            fetching = false;
            if (e != null && gen == generation && target.wants(gen)) {
                target.schemaFailed(gen, id, e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e);
                return;
            }
            drain();
        }));
    }
}
