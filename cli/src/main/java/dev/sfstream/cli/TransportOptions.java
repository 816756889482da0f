package dev.sfstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.internal.Json;
import dev.sfstream.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --transport}, {@code --pubsub-endpoint} and {@code --pubsub-tls}: which Salesforce API events come
 * through. With {@code --emulator URL} and no endpoint, the emulator's own Pub/Sub endpoint is asked for.
 */
final class TransportOptions {
    @Option(names = "--transport", paramLabel = "bayeux|pubsub", defaultValue = "bayeux",
            description = "The API: bayeux (the Streaming API, every channel) or pubsub (the Pub/Sub API: /event/ "
                    + "and /data/ channels only) [default: ${DEFAULT-VALUE}].")
    String transport;

    @Option(names = "--pubsub-endpoint", paramLabel = "HOST:PORT", description = "The Pub/Sub API endpoint "
            + "[default: api.pubsub.salesforce.com:7443; with --emulator, the emulator's].")
    String endpoint;

    @Option(names = "--pubsub-tls", paramLabel = "verify|plaintext|trust-any", description = "TLS of the Pub/Sub "
            + "endpoint: verified (the default), or for a loopback endpoint only plaintext or trust-any.")
    String tls;

    /** The transport chosen, with its settings. */
    Transport transport(Credentials credentials) {
        String name = transport.trim().toLowerCase(Locale.ROOT);
        if (!name.equals("pubsub")) {
            if (endpoint != null || tls != null) {
                throw new IllegalArgumentException("--pubsub-endpoint and --pubsub-tls go with --transport pubsub");
            }
            return Transport.named(name);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        String end = endpoint;
        String security = tls;
        if (end == null && credentials.emulatorUrl() != null) {
            JsonNode status = emulatorStatus(credentials.emulatorUrl());
            end = status.path("pubSubEndpoint").asText(null);
            if (end == null) {
                throw new IllegalArgumentException("the emulator at " + credentials.emulatorUrl() + " serves no "
                        + "Pub/Sub API; give --pubsub-endpoint");
            }
            if (security == null) {
                // The emulator's certificate is self-signed, and it listens on loopback.
                security = status.path("pubSubTls").asBoolean(true) ? "trust-any" : "plaintext";
            }
        }
        if (end != null) {
            settings.put("endpoint", end);
        }
        if (security != null) {
            settings.put("tls", security);
        }
        return Transport.named("pubsub", settings);
    }

    private static JsonNode emulatorStatus(String url) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    url.replaceAll("/+$", "") + "/emulator/status")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalArgumentException("the emulator at " + url + " answered HTTP " + r.statusCode()
                        + " for its status: is it an sfstream emulator?");
            }
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new dev.sfstream.TransportException("cannot ask the emulator at " + url + " for its Pub/Sub "
                    + "endpoint: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.sfstream.TransportException("interrupted while asking the emulator for its status", e);
        }
    }
}
