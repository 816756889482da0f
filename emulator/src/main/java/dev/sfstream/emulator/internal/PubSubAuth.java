package dev.sfstream.emulator.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The gate every Pub/Sub API call passes first: it gives the call its rpcId, refuses new calls while the server is
 * exhausted or busy (faults on demand), and checks the metadata Salesforce's "Supported Authentication" page names,
 * {@code accesstoken} (a token the org issued, not revoked nor expired), {@code instanceurl} and {@code tenantid} (the
 * org ID, 15 or 18 characters, or {@code core/<subdomain>/<orgId>}). A call that fails ends at once with the auth
 * error and no response.
 */
final class PubSubAuth implements ServerInterceptor {
    /** Who made a call that passed the gate, and its rpcId. */
    record Caller(String rpcId, String method, String accessToken) {
    }

    static final Context.Key<Caller> CALLER = Context.key("sfstream-pubsub-caller");
    private static final Metadata.Key<String> ACCESS_TOKEN = key("accesstoken");
    private static final Metadata.Key<String> INSTANCE_URL = key("instanceurl");
    private static final Metadata.Key<String> TENANT_ID = key("tenantid");
    private static final Pattern FULL_TENANT = Pattern.compile("(?i)core/[^/]+/([A-Za-z0-9]{15}|[A-Za-z0-9]{18})");

    private final EmulatedOrg org;
    private final PubSubStreams streams;

    PubSubAuth(EmulatedOrg org, PubSubStreams streams) {
        this.org = org;
        this.streams = streams;
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        String rpcId = UUID.randomUUID().toString();
        String token = headers.get(ACCESS_TOKEN);
        StatusRuntimeException refused = streams.refusal(rpcId, method)
                .or(() -> authenticated(token, headers) ? Optional.empty()
                        : Optional.of(PubSubErrors.auth(rpcId, method)))
                .orElse(null);
        if (refused != null) {
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(CALLER, new Caller(rpcId, method, token));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private boolean authenticated(String token, Metadata headers) {
        String instanceUrl = headers.get(INSTANCE_URL);
        return token != null && org.tokens().validate(token).isPresent() && instanceUrl != null
                && !instanceUrl.isBlank() && isThisOrg(headers.get(TENANT_ID));
    }

    /** The org's ID, 15 or 18 characters, alone or in Salesforce's full form {@code core/<subdomain>/<orgId>}. */
    private boolean isThisOrg(String tenantId) {
        if (tenantId == null) {
            return false;
        }
        var full = FULL_TENANT.matcher(tenantId.trim());
        String id = full.matches() ? full.group(1) : tenantId.trim();
        String orgId = org.orgId();
        return id.equals(orgId) || id.equals(orgId.substring(0, 15));
    }

    /** Whether a call's token is still good: revoked tokens end open streams. */
    boolean stillValid(Caller caller) {
        return org.tokens().validate(caller.accessToken()).isPresent();
    }
}
