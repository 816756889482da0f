package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.internal.JsonTree;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The long-polling transport: one HTTP POST of a JSON array of Bayeux messages, one JSON array back (a single
 * object is accepted too). Runs on the JDK's HTTP client, asynchronously: a held {@code /meta/connect} costs no
 * thread. Each session has its own cookies; the token goes in the {@code Authorization} header of every request.
 *
 * <p>Every way a request can fail ends in a {@link TransportFailure} that says what happened (HTTP status, "not
 * JSON", "larger than the limit", timeout) and never shows the token.
 */
public final class LongPollingTransport {
    private final HttpClient http;
    private final int maxMessageSize;
    private final Executor completions;
    private final CookieJar cookies = new CookieJar();

    /** @param completions where answers are parsed and their futures completed (a worker pool) */
    public LongPollingTransport(HttpClient http, int maxMessageSize, Executor completions) {
        this.http = http;
        this.maxMessageSize = maxMessageSize;
        this.completions = completions;
    }

    /** Forgets the session's cookies (a new handshake starts a new browser session). */
    public void clearCookies() {
        cookies.clear();
    }

    /**
     * The messages of one response, and the server's clock when it answered (its {@code Date} header, to the
     * second; {@code null} when absent).
     */
    public record Response(List<Message> messages, java.time.Instant serverTime) {
    }

    /**
     * Posts messages and parses the answer.
     *
     * @param authorization the {@code Authorization} header value
     * @param timeout how long the whole exchange may take
     */
    public CompletableFuture<Response> send(URI endpoint, String authorization, ArrayNode messages,
            Duration timeout) {
        return send(endpoint, authorization, messages, timeout, completions, null);
    }

    /**
     * Posts messages and parses the answer on {@code parser}; {@code answered}, when not null, runs on the HTTP
     * client's thread as soon as a 200 answer's body is in, before it is parsed (to send the next long poll while
     * this one is parsed).
     */
    public CompletableFuture<Response> send(URI endpoint, String authorization, ArrayNode messages,
            Duration timeout, Executor parser, Runnable answered) {
        byte[] body;
        try {
            body = JsonTree.write(messages);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new TransportFailure(0, "cannot write Bayeux JSON", e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String cookie = cookies.header();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        // The answer is taken from the body subscriber, on the HTTP client's own thread, and parsed on a worker.
        // Not from the future sendAsync returns: the JDK completes that one through CompletableFuture's default
        // executor, which on a machine with two cores or fewer starts a new thread for every response.
        CompletableFuture<Response> result = new CompletableFuture<>();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            LimitedBody subscriber = new LimitedBody(maxMessageSize);
            subscriber.getBody().thenAccept(bytes -> {
                if (answered != null && info.statusCode() == 200) {
                    answered.run();
                }
                parser.execute(() -> {
                    try {
                        cookies.receive(info.headers());
                        result.complete(new Response(parse(endpoint, info.statusCode(), bytes), serverTime(info)));
                    } catch (CompletionException e) {
                        result.completeExceptionally(e.getCause());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            });
            return subscriber;
        };
        if (BlockingSends.take()) {
            return sendBlocking(request.build(), handler, result, endpoint, timeout);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request.build(), handler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportFailure(0, "cannot send to " + endpoint + ": " + e, e));
        }
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                result.completeExceptionally(describe(endpoint, timeout, unwrap(failure)));
            }
        });
        // Cancelling the result aborts the exchange (a held connect at close()).
        result.whenComplete((r, x) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    /**
     * Sends with the JDK client's blocking {@code send} on a thread of {@link BlockingSends}; the answer still comes
     * through the body handler. Cancelling the result interrupts that thread, which aborts the exchange.
     */
    private CompletableFuture<Response> sendBlocking(HttpRequest request, HttpResponse.BodyHandler<byte[]> handler,
            CompletableFuture<Response> result, URI endpoint, Duration timeout) {
        java.util.concurrent.Future<?> task = BlockingSends.submit(() -> {
            try {
                http.send(request, handler);
            } catch (InterruptedException e) {
                result.completeExceptionally(new TransportFailure(0, "request to " + endpoint + " cancelled", e));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(describe(endpoint, timeout, e));
            }
        });
        result.whenComplete((r, x) -> {
            if (result.isCancelled()) {
                task.cancel(true);
            }
        });
        return result;
    }

    private static java.time.Instant serverTime(HttpResponse.ResponseInfo response) {
        return response.headers().firstValue("date").map(d -> {
            try {
                return java.time.ZonedDateTime.parse(d, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }).orElse(null);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static TransportFailure describe(URI endpoint, Duration timeout, Throwable failure) {
        if (failure instanceof TransportFailure tf) {
            return tf;
        }
        if (failure instanceof HttpTimeoutException) {
            return new TransportFailure(0, "no answer from " + endpoint + " within " + timeout.toSeconds() + " s",
                    failure);
        }
        String m = failure.getMessage();
        return new TransportFailure(0, "request to " + endpoint + " failed: " + failure.getClass().getSimpleName()
                + (m == null ? "" : " (" + m + ")"), failure);
    }

    private static List<Message> parse(URI endpoint, int status, byte[] body) {
        if (status != 200) {
            throw new CompletionException(new TransportFailure(status, endpoint + " answered HTTP " + status
                    + snippet(body), null));
        }
        JsonNode root;
        try {
            root = JsonTree.parse(body);
        } catch (IOException e) {
            throw new CompletionException(new TransportFailure(200, endpoint + " answered a body that is not JSON"
                    + snippet(body), e));
        }
        List<Message> messages = new ArrayList<>();
        if (root instanceof ObjectNode single) {
            messages.add(new Message(single));
        } else if (root instanceof ArrayNode array) {
            for (JsonNode item : array) {
                if (!(item instanceof ObjectNode object)) {
                    throw new CompletionException(new TransportFailure(200, endpoint
                            + " answered an array holding something other than Bayeux messages", null));
                }
                messages.add(new Message(object));
            }
        } else {
            throw new CompletionException(new TransportFailure(200, endpoint
                    + " answered JSON that is neither a message nor an array of messages" + snippet(body), null));
        }
        return messages;
    }

    /** The start of a body for an error message, printable characters only. */
    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8)
                .replaceAll("[^\\x20-\\x7e]", " ").replaceAll("\\s+", " ").trim();
        return s.isEmpty() ? "" : ": " + s + (body.length > 160 ? "..." : "");
    }
}
