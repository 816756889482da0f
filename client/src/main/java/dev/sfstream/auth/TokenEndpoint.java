package dev.sfstream.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.AuthenticationException;
import dev.sfstream.TransportException;
import dev.sfstream.internal.JsonTree;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One POST to Salesforce's OAuth token endpoint and the reading of its answer: the success body
 * ({@code access_token}, {@code instance_url}, {@code id}, {@code token_type}, {@code issued_at}) becomes an
 * {@link AccessToken}; an error body becomes an {@link AuthenticationException} with
 * Salesforce's {@code error} and {@code error_description}; a host that cannot be reached becomes a
 * {@link TransportException}. The parameters, which hold secrets, appear in no message.
 */
final class TokenEndpoint {
    private TokenEndpoint() {
    }

    static AccessToken request(HttpClient http, LoginHost host, Map<String, String> params, Duration timeout,
            String flow) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(host.tokenEndpoint())
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransportException("cannot reach the login host " + host + " for the " + flow + " flow: "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while logging in at " + host, e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200 || json == null || !json.hasNonNull("access_token")) {
            if (json != null && json.hasNonNull("error")) {
                String error = json.path("error").asText();
                String description = json.path("error_description").asText("");
                throw new AuthenticationException(error, description, response.statusCode(),
                        "Salesforce refused the " + flow + " login at " + host + ": " + error
                                + (description.isEmpty() ? "" : " (" + description + ")"));
            }
            throw new AuthenticationException(null, null, response.statusCode(), "the " + flow + " login at "
                    + host + " answered HTTP " + response.statusCode() + " without an OAuth error body");
        }
        URI instance;
        try {
            instance = URI.create(json.path("instance_url").asText());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(null, null, response.statusCode(), "the " + flow + " login at " + host
                    + " answered an instance_url that is not a URL");
        }
        if (instance.getHost() == null) {
            throw new AuthenticationException(null, null, response.statusCode(), "the " + flow + " login at " + host
                    + " answered without an instance_url");
        }
        LoginHost.checkPlainHttp(instance, host.plainHttpAllowed(), "the instance URL from " + host);
        return fromResponse(json, instance);
    }

    /** Builds the token from a success body; user and org IDs come from the identity URL. */
    static AccessToken fromResponse(JsonNode json, URI instance) {
        String userId = null;
        String orgId = null;
        String id = json.path("id").asText("");
        String[] parts = id.split("/");
        if (parts.length >= 3 && id.contains("/id/")) {
            userId = parts[parts.length - 1];
            orgId = parts[parts.length - 2];
        }
        Instant issuedAt = Instant.now();
        String issued = json.path("issued_at").asText("");
        if (issued.matches("\\d{10,16}")) {
            issuedAt = Instant.ofEpochMilli(Long.parseLong(issued));
        }
        return new AccessToken(trimSlash(instance), json.path("access_token").asText(),
                json.path("token_type").asText("Bearer"), userId, orgId, issuedAt);
    }

    private static URI trimSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JsonTree.parse(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
