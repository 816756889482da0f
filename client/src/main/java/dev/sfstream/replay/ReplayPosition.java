package dev.sfstream.replay;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Where an event stands in its channel, opaque per API: a Streaming API replay ID (a positive number) or a Pub/Sub
 * API replay ID (bytes, 8 in practice, read as a big-endian number). Positions of the same channel order by that
 * number; a position of more than 8 bytes has none and counts as later than anything, so a store keeps the newest
 * it was given. {@link #encode()} writes a position as text that {@link #decode(String)} reads back exactly, and
 * reads what stores wrote before positions had bytes (a plain number). Immutable and thread-safe.
 */
public final class ReplayPosition {
    private static final String BYTES_PREFIX = "pubsub:";

    private final long number;
    private final byte[] bytes;

    private ReplayPosition(long number, byte[] bytes) {
        this.number = number;
        this.bytes = bytes;
    }

    /**
     * A Streaming API replay ID.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public static ReplayPosition of(long replayId) {
        if (replayId <= 0) {
            throw new IllegalArgumentException("a replay ID is positive, got " + replayId);
        }
        return new ReplayPosition(replayId, null);
    }

    /**
     * A Pub/Sub API replay ID, as the server sent it.
     *
     * @throws IllegalArgumentException when it is empty
     */
    public static ReplayPosition ofBytes(byte[] replayId) {
        Objects.requireNonNull(replayId, "replayId");
        if (replayId.length == 0) {
            throw new IllegalArgumentException("a Pub/Sub replay ID has at least one byte");
        }
        long number = -1;
        if (replayId.length <= Long.BYTES) {
            number = 0;
            for (byte b : replayId) {
                number = (number << 8) | (b & 0xff);
            }
        }
        return new ReplayPosition(number, replayId.clone());
    }

    /** Whether the server gave bytes (the Pub/Sub API) rather than a number (the Streaming API). */
    public boolean isBytes() {
        return bytes != null;
    }

    /** The position as a number: the Streaming API replay ID, or the Pub/Sub bytes read big-endian; -1 when over 8 bytes. */
    public long replayId() {
        return number;
    }

    /** The position as bytes: the Pub/Sub replay ID as sent, or a Streaming API replay ID as 8 big-endian bytes. */
    public byte[] bytes() {
        return bytes != null ? bytes.clone() : ByteBuffer.allocate(Long.BYTES).putLong(number).array();
    }

    /** Whether this position is later than {@code other} (a null {@code other} is earlier than anything). */
    public boolean isAfter(ReplayPosition other) {
        if (other == null || number < 0 || other.number < 0) {
            return other == null || !equals(other);
        }
        return number > other.number;
    }

    /** The position as text: the number for a Streaming API replay ID, {@code pubsub:<base64>} for bytes. */
    public String encode() {
        return bytes == null ? Long.toString(number) : BYTES_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Reads what {@link #encode()} wrote, or a plain number.
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static ReplayPosition decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith(BYTES_PREFIX)) {
            return ofBytes(Base64.getDecoder().decode(text.substring(BYTES_PREFIX.length())));
        }
        try {
            return of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a replay position is a positive number or pubsub:<base64>, got '"
                    + text + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayPosition p && number == p.number && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return encode();
    }
}
