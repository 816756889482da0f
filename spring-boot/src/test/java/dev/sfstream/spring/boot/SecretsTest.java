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
    void aJdbcLocationLosesItsPasswordParameters() {
        assertThat(StoreLocation.redact("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
        assertThat(StoreLocation.redact("jdbc:postgresql://db/app?password=s3cret"))
                .isEqualTo("jdbc:postgresql://db/app?password=***");
        assertThat(StoreLocation.redact("jdbc:postgresql://db/app?user=app&PASSWORD=s3cret&sslpassword=k3y"))
                .isEqualTo("jdbc:postgresql://db/app?user=app&PASSWORD=***&sslpassword=***");
        assertThat(StoreLocation.redact("jdbc:postgresql://db/app?user=app")).isEqualTo(
                "jdbc:postgresql://db/app?user=app");
        assertThat(StoreLocation.redact("jdbc")).isEqualTo("jdbc");
        // What /actuator/env and /actuator/configprops show of the property, however it is spelt.
        for (String key : new String[] {"sfstream.replay-store", "sfstream.replayStore", "SFSTREAM_REPLAY_STORE"}) {
            assertThat(shown(key, "jdbc:postgresql://db/app?user=app&password=s3cret")).as(key)
                    .isEqualTo("jdbc:postgresql://db/app?user=app&password=***");
        }
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
