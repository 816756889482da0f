package dev.sfstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Positions of both APIs: ordering, exact text form, and what stores wrote before. */
class ReplayPositionTest {
    private static byte[] eight(long n) {
        return java.nio.ByteBuffer.allocate(8).putLong(n).array();
    }

    @Test
    void pubSubBytesReadAsABigEndianNumberAndOrderByIt() {
        ReplayPosition a = ReplayPosition.ofBytes(eight(255));
        ReplayPosition b = ReplayPosition.ofBytes(eight(256));
        assertThat(a.replayId()).isEqualTo(255);
        assertThat(b.isAfter(a)).isTrue();
        assertThat(a.isAfter(b)).isFalse();
        assertThat(a.isAfter(ReplayPosition.ofBytes(eight(255)))).isFalse();
        assertThat(ReplayPosition.of(300).isAfter(b)).as("the same number on either API").isTrue();
    }

    @Test
    void theTextFormKeepsBytesExactlyAndReadsPlainNumbers() {
        byte[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        ReplayPosition odd = ReplayPosition.ofBytes(ten);
        assertThat(ReplayPosition.decode(odd.encode())).isEqualTo(odd);
        assertThat(ReplayPosition.decode(odd.encode()).bytes()).containsExactly(ten);
        assertThat(odd.replayId()).as("no number over 8 bytes").isEqualTo(-1);
        assertThat(odd.isAfter(ReplayPosition.of(5))).isTrue();
        assertThat(ReplayPosition.decode("42")).isEqualTo(ReplayPosition.of(42));
        assertThat(ReplayPosition.of(42).bytes()).containsExactly(eight(42));
        assertThatThrownBy(() -> ReplayPosition.decode("forty-two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pubsub:<base64>");
    }

    @Test
    void replayFromTakesAPositionOfEitherApi() {
        assertThat(ReplayFrom.parse("42")).isEqualTo(ReplayFrom.after(42));
        assertThat(ReplayFrom.parse("latest")).isEqualTo(ReplayFrom.NEW_EVENTS);
        assertThat(ReplayFrom.parse("earliest")).isEqualTo(ReplayFrom.ALL_EVENTS);
        ReplayPosition bytes = ReplayPosition.ofBytes(eight(7));
        assertThat(ReplayFrom.parse(bytes.encode()).position()).contains(bytes);
        assertThat(new ReplayMarker(bytes, Instant.EPOCH).replayId()).isEqualTo(7);
    }
}
