package dev.sfstream.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.RestException;
import dev.sfstream.StreamingClient;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.internal.Checks;
import dev.sfstream.internal.Json;
import dev.sfstream.internal.Shared;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Salesforce REST calls around the Streaming API: {@code query} (following {@code nextRecordsUrl}),
 * {@code get}, {@code create}, {@code update}, {@code delete}, platform event publishing and generic channel
 * pushes. Runs on the same {@link Authenticator} and HTTP client as a streaming client, so both share one token:
 * a request answered 401 {@code INVALID_SESSION_ID} renews it once (single-flight) and is sent again.
 *
 * <p>Salesforce's error bodies become a {@link RestException} with {@code errorCode}, {@code message} and
 * {@code fields}; a host that cannot be reached, a {@link TransportException}. Thread-safe.
 */
public final class SalesforceRest {
    private final Authenticator authenticator;
    private final String apiVersion;
    private final HttpClient http;
    private final Duration timeout;

    private SalesforceRest(Builder b) {
        this.authenticator = b.authenticator;
        this.apiVersion = b.apiVersion;
        this.http = b.httpClient != null ? b.httpClient : Shared.httpClient();
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A REST client on the streaming client's authenticator and API version: one token for both. */
    public static SalesforceRest of(StreamingClient client) {
        return builder().authenticator(client.authenticator()).apiVersion(client.apiVersion()).build();
    }

    public String apiVersion() {
        return apiVersion;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** The result of a query: every record, all pages followed. */
    public record QueryResult(int totalSize, List<ObjectNode> records) {
        public QueryResult {
            records = List.copyOf(records);
        }
    }

    /** Runs a SOQL query and follows {@code nextRecordsUrl} until {@code done}. */
    public QueryResult query(String soql) {
        Objects.requireNonNull(soql, "soql");
        String path = "/services/data/v" + apiVersion + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
        List<ObjectNode> records = new ArrayList<>();
        int total = -1;
        String context = "query";
        while (path != null) {
            JsonNode page = send("GET", path, null, context);
            if (total < 0) {
                total = page.path("totalSize").asInt();
            }
            page.path("records").forEach(r -> records.add((ObjectNode) r));
            path = page.path("done").asBoolean(true) ? null : page.path("nextRecordsUrl").asText(null);
        }
        return new QueryResult(Math.max(total, 0), records);
    }

    /** A record by type and ID; empty when it does not exist. */
    public Optional<ObjectNode> get(String sobjectType, String id) {
        try {
            return Optional.of((ObjectNode) send("GET", sobject(sobjectType) + "/" + encode(id), null,
                    "get " + sobjectType + " " + id));
        } catch (RestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a record; returns its ID. */
    public String create(String sobjectType, Map<String, ?> fields) {
        JsonNode result = send("POST", sobject(sobjectType), fields, "create " + sobjectType);
        return result.path("id").asText();
    }

    /** Updates a record's fields. */
    public void update(String sobjectType, String id, Map<String, ?> fields) {
        send("PATCH", sobject(sobjectType) + "/" + encode(id), fields, "update " + sobjectType + " " + id);
    }

    /** Deletes a record. */
    public void delete(String sobjectType, String id) {
        send("DELETE", sobject(sobjectType) + "/" + encode(id), null, "delete " + sobjectType + " " + id);
    }

    /** Publishes a platform event ({@code Order_Placed__e}); returns the event's ID. */
    public String publish(String eventType, Map<String, ?> fields) {
        if (!eventType.endsWith("__e")) {
            throw new IllegalArgumentException("a platform event type ends with __e, got '" + eventType + "'");
        }
        return create(eventType, fields);
    }

    /**
     * Pushes a payload on a generic channel (by StreamingChannel record ID), to every subscriber or to the given
     * users; returns Salesforce's answer ({@code fanoutCount}, {@code userOnlineStatus}).
     */
    public JsonNode push(String streamingChannelId, String payload, Collection<String> userIds) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode event = body.putArray("pushEvents").addObject();
        event.put("payload", payload);
        userIds.forEach(event.putArray("userIds")::add);
        if (userIds.isEmpty()) {
            event.putArray("userIds");
        }
        return send("POST", sobject("StreamingChannel") + "/" + encode(streamingChannelId) + "/push", body,
                "push to StreamingChannel " + streamingChannelId);
    }

    /**
     * Sends any request under the instance URL and returns the JSON answer (an empty object for 204).
     *
     * @param path starting with {@code /services/...}
     */
    public JsonNode send(String method, String path, Object body, String context) {
        AccessToken token = authenticator.token();
        HttpResponse<String> response = exchange(token, method, path, body);
        if (response.statusCode() == 401) {
            token = authenticator.renew(token);
            response = exchange(token, method, path, body);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 300) {
            throw new RestException(response.statusCode(), errors(json, response.body()), method + " " + context);
        }
        return json == null ? Json.MAPPER.createObjectNode() : json;
    }

    private HttpResponse<String> exchange(AccessToken token, String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(token.instanceUrl() + path))
                .timeout(timeout)
                .header("Authorization", token.authorizationHeader())
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body cannot be written as JSON: " + e.getMessage(), e);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransportException(method + " " + token.instanceUrl() + path.replaceAll("\\?.*", "")
                    + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " ("
                    + e.getMessage() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted during " + method + " " + path, e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<RestException.Error> errors(JsonNode json, String raw) {
        List<RestException.Error> errors = new ArrayList<>();
        if (json != null && json.isArray()) {
            for (JsonNode e : json) {
                List<String> fields = new ArrayList<>();
                e.path("fields").forEach(f -> fields.add(f.asText()));
                errors.add(new RestException.Error(e.path("errorCode").asText(null), e.path("message").asText(null),
                        fields));
            }
        } else if (json != null && json.has("error")) {
            errors.add(new RestException.Error(json.path("error").asText(), json.path("error_description").asText(),
                    List.of()));
        } else if (raw != null && !raw.isBlank()) {
            String text = raw.replaceAll("\\s+", " ").trim();
            errors.add(new RestException.Error("UNKNOWN", text.length() > 200 ? text.substring(0, 200) + "..."
                    : text, List.of()));
        }
        return errors;
    }

    private String sobject(String type) {
        if (type == null || !type.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an sObject type name: '" + type + "'");
        }
        return "/services/data/v" + apiVersion + "/sobjects/" + type;
    }

    private static String encode(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SalesforceRest[apiVersion=" + apiVersion + ", authenticator=" + authenticator + "]";
    }

    /** Builds a {@link SalesforceRest}. */
    public static final class Builder {
        private Authenticator authenticator;
        private String apiVersion = "64.0";
        private HttpClient httpClient;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Required; share the streaming client's to share its token. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** The REST API version; 64.0 by default. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** How long one request may take; 60 seconds. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is wrong */
        public SalesforceRest build() {
            if (authenticator == null) {
                throw new IllegalArgumentException("authenticator is required");
            }
            Checks.apiVersion(apiVersion);
            Checks.positive("timeout", timeout);
            return new SalesforceRest(this);
        }
    }
}
