package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON in and out of the emulator's servlets, with one shared Jackson mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * Reads a JSON object body of at most {@link SizeLimits#REST_BODY_BYTES}, parsing it as it streams in (the body
     * is never held as bytes or text besides). A bigger body is {@link SizeLimits#restBodyTooLarge()}; a body that is
     * not a JSON object is Salesforce's {@code JSON_PARSER_ERROR}.
     */
    static Map<String, Object> objectBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > SizeLimits.REST_BODY_BYTES) {
            throw SizeLimits.restBodyTooLarge();
        }
        // Not closed: the servlet reads what is left of a refused body before it answers.
        LimitedInputStream in = new LimitedInputStream(request.getInputStream(), SizeLimits.REST_BODY_BYTES);
        Object parsed;
        try {
            parsed = MAPPER.readValue(in, Object.class);
        } catch (IOException e) {
            if (in.exceeded()) {
                throw SizeLimits.restBodyTooLarge();
            }
            if (e instanceof JsonProcessingException j) {
                throw new DmlException(400, "JSON_PARSER_ERROR", "Unexpected character in the request body at line "
                        + (j.getLocation() == null ? 1 : j.getLocation().getLineNr()) + " column "
                        + (j.getLocation() == null ? 1 : j.getLocation().getColumnNr()));
            }
            throw e;
        }
        if (parsed instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        throw new DmlException(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
    }

    /** The length in bytes of a value written as JSON (UTF-8), counted without keeping the text. */
    static long sizeOf(Object value) {
        CountingOutputStream counter = new CountingOutputStream();
        try {
            MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write as JSON: " + e.getMessage(), e);
        }
        return counter.count;
    }

    /** Numbers from JSON as Integer/Long/Double rather than BigDecimal, so records compare naturally. */
    private static Object plain(Object v) {
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    static void write(HttpServletResponse response, int status, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void errors(HttpServletResponse response, int status, List<ApiError> errors) throws IOException {
        List<Map<String, Object>> body = new ArrayList<>();
        for (ApiError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message", e.message());
            m.put("errorCode", e.errorCode());
            if (!e.fields().isEmpty()) {
                m.put("fields", e.fields());
            }
            body.add(m);
        }
        write(response, status, body);
    }

    /** Counts the bytes written to it and keeps none. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Reads at most {@code limit} bytes of a stream; one more is an error, and {@link #exceeded()} says so. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long consumed;
        private boolean exceeded;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, limit + 1 - consumed));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            consumed += n;
            if (consumed > limit) {
                exceeded = true;
                throw new IOException("the request body is over " + limit + " bytes");
            }
        }
    }

    static Map<String, Object> readMap(String json) throws IOException {
        return MAPPER.readValue(json, new TypeReference<>() { });
    }
}
