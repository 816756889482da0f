package dev.sfstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The raw limit: the JDK HTTP client posting Bayeux messages and Jackson parsing the answers into trees, with no
 * protocol logic beyond what it takes to keep a session (its own cookie, the clientId). What a client cannot beat.
 */
final class RawBayeux {
    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private String cookie;
    private String clientId;

    RawBayeux(HttpClient http, String instanceUrl, String authorization) {
        this.http = http;
        this.endpoint = URI.create(instanceUrl + "/cometd/64.0");
        this.authorization = authorization;
    }

    String clientId() {
        return clientId;
    }

    ArrayNode post(String json) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(json), HttpResponse.BodyHandlers.ofByteArray());
        keepCookie(response);
        return (ArrayNode) Json.MAPPER.readTree(response.body());
    }

    private HttpRequest request(String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(180))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        String c;
        synchronized (this) {
            c = cookie;
        }
        if (c != null) {
            b.header("Cookie", c);
        }
        return b.build();
    }

    private void keepCookie(HttpResponse<?> response) {
        for (String set : response.headers().allValues("set-cookie")) {
            String pair = set.split(";", 2)[0];
            synchronized (this) {
                cookie = cookie == null ? pair : cookie.contains(pair.split("=")[0] + "=") ? cookie
                        : cookie + "; " + pair;
            }
        }
    }

    void handshake() throws IOException, InterruptedException {
        clientId = post(HANDSHAKE).get(0).path("clientId").asText();
    }

    /** A handshake asking for the replay extension, as Salesforce wants it. */
    static final String HANDSHAKE = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
            + "\"supportedConnectionTypes\":[\"long-polling\"],\"ext\":{\"replay\":true}}]";

    static String subscribe(String clientId, String channel, long replay) {
        return "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel
                + "\",\"ext\":{\"replay\":{\"" + channel + "\":" + replay + "}}}]";
    }

    static String connect(String clientId) {
        return "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId
                + "\",\"connectionType\":\"long-polling\"}]";
    }

    static String disconnect(String clientId) {
        return "[{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + clientId + "\"}]";
    }

    /** Counts the events (non-meta messages) of a response. */
    static int events(ArrayNode messages) {
        int n = 0;
        for (JsonNode m : messages) {
            if (!m.path("channel").asText().startsWith("/meta/")) {
                n++;
            }
        }
        return n;
    }
}
