package dev.sfstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A bare HTTP client for talking to the emulator the way the seed walk-through does: no protocol logic, just
 * requests and JSON. Each instance keeps its own cookies, as one browser would.
 */
final class RawHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    final String base;
    final HttpClient http;
    String token;
    String clientId;

    RawHttp(String base) {
        this.base = base;
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    HttpResponse<String> post(String path, String contentType, String body, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in with the default user and app; keeps the token. */
    JsonNode login() {
        HttpResponse<String> r = post("/services/oauth2/token", "application/x-www-form-urlencoded",
                form(Map.of("grant_type", "password", "client_id", Emulator.DEFAULT_CLIENT_ID,
                        "client_secret", Emulator.DEFAULT_CLIENT_SECRET, "username", Emulator.DEFAULT_USERNAME,
                        "password", Emulator.DEFAULT_PASSWORD)), null);
        JsonNode body = parse(r.body());
        token = body.path("access_token").asText();
        return body;
    }

    String auth() {
        return "OAuth " + token;
    }

    /** POSTs Bayeux messages to /cometd/{version} and returns the reply array. */
    ArrayNode bayeux(String version, String json) {
        HttpResponse<String> r = post("/cometd/" + version, "application/json", json, auth());
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        }
        return (ArrayNode) parse(r.body());
    }

    JsonNode handshake() {
        JsonNode reply = bayeux("64.0", "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"minimumVersion\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\"],\"ext\":{\"replay\":true}}]").get(0);
        clientId = reply.path("clientId").asText(null);
        return reply;
    }

    ArrayNode connect() {
        return bayeux("64.0", "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId
                + "\",\"connectionType\":\"long-polling\"}]");
    }

    JsonNode subscribe(String channel, String replayExt) {
        String ext = replayExt == null ? "" : ",\"ext\":{\"replay\":" + replayExt + "}";
        return bayeux("64.0", "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId
                + "\",\"subscription\":\"" + channel.replace("\"", "\\\"") + "\"" + ext + "}]").get(0);
    }

    JsonNode rest(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = send(b.build());
        JsonNode node = r.body().isEmpty() ? JSON.createObjectNode() : parse(r.body());
        return JSON.createObjectNode().put("status", r.statusCode()).set("body", node);
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
