package dev.sfstream.emulator.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The errors the Pub/Sub API ends a call with, in one place: a gRPC status whose description ends with
 * {@code rpcId: <uuid>}, and the trailers {@code error-code} (Salesforce's reason,
 * {@code sfdc.platform.eventbus.grpc.*}), {@code rpc-id} and {@code type} (the method), as captured from Salesforce
 * (its "Handling Errors" page; a service-unavailable capture reads
 * {@code {"code":13,"details":"The service is unavailable. Try again later. rpcId: 45b0e8...","metadata":
 * {"error-code":["sfdc.platform.eventbus.grpc.service.unavailable"],"rpc-id":["45b0e8..."],"type":["Subscribe"]}}}).
 * Texts Salesforce does not publish are the emulator's own, listed in its README.
 */
final class PubSubErrors {
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TYPE = Metadata.Key.of("type", Metadata.ASCII_STRING_MARSHALLER);
    static final String PREFIX = "sfdc.platform.eventbus.grpc.";

    private PubSubErrors() {
    }

    /** An error: the status, the reason after {@link #PREFIX}, the text before {@code rpcId: ...}. */
    static StatusRuntimeException of(Status.Code code, String reason, String text, String rpcId, String method) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, PREFIX + reason);
        trailers.put(RPC_ID, rpcId);
        trailers.put(TYPE, method);
        return code.toStatus().withDescription(text + " rpcId: " + rpcId).asRuntimeException(trailers);
    }

    static StatusRuntimeException auth(String rpcId, String method) {
        return of(Status.Code.UNAUTHENTICATED, "service.auth.error", "An authentication exception occurred. "
                + "Provide valid authentication via metadata headers.", rpcId, method);
    }

    /** The busy server: INTERNAL, not UNAVAILABLE, as captured. */
    static StatusRuntimeException unavailable(String rpcId, String method) {
        return of(Status.Code.INTERNAL, "service.unavailable", "The service is unavailable. Try again later.", rpcId,
                method);
    }

    static StatusRuntimeException exhausted(String rpcId, String method) {
        return of(Status.Code.RESOURCE_EXHAUSTED, "service.protection.triggered", "The service received too many "
                + "connections and doesn't have the resources to accept new connections.", rpcId, method);
    }

    static StatusRuntimeException replayIdCorrupted(String rpcId, String method) {
        return of(Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.corrupted", "The Replay ID validation "
                + "failed. Ensure that the replay_id field value in FetchRequest is valid and refers to an event that "
                + "is within the retention window.", rpcId, method);
    }

    static StatusRuntimeException replayIdMissing(String rpcId, String method) {
        return of(Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.validation.failed", "The Replay ID "
                + "validation failed. A CUSTOM replay preset needs a replay_id.", rpcId, method);
    }

    static StatusRuntimeException requestedEventsInvalid(String rpcId, String method) {
        return of(Status.Code.INVALID_ARGUMENT, "subscription.fetch.requested.events.invalid", "The requested number "
                + "of events in a fetch request must be greater than zero.", rpcId, method);
    }

    static StatusRuntimeException topicMismatch(String rpcId, String method, String first, String later) {
        return of(Status.Code.INVALID_ARGUMENT, method.equals("PublishStream") ? "publish.topic.mismatch"
                : "subscription.fetch.topic.mismatch", "The topic " + later + " doesn't match the topic " + first
                + " of the first request in this stream.", rpcId, method);
    }

    static StatusRuntimeException topicNotFound(String rpcId, String method, String orgId, String topic) {
        return of(Status.Code.NOT_FOUND, "topic.not.found", "The topic information for org CORE/prod/" + orgId
                + " and topic " + topic + " not found. Ensure the topic name is correct and that the topic exists.",
                rpcId, method);
    }

    static StatusRuntimeException topicEmpty(String rpcId, String method) {
        return of(Status.Code.INVALID_ARGUMENT, method.startsWith("Publish") ? "publish.topic.validation.empty"
                : "topic.validation.empty", "The topic name is empty. Provide a topic name.", rpcId, method);
    }

    static StatusRuntimeException cannotPublish(String rpcId, String method, String topic) {
        return of(Status.Code.PERMISSION_DENIED, "topic.meta.permission", "The topic " + topic
                + " doesn't accept published events: publish platform events to /event/<Name>__e.", rpcId, method);
    }

    static StatusRuntimeException schemaNotFound(String rpcId, String method, String schemaId) {
        return of(Status.Code.NOT_FOUND, "schema.validation.failed", "The schema ID " + schemaId
                + " doesn't match any schema of this org.", rpcId, method);
    }

    static StatusRuntimeException deliveryLimit(String rpcId, String method) {
        return of(Status.Code.RESOURCE_EXHAUSTED, "subscription.limit.exceeded", "You have exceeded the event "
                + "delivery limit for your org.", rpcId, method);
    }

    static StatusRuntimeException managed(Status.Code code, String reason, String text, String rpcId) {
        return of(code, "managed." + reason, text, rpcId, "ManagedSubscribe");
    }

    static StatusRuntimeException alreadyActive(String rpcId) {
        return managed(Status.Code.FAILED_PRECONDITION, "subscription.already.active", "An active managed "
                + "subscription with the same ID already exists. If a previous subscription with the same ID was "
                + "stopped, there can be a delay before it expires. Try subscribing again later.", rpcId);
    }

    /**
     * A request over 4 MB: what Salesforce's proxy answers (its Allocations page quotes the status), with no trailer
     * and no rpcId, since no Pub/Sub server saw it.
     */
    static StatusRuntimeException requestTooLarge() {
        return Status.UNAVAILABLE.withDescription("upstream connect error or disconnect/reset before headers. "
                + "reset reason: remote reset").asRuntimeException();
    }

    /** A stream cut as a network reset cuts it: the status clients report, with no trailer. */
    static StatusRuntimeException reset() {
        return Status.UNAVAILABLE.withDescription("RST_STREAM closed stream. HTTP/2 error code: NO_ERROR")
                .asRuntimeException();
    }
}
