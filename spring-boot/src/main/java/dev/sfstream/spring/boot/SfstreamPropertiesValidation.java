package dev.sfstream.spring.boot;

import dev.sfstream.auth.LoginHost;
import dev.sfstream.internal.Checks;
import dev.sfstream.transport.Transport;
import java.time.Duration;
import java.util.Map;
import org.springframework.validation.Errors;

/**
 * The checks of {@link SfstreamProperties} when Boot binds them: every value that the client or the service would
 * refuse later is refused here, naming the property (as a field of the properties) and the reason. Never shows a
 * secret: the credential properties are not checked here but where the flow is chosen ({@link SfstreamCredentials}).
 */
final class SfstreamPropertiesValidation {
    private SfstreamPropertiesValidation() {
    }

    static void validate(SfstreamProperties p, Errors errors) {
        check(errors, "loginUrl", () -> LoginHost.of(p.getLoginUrl()));
        check(errors, "apiVersion", () -> Checks.streamingApiVersion(p.getApiVersion()));
        try {
            Transport.named(p.getTransport());
            p.getTransportSettings().forEach((key, value) -> check(errors, "transportSettings[" + key + "]",
                    () -> Transport.named(p.getTransport(), Map.of(key, value))));
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.rejectValue("transport", "invalid", String.valueOf(e.getMessage()));
        }
        if (p.getReplayStore() == null || p.getReplayStore().isBlank()) {
            errors.rejectValue("replayStore", "required", "must be set: a path, file:..., redis://..., "
                    + "jdbc:postgresql://..., jdbc or memory:");
        }
        exclusive(p.getExclusive(), errors);
        if (p.getQueueCapacity() < 1) {
            errors.rejectValue("queueCapacity", "range", "must be 1 or more");
        }
        if (p.getConcurrency() < 1) {
            errors.rejectValue("concurrency", "range", "must be 1 or more");
        }
        if (p.getRetries() < 0) {
            errors.rejectValue("retries", "range", "must be 0 or more");
        }
        if (p.getRetryBackoff() == null || p.getRetryBackoff().isNegative()) {
            errors.rejectValue("retryBackoff", "range", "must be 0 or a positive duration");
        }
        positive(errors, "connectionTimeout", p.getConnectionTimeout());
        positive(errors, "shutdownTimeout", p.getShutdownTimeout());
        int port = p.getEmulator().getPort();
        if (port < 0 || port > 65535) {
            errors.rejectValue("emulator.port", "range", "must be a port number (0 to 65535; 0 picks a free one)");
        }
    }

    private static void exclusive(SfstreamExclusiveProperties exclusive, Errors errors) {
        if (exclusive.getGroup() != null && exclusive.getGroup().isBlank()) {
            errors.rejectValue("exclusive.group", "required", "must not be blank: name the group the replicas share, "
                    + "or leave it unset for an application that runs once");
        }
        Duration ttl = exclusive.getLeaseTtl();
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            // Boot shows a nested field as it is spelt here (leaseTtl): the message names the property as it is set.
            errors.rejectValue("exclusive.leaseTtl", "range", "sfstream.exclusive.lease-ttl must be a positive "
                    + "duration, such as 15s");
        }
    }

    private static void check(Errors errors, String field, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.rejectValue(field, "invalid", String.valueOf(e.getMessage()));
        }
    }

    private static void positive(Errors errors, String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, "range", "must be a positive duration");
        }
    }
}
