package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.auth.StaticTokenAuthenticator;
import java.time.Duration;
import java.util.Map;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stock CometD server, without any of Salesforce's extensions: plain Bayeux still works. */
class StockCometDServerTest {
    Server server;
    BayeuxServerImpl bayeux;
    String url;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        bayeux = new BayeuxServerImpl();
        bayeux.setOption("timeout", 2000L);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        context.addServlet(new ServletHolder(new CometDServlet()), "/cometd/*");
        server.setHandler(context);
        server.start();
        url = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void handshakesSubscribesAndReceivesFromAStockServer() {
        try (StreamingClient client = StreamingClient.builder()
                .authenticator(StaticTokenAuthenticator.of(url, "no-token-needed")).build()) {
            client.open();
            client.subscribe("/topic/Stock");
            LocalSession publisher = bayeux.newLocalSession("publisher");
            publisher.handshake();
            publisher.getChannel("/topic/Stock").publish(Map.of("hello", "world"));
            StreamingEvent event = client.receive(Duration.ofSeconds(10)).orElseThrow();
            assertThat(event.channel()).isEqualTo("/topic/Stock");
            assertThat(event.data().path("hello").asText()).isEqualTo("world");
            assertThat(event.replayId()).isZero();
            assertThat(event.marker()).isEmpty();
        }
    }
}
