package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/** What may be shown of sfstream's properties: no password of a replay store location, no secret. */
class SecretsTest {
    final SfstreamSanitizingFunction sanitizing = new SfstreamSanitizingFunction();

    private Object shown(String key, Object value) {
        return sanitizing.apply(new SanitizableData(null, key, value)).getValue();
    }

    @Test
    void aReplayStoreLocationLosesItsPassword() {
        assertThat(StoreLocation.redact("redis://app:s3cret@redis.internal:6379/0?retryFor=60s"))
                .isEqualTo("redis://app:***@redis.internal:6379/0?retryFor=60s");
        assertThat(StoreLocation.redact("rediss://:s3cret@redis.internal:6380"))
                .isEqualTo("rediss://:***@redis.internal:6380");
        assertThat(StoreLocation.redact("redis://redis.internal:6379")).isEqualTo("redis://redis.internal:6379");
        assertThat(StoreLocation.redact("file:replay.json")).isEqualTo("file:replay.json");
        assertThat(shown("sfstream.replay-store", "redis://:s3cret@host:6379")).isEqualTo("redis://:***@host:6379");
        assertThat(shown("SFSTREAM_REPLAY_STORE", "redis://:s3cret@host:6379")).isEqualTo("redis://:***@host:6379");
    }

    @Test
    void secretsAreMaskedWhateverTheKeysSpelling() {
        for (String key : new String[] {"sfstream.client-secret", "sfstream.clientSecret", "SFSTREAM_CLIENT_SECRET",
            "sfstream.password", "sfstream.security-token", "sfstream.refresh-token", "sfstream.access-token",
            "clientSecret", "refreshToken"}) {
            assertThat(shown(key, "s3cret")).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }
        assertThat(shown("sfstream.client-id", "app")).isEqualTo("app");
        assertThat(shown("sfstream.username", "ci@acme.test")).isEqualTo("ci@acme.test");
    }
}
