package dev.sfstream.emulator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A bare HTTP client for talking to the emulator: no protocol logic, just requests and JSON, so that tests see
 * exactly what is on the wire. Each instance keeps its own cookies, as one browser would, and its own token and
 * clientId.
 */
final class RawHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VERSION = "64.0";

    final String base;
    final HttpClient http;
    String token;
    String clientId;

    RawHttp(String base) {
        this(base, true);
    }

    private RawHttp(String base, boolean cookies) {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (cookies) {
            builder.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        }
        this.http = builder.build();
    }

    /** A client with this one's token and clientId that sends no cookies at all. */
    RawHttp withoutCookies() {
        RawHttp other = new RawHttp(base, false);
        other.token = token;
        other.clientId = clientId;
        return other;
    }

    /** A client with the same token but its own cookies and no clientId, as a second browser would be. */
    RawHttp sameUserNewBrowser() {
        RawHttp other = new RawHttp(base);
        other.token = token;
        return other;
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    // ---------------------------------------------------------------- plain HTTP

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

    // ---------------------------------------------------------------- OAuth

    /** POSTs a form to the token endpoint; the answer as {status, body}. */
    JsonNode token(Map<String, String> params) {
        HttpResponse<String> r = post("/services/oauth2/token", "application/x-www-form-urlencoded", form(params),
                null);
        return JSON.createObjectNode().put("status", r.statusCode()).set("body", parse(r.body()));
    }

    /** Logs in with the default user and app; keeps the token. */
    JsonNode login() {
        return login(Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD);
    }

    /** Logs in with the default app as the given user; keeps the token. */
    JsonNode login(String username, String password) {
        JsonNode r = token(Map.of("grant_type", "password", "client_id", Emulator.DEFAULT_CLIENT_ID,
                "client_secret", Emulator.DEFAULT_CLIENT_SECRET, "username", username, "password", password));
        if (r.path("status").asInt() != 200) {
            throw new AssertionError("login failed: " + r);
        }
        JsonNode body = r.path("body");
        token = body.path("access_token").asText();
        return body;
    }

    String auth() {
        return token == null ? null : "OAuth " + token;
    }

    // ---------------------------------------------------------------- Bayeux

    /** POSTs Bayeux messages to {@code path} (such as {@code /cometd/64.0}) with this client's token. */
    HttpResponse<String> cometd(String path, Object messages) {
        return post(path, "application/json", write(messages), auth());
    }

    /** POSTs Bayeux messages to /cometd/64.0 and returns the reply array, failing on any HTTP status but 200. */
    ArrayNode bayeux(Object messages) {
        return bayeux("/cometd/" + VERSION, messages);
    }

    ArrayNode bayeux(String path, Object messages) {
        HttpResponse<String> r = cometd(path, messages);
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        }
        return (ArrayNode) parse(r.body());
    }

    /** Kept for the seed walk-through: Bayeux messages as JSON text to /cometd/{version}. */
    ArrayNode bayeux(String version, String json) {
        return bayeux("/cometd/" + version, (Object) parse(json));
    }

    static ObjectNode handshakeMessage() {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", "/meta/handshake").put("version", "1.0").put("minimumVersion", "1.0");
        m.putArray("supportedConnectionTypes").add("long-polling");
        m.putObject("ext").put("replay", true);
        return m;
    }

    JsonNode handshake() {
        JsonNode reply = bayeux(List.of(handshakeMessage())).get(0);
        clientId = reply.path("clientId").asText(null);
        return reply;
    }

    /** Handshakes and makes the first connect (answered at once), failing if either does not succeed. */
    RawHttp connected() {
        JsonNode h = handshake();
        if (!h.path("successful").asBoolean()) {
            throw new AssertionError("handshake failed: " + h);
        }
        JsonNode c = metaReply(connect(), "/meta/connect");
        if (!c.path("successful").asBoolean()) {
            throw new AssertionError("first connect failed: " + c);
        }
        return this;
    }

    ObjectNode connectMessage() {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", "/meta/connect").put("clientId", clientId).put("connectionType", "long-polling");
        return m;
    }

    ArrayNode connect() {
        return bayeux(List.of(connectMessage()));
    }

    /** Sends a connect without waiting for it: the server may hold it. */
    CompletableFuture<HttpResponse<String>> connectAsync() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/cometd/" + VERSION))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", auth())
                .POST(HttpRequest.BodyPublishers.ofString(write(List.of(connectMessage())))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    ObjectNode subscribeMessage(String channel, Object replayMap) {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", "/meta/subscribe").put("clientId", clientId).put("subscription", channel);
        if (replayMap != null) {
            m.putObject("ext").set("replay", JSON.valueToTree(replayMap));
        }
        return m;
    }

    /** Subscribes with a replay map given as an object ({@code Map}) or {@code null} for none. */
    JsonNode subscribe(String channel, Object replayMap) {
        if (replayMap instanceof String s) {
            replayMap = parse(s); // the seed walk-through passes the map as JSON text
        }
        return metaReply(bayeux(List.of(subscribeMessage(channel, replayMap))), "/meta/subscribe");
    }

    /** Subscribes with {@code {channel-without-filter: replayId}}, as EMP-Connector's replay extension does. */
    JsonNode subscribeFrom(String channel, long replayId) {
        int q = channel.indexOf('?');
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(q < 0 ? channel : channel.substring(0, q), replayId);
        return subscribe(channel, map);
    }

    JsonNode disconnect() {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", "/meta/disconnect").put("clientId", clientId);
        return metaReply(bayeux(List.of(m)), "/meta/disconnect");
    }

    /** Connects until {@code done} holds for the data messages received so far, or fails after {@code atMost}. */
    List<JsonNode> receiveUntil(Predicate<List<JsonNode>> done, Duration atMost) {
        List<JsonNode> received = new ArrayList<>();
        if (done.test(received)) {
            return received;
        }
        await().atMost(atMost).pollInterval(Duration.ofMillis(1)).pollInSameThread().until(() -> {
            ArrayNode reply = connect();
            JsonNode connect = metaReply(reply, "/meta/connect");
            if (!connect.path("successful").asBoolean()) {
                throw new AssertionError("connect failed while receiving: " + connect);
            }
            received.addAll(data(reply));
            return done.test(received);
        });
        return received;
    }

    /** Connects until {@code count} data messages have arrived. */
    List<JsonNode> receive(int count, Duration atMost) {
        return receiveUntil(r -> r.size() >= count, atMost);
    }

    // ---------------------------------------------------------------- REST

    /** A REST call with this client's token; the answer as {status, body}. */
    JsonNode rest(String method, String path, Object body) {
        return rest(method, path, body, "Bearer " + token);
    }

    JsonNode rest(String method, String path, Object body, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (auth != null) {
            b.header("Authorization", auth);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(write(body)));
        HttpResponse<String> r = send(b.build());
        JsonNode node = r.body().isEmpty() ? JSON.createObjectNode() : parse(r.body());
        return JSON.createObjectNode().put("status", r.statusCode()).set("body", node);
    }

    /** Creates a record over REST and returns its ID, failing unless Salesforce's 201 came back. */
    String create(String sobjectType, Map<String, ?> fields) {
        JsonNode r = rest("POST", "/services/data/v" + VERSION + "/sobjects/" + sobjectType, fields);
        if (r.path("status").asInt() != 201) {
            throw new AssertionError("create " + sobjectType + " failed: " + r);
        }
        return r.path("body").path("id").asText();
    }

    // ---------------------------------------------------------------- JSON

    /** The meta reply on {@code channel} in a reply array. */
    static JsonNode metaReply(ArrayNode reply, String channel) {
        for (JsonNode m : reply) {
            if (channel.equals(m.path("channel").asText())) {
                return m;
            }
        }
        throw new AssertionError("no " + channel + " reply in " + reply);
    }

    /** The data (non-meta) messages of a reply array, in order. */
    static List<JsonNode> data(ArrayNode reply) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : reply) {
            if (!m.path("channel").asText().startsWith("/meta/")) {
                out.add(m);
            }
        }
        return out;
    }

    static String write(Object value) {
        try {
            return value instanceof String s ? s : JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
