package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.replay.ReplayMarker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://} against a real TLS-only redis-server, with certificates issued by a CA made for the run. */
class RedisTlsTest {
    @TempDir
    static Path dir;
    static SSLContext trustingTestCa;
    static RedisServer namingLoopback;
    static RedisServer namingAnotherHost;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = new TestCa(dir);
        trustingTestCa = ca.trustingThisCa();
        TestCa.Issued loopback = ca.issue("loopback", "IP:127.0.0.1,DNS:localhost");
        TestCa.Issued other = ca.issue("elsewhere", "DNS:redis.elsewhere.test");
        namingLoopback = RedisServer.tls(loopback.certificate(), loopback.key(), ca.certificate());
        namingAnotherHost = RedisServer.tls(other.certificate(), other.key(), ca.certificate());
    }

    @AfterAll
    static void stop() throws Exception {
        namingLoopback.close();
        namingAnotherHost.close();
    }

    private static final ReplayMarker MARKER = new ReplayMarker(42, Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void acceptsACertificateThatNamesTheHostByIpOrByName() {
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            URI uri = URI.create("rediss://" + host + ":" + namingLoopback.port());
            try (RedisReplayStore store = RedisReplayStore.builder(uri).sslContext(trustingTestCa).build()) {
                store.put("tls-" + host, "/topic/A", MARKER);
                store.flush();
                assertThat(store.get("tls-" + host, "/topic/A")).contains(MARKER);
            }
        }
    }

    @Test
    void refusesACertificateForAnotherHostEvenFromATrustedCa() {
        URI uri = URI.create("rediss://127.0.0.1:" + namingAnotherHost.port());
        assertThatThrownBy(() -> RedisReplayStore.builder(uri).sslContext(trustingTestCa).build())
                .isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("TLS certificate of Redis at rediss://127.0.0.1:" + namingAnotherHost.port())
                .hasMessageContaining("name the host '127.0.0.1'");
    }

    @Test
    void refusesACertificateFromACaTheJvmDoesNotTrust() {
        URI uri = URI.create("rediss://127.0.0.1:" + namingLoopback.port());
        assertThatThrownBy(() -> RedisReplayStore.builder(uri).build())
                .isInstanceOf(ReplayStoreException.class).hasMessageContaining("was not accepted");
    }

    @Test
    void anSslContextNeedsATlsUri() {
        URI uri = URI.create("redis://127.0.0.1:" + namingLoopback.port());
        assertThatThrownBy(() -> RedisReplayStore.builder(uri).sslContext(trustingTestCa).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use rediss://");
    }
}
