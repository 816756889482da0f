package dev.sfstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Bayeux server that answers handshake and subscribe properly and every connect with whatever the test scripts:
 * malformed JSON, an HTML error page, a huge body, events without replay IDs, replay IDs going backwards.
 */
final class HostileServer implements AutoCloseable {
    /** An HTTP answer: status, content type and body. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer json(String json) {
            return new Answer(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final AtomicInteger connects = new AtomicInteger();
    private volatile Function<Integer, Answer> connectAnswer = n -> Answer.json(connectReply(""));

    HostileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cometd", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int connects() {
        return connects.get();
    }

    /** What the n-th connect (counting from 1) is answered. */
    void onConnect(Function<Integer, Answer> answer) {
        this.connectAnswer = answer;
    }

    static String connectReply(String events) {
        return "[" + events + (events.isEmpty() ? "" : ",") + "{\"channel\":\"/meta/connect\",\"clientId\":\"c1\","
                + "\"successful\":true,\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":500}}]";
    }

    static String event(String channel, Long replayId, String extra) {
        String event = replayId == null ? "{}" : "{\"replayId\":" + replayId + ",\"createdDate\":\""
                + java.time.Instant.now() + "\"}";
        return "{\"channel\":\"" + channel + "\",\"data\":{\"event\":" + event + ",\"payload\":{\"N\":1}" + extra
                + "}}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        JsonNode message = request.isArray() ? request.get(0) : request;
        String channel = message.path("channel").asText();
        Answer answer = switch (channel) {
            case "/meta/handshake" -> Answer.json("[{\"channel\":\"/meta/handshake\",\"clientId\":\"c1\","
                    + "\"successful\":true,\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"],"
                    + "\"ext\":{\"replay\":true}}]");
            case "/meta/subscribe" -> Answer.json("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"c1\","
                    + "\"subscription\":\"" + message.path("subscription").asText() + "\",\"successful\":true}]");
            case "/meta/connect" -> connectAnswer.apply(connects.incrementAndGet());
            default -> Answer.json("[{\"channel\":\"" + channel + "\",\"successful\":true}]");
        };
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
