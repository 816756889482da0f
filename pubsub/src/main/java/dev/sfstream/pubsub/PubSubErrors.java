package dev.sfstream.pubsub;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Locale;
import java.util.Set;

/**
 * What the end of a Pub/Sub call means, decided in one place: Salesforce's reason in the {@code error-code} trailer
 * first ({@code sfdc.platform.eventbus.grpc.*}, from its "Handling Errors" page), the gRPC status only when there is
 * no trailer or an unknown one. Salesforce answers a busy service with {@code INTERNAL} and
 * {@code service.unavailable}, a network reset arrives as {@code UNAVAILABLE: RST_STREAM} without a trailer, an
 * expired or unknown replay ID as {@code INVALID_ARGUMENT} with {@code subscription.fetch.replayid.corrupted}, an
 * unknown topic as {@code NOT_FOUND} (or {@code PERMISSION_DENIED}) with {@code topic.not.found}, a used-up delivery
 * allocation as {@code RESOURCE_EXHAUSTED} with {@code subscription.limit.exceeded} and an overloaded one as
 * {@code RESOURCE_EXHAUSTED} with {@code service.protection.triggered}: the status alone cannot tell the last two
 * apart. Stateless.
 */
final class PubSubErrors {
    /** Salesforce's reason for ending a call. */
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "sfdc.platform.eventbus.grpc.";

    /** What to do about it. */
    enum Kind {
        /** The token was refused: renew it once (shared by every stream), then resume. */
        AUTH,
        /** The replay ID sent was refused (expired, unknown): the replay fallback decides, a gap notice follows. */
        REPLAY_REFUSED,
        /** A passing fault (busy, overloaded, reset, a managed subscription still active): back off and resume. */
        RETRY,
        /** A fault of this topic or subscription that does not pass (unknown topic, no permission, allocation). */
        REFUSED,
        /** A response larger than the transport accepts: a setting to change, not a fault to retry. */
        TOO_LARGE
    }

    private static final Set<String> AUTH = Set.of("service.auth.error", "service.auth.refresh.invalid",
            "service.auth.headers.invalid", "publish.auth.refresh.invalid");
    private static final Set<String> REPLAY = Set.of("subscription.fetch.replayid.corrupted",
            "subscription.fetch.replayid.validation.failed");
    private static final Set<String> RETRY = Set.of("service.unavailable", "service.protection.triggered",
            "service.protection.stream.limit.triggered", "concurrent.client.limit.exceeded",
            "subscription.internal.error", "topic.api.unavailable", "schema.api.unavailable",
            "managed.subscription.already.active", "publish.stream.sweeper.timeout");
    private static final Set<String> REFUSED = Set.of("topic.not.found", "topic.meta.permission",
            "topic.validation.empty", "subscription.topic.cannot.subscribe", "schema.meta.permission",
            "schema.validation.failed", "subscription.limit.exceeded", "service.tenant.license");

    private PubSubErrors() {
    }

    /**
     * One end of a call, read apart.
     *
     * @param kind what to do about it
     * @param status the gRPC status code
     * @param errorCode Salesforce's reason without its {@code sfdc.platform.eventbus.grpc.} prefix, or empty
     * @param description the status description (Salesforce's text and {@code rpcId: ...}), or empty
     */
    record Failure(Kind kind, Status.Code status, String errorCode, String description) {
        /** {@code INTERNAL service.unavailable: The service is unavailable. Try again later. rpcId: ...}. */
        String describe() {
            return status + (errorCode.isEmpty() ? "" : " " + errorCode) + (description.isEmpty() ? ""
                    : ": " + description);
        }

        boolean isAlreadyActive() {
            return errorCode.equals("managed.subscription.already.active");
        }
    }

    /** Why a response was refused for its size, and the setting that changes it. */
    static String tooLarge(String channel, Failure f, int maxInboundMessageSize) {
        return "a response on " + channel + " was larger than the transport accepts (maxInboundMessageSize "
                + maxInboundMessageSize + " bytes): " + f.describe() + "; raise it with PubSubTransport.builder()"
                + ".maxInboundMessageSize(...)";
    }

    /** Reads an error a call ended with (a {@code StatusRuntimeException} or any other throwable). */
    static Failure classify(Throwable error) {
        Status status = Status.fromThrowable(error);
        Metadata trailers = Status.trailersFromThrowable(error);
        String code = trailers == null ? null : trailers.get(ERROR_CODE);
        String reason = code == null ? "" : code.startsWith(PREFIX) ? code.substring(PREFIX.length()) : code;
        String description = status.getDescription() == null ? "" : status.getDescription();
        if (description.isEmpty() && status.getCause() != null) {
            description = String.valueOf(status.getCause().getMessage());
        }
        if (description.isEmpty() && trailers != null && trailers.get(RPC_ID) != null) {
            description = "rpcId: " + trailers.get(RPC_ID);
        }
        return new Failure(kind(status.getCode(), reason, description), status.getCode(), reason, description);
    }

    static Kind kind(Status.Code status, String reason, String description) {
        if (AUTH.contains(reason)) {
            return Kind.AUTH;
        }
        if (REPLAY.contains(reason)) {
            return Kind.REPLAY_REFUSED;
        }
        if (RETRY.contains(reason)) {
            return Kind.RETRY;
        }
        if (REFUSED.contains(reason) || reason.startsWith("managed.") || reason.startsWith("subscription.fetch.")
                || reason.startsWith("publish.")) {
            return Kind.REFUSED;
        }
        switch (status) {
            case UNAUTHENTICATED:
                return Kind.AUTH;
            case RESOURCE_EXHAUSTED:
                // grpc-java's own refusal of a message over maxInboundMessageSize: retrying gets the same message
                return description.toLowerCase(Locale.ROOT).contains("exceeds maximum") ? Kind.TOO_LARGE : Kind.RETRY;
            case INTERNAL:
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
            case ABORTED:
            case UNKNOWN:
            case CANCELLED:
            case DATA_LOSS:
                return Kind.RETRY;
            default:
                return Kind.REFUSED; // NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT, FAILED_PRECONDITION, ...
        }
    }
}
