package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON in and out of the emulator's servlets, with one shared Jackson mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY = 10 * 1024 * 1024;

    private Json() {
    }

    static String body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new DmlException(413, "REQUEST_LIMIT_EXCEEDED", "The request body is larger than 10 MB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Reads a JSON object body; a body that is not one is Salesforce's {@code JSON_PARSER_ERROR}. */
    static Map<String, Object> objectBody(HttpServletRequest request) throws IOException {
        String body = body(request);
        try {
            Object parsed = MAPPER.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
                return out;
            }
        } catch (JsonProcessingException e) {
            throw new DmlException(400, "JSON_PARSER_ERROR", "Unexpected character in the request body at line "
                    + (e.getLocation() == null ? 1 : e.getLocation().getLineNr()) + " column "
                    + (e.getLocation() == null ? 1 : e.getLocation().getColumnNr()));
        }
        throw new DmlException(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
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

    static Map<String, Object> readMap(String json) throws IOException {
        return MAPPER.readValue(json, new TypeReference<>() { });
    }
}
