package dev.sfstream.emulator.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Managed subscriptions (beta in Salesforce): {@code ManagedEventSubscription} records, created over the emulator's
 * REST as over Salesforce's Tooling API ({@code POST .../tooling/sobjects/ManagedEventSubscription} with
 * {@code DeveloperName} and {@code Metadata: {topicName, defaultReplay, errorRecoveryReplay, state}}, or the same
 * fields at the top level), and the replay IDs their clients commit, kept by the server. A subscription has one active
 * stream at a time; setting its state to {@code STOP} (or deleting it) ends that stream and forgets its committed
 * replay ID, so that {@code RUN} starts again from {@code defaultReplay}, as Salesforce's Metadata API page describes.
 * Commits live as long as the emulator runs. Thread-safe.
 */
final class ManagedSubscriptions implements OrgData.Observer {
    static final String TYPE = "ManagedEventSubscription";

    /** A subscription as its record defines it. */
    record Definition(String id, String developerName, String topicName, String defaultReplay,
            String errorRecoveryReplay, String state) {
    }

    private final EmulatedOrg org;
    private final java.util.concurrent.Executor executor;
    private final Map<String, Long> commits = new ConcurrentHashMap<>();
    private final Map<String, TopicStream> active = new ConcurrentHashMap<>();
    private final Set<String> starting = ConcurrentHashMap.newKeySet();

    /** @param executor where a stopped subscription's stream is ended (not under the org's lock) */
    ManagedSubscriptions(EmulatedOrg org, java.util.concurrent.Executor executor) {
        this.org = org;
        this.executor = executor;
        org.data().addObserver(this);
    }

    /**
     * The subscription a first request names, by ID or developer name.
     *
     * @throws StatusRuntimeException when neither is given, none matches, or it is stopped
     */
    Definition find(String id, String developerName, String rpcId) {
        if (id.isEmpty() && developerName.isEmpty()) {
            throw PubSubErrors.managed(Status.Code.INVALID_ARGUMENT, "subscription.id.or.developer.name.empty",
                    "Provide a managed subscription ID or developer name.", rpcId);
        }
        Optional<Definition> found = org.data().records(TYPE).stream().map(ManagedSubscriptions::definition)
                .filter(d -> id.isEmpty() ? d.developerName().equalsIgnoreCase(developerName)
                        : d.id().equals(SalesforceIds.to18(id)) || d.id().equals(id))
                .findFirst();
        if (found.isEmpty()) {
            throw id.isEmpty()
                    ? PubSubErrors.managed(Status.Code.NOT_FOUND, "subscription.developer.name.not.found",
                            "No managed subscription has the developer name " + developerName + ".", rpcId)
                    : PubSubErrors.managed(Status.Code.NOT_FOUND, "subscription.id.not.found",
                            "No managed subscription has the ID " + id + ".", rpcId);
        }
        if (!found.get().state().equals("RUN")) {
            throw PubSubErrors.managed(Status.Code.FAILED_PRECONDITION, "subscription.config.stopped",
                    "The managed subscription " + found.get().developerName() + " is in the STOP state.", rpcId);
        }
        return found.get();
    }

    @SuppressWarnings("unchecked")
    private static Definition definition(Map<String, Object> record) {
        Map<String, Object> metadata = record.get("Metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : Map.of();
        return new Definition(String.valueOf(record.get("Id")), text(record, metadata, "DeveloperName", ""),
                text(record, metadata, "topicName", ""), text(record, metadata, "defaultReplay", "LATEST"),
                text(record, metadata, "errorRecoveryReplay", "LATEST"), text(record, metadata, "state", "RUN"));
    }

    /** A field from the record or its Metadata, in either case of its first letter; upper-case for the enums. */
    private static String text(Map<String, Object> record, Map<String, Object> metadata, String name, String dflt) {
        String capital = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (Object v : new Object[] {metadata.get(name), metadata.get(capital), record.get(name),
                record.get(capital)}) {
            if (v != null && !v.toString().isBlank()) {
                return name.equals("DeveloperName") || name.equals("topicName") ? v.toString()
                        : v.toString().toUpperCase(Locale.ROOT);
            }
        }
        return dflt;
    }

    /** Claims the one active stream of a subscription; false when another is active. */
    synchronized boolean claim(String id) {
        return !active.containsKey(id) && starting.add(id);
    }

    /** The claimed subscription's stream is open. */
    synchronized void activate(String id, TopicStream stream) {
        active.put(id, stream);
        starting.remove(id);
    }

    /** The claim is given up, or the stream ended. */
    synchronized void ended(String id, TopicStream stream) {
        if (stream != null) {
            active.remove(id, stream);
        }
        starting.remove(id);
    }

    Optional<Long> committed(String id) {
        return Optional.ofNullable(commits.get(id));
    }

    void commit(String id, long replayId) {
        commits.merge(id, replayId, Math::max);
    }

    /** A subscription set to STOP or deleted: its stream ends, its commit is forgotten. */
    @Override
    public void committed(RecordChange change) {
        if (!change.sobjectType().equalsIgnoreCase(TYPE)) {
            return;
        }
        String id = change.id();
        if (change.after() == null || !definition(change.after()).state().equals("RUN")) {
            commits.remove(id);
            TopicStream stream = active.get(id);
            if (stream != null) {
                // Under the org's lock here: end the stream on another thread.
                String rpcId = stream.caller().rpcId();
                executor.execute(() -> stream.end(PubSubErrors.managed(
                        Status.Code.FAILED_PRECONDITION, "subscription.config.stopped",
                        "The managed subscription was stopped or deleted.", rpcId)));
            }
        }
    }
}
