package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The URL the emulator hands out as its own: the address each client used (its {@code Host} header), so that a
 * client that reached an emulator bound to {@code 0.0.0.0} on a LAN address keeps calling that address, unless an
 * advertised URL is configured, which always wins. The requests are written on a socket to 127.0.0.1 with another
 * {@code Host}: the tests never listen beyond loopback.
 */
class InstanceUrlTest {
    private static final String PASSWORD_GRANT = RawHttp.form(Map.of("grant_type", "password",
            "client_id", Emulator.DEFAULT_CLIENT_ID, "client_secret", Emulator.DEFAULT_CLIENT_SECRET,
            "username", Emulator.DEFAULT_USERNAME, "password", Emulator.DEFAULT_PASSWORD));

    @Test
    void tokenResponseGivesTheAddressTheClientUsed() throws IOException {
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            String other = "http://127.0.0.2:" + emulator.port();
            JsonNode token = tokenVia(emulator, "127.0.0.2:" + emulator.port());
            assertThat(token.path("instance_url").asText()).isEqualTo(other);
            assertThat(token.path("id").asText()).isEqualTo(other + "/id/" + emulator.orgId() + "/"
                    + emulator.userId(Emulator.DEFAULT_USERNAME));
            assertThat(tokenVia(emulator, "localhost:" + emulator.port()).path("instance_url").asText())
                    .isEqualTo("http://localhost:" + emulator.port());
            assertThat(tokenVia(emulator, "[::1]:" + emulator.port()).path("instance_url").asText())
                    .isEqualTo("http://[::1]:" + emulator.port());
            // The identity names the same address as the token response that led to it.
            String userinfo = body(send(emulator, "GET /services/oauth2/userinfo HTTP/1.1\r\nHost: 127.0.0.2:"
                    + emulator.port() + "\r\nAuthorization: Bearer " + token.path("access_token").asText()
                    + "\r\nConnection: close\r\n\r\n"));
            assertThat(RawHttp.parse(userinfo).path("sub").asText()).startsWith(other + "/id/");
        }
    }

    @Test
    void clientsThatUseTheAddressItPrintedGetThatAddress() {
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            assertThat(new RawHttp(emulator.url()).login().path("instance_url").asText()).isEqualTo(emulator.url());
        }
    }

    @Test
    void advertisedUrlWinsOverTheAddressTheClientUsed() throws IOException {
        try (Emulator emulator = Emulator.builder().quiet(true).advertisedUrl("http://proxy.test:9999/").build()
                .start()) {
            JsonNode token = tokenVia(emulator, "127.0.0.2:" + emulator.port());
            assertThat(token.path("instance_url").asText()).isEqualTo("http://proxy.test:9999");
            assertThat(token.path("id").asText()).startsWith("http://proxy.test:9999/id/");
            assertThat(new RawHttp(emulator.url()).login().path("instance_url").asText())
                    .isEqualTo("http://proxy.test:9999");
            assertThat(emulator.advertisedUrl()).contains("http://proxy.test:9999");
        }
    }

    @Test
    void advertisedUrlMustBeAnHttpUrl() {
        for (String bad : new String[] {"proxy.test:9999", "ftp://proxy.test", "http://", "http://x.test/?a=b"}) {
            assertThatThrownBy(() -> Emulator.builder().advertisedUrl(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advertisedUrl");
        }
        assertThat(Emulator.builder().advertisedUrl("https://emulator.test").build().advertisedUrl())
                .contains("https://emulator.test");
    }

    @Test
    void advertisedUrlComesFromTheConfigurationFileOrTheOption(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("emulator.json"), "{\"advertisedUrl\": \"http://from.file:1\"}");
        assertThat(EmulatorConfig.fromOptions(config, 0, null, null).build().advertisedUrl())
                .contains("http://from.file:1");
        assertThat(EmulatorConfig.fromOptions(config, 0, null, null, "http://from.option:2").build().advertisedUrl())
                .contains("http://from.option:2");
    }

    private static JsonNode tokenVia(Emulator emulator, String host) throws IOException {
        String request = "POST /services/oauth2/token HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + PASSWORD_GRANT.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + PASSWORD_GRANT;
        String response = send(emulator, request);
        assertThat(response).startsWith("HTTP/1.1 200");
        return RawHttp.parse(body(response));
    }

    /** One request on a fresh connection to 127.0.0.1, whatever its Host header says; the whole response. */
    private static String send(Emulator emulator, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (response.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder joined = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
                if (size == 0) {
                    return joined.toString();
                }
                joined.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
        }
        return body;
    }
}
