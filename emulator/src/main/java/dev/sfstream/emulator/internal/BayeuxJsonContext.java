package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.cometd.common.JSONContext;
import org.cometd.server.JacksonJSONContextServer;

/**
 * CometD's Jackson JSON context, reading a request body that is one Bayeux message as well as an array of them:
 * Bayeux allows both, and Salesforce answers both. CometD's streaming Jackson parser takes arrays only (and its
 * buffering fallback does not work with Jetty 12.0's {@code Utf8StringBuilder}), so the body's chunks are collected
 * as they arrive, without blocking, and parsed whole with single values accepted as arrays. Bodies are small: the
 * request filter refuses any over 32,768 bytes.
 */
public final class BayeuxJsonContext extends JacksonJSONContextServer {
    public BayeuxJsonContext() {
        getObjectMapper().enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    }

    @Override
    public JSONContext.AsyncParser newAsyncParser() {
        return new WholeBodyParser();
    }

    /** Collects the chunks of one body; {@link #complete()} parses them. */
    private final class WholeBodyParser implements JSONContext.AsyncParser {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

        @Override
        public void parse(ByteBuffer chunk) {
            if (chunk.hasArray()) {
                body.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                body.writeBytes(bytes);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R complete() {
            try {
                return (R) BayeuxJsonContext.this.parse(body.toString(StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
