package dev.sfstream.emulator.internal;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * Replay IDs on the Pub/Sub API: the same numbers the Streaming API gives an event, written as 8 bytes, big-endian,
 * as Salesforce writes them (its Java example puts a long into a {@code ByteBuffer}; the Node client reads a
 * big-endian unsigned 64-bit integer). One log, two encodings.
 */
final class ReplayIds {
    private ReplayIds() {
    }

    static ByteString encode(long replayId) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(replayId).array());
    }

    /** The number of an 8-byte replay ID, or -1 when it is not 8 bytes (a corrupted replay ID). */
    static long decode(ByteString bytes) {
        return bytes.size() == 8 ? bytes.asReadOnlyByteBuffer().getLong() : -1;
    }
}
