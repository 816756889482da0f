package dev.sfstream.emulator.internal;

import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.http.AbstractHttpTransport;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Wires the emulator together: Jetty 12 with the CometD server on {@code /cometd/*}, OAuth on
 * {@code /services/oauth2/*}, REST on {@code /services/data/*}, the identity URL on {@code /id/*}, the fault
 * endpoints on {@code /emulator/*}, and the web console on {@code /} and {@code /console/*} ({@link ConsoleServlet})
 * with its live feed on {@code /emulator/events} ({@link ConsoleFeed}). Salesforce's streaming behaviour is added
 * around the stock CometD server the CometD way, without touching its core: a security policy
 * ({@link SalesforcePolicy}), an extension for incoming meta messages ({@link SalesforceRequests}, with
 * {@link SubscribeRules}), one for outgoing replies ({@link SalesforceReplies}) and a session listener
 * ({@link ClientSessions}). Beside it, on its own port, the Pub/Sub API's gRPC server ({@link PubSubServer}) on the
 * same org and event log.
 *
 * <p>Long polls are asynchronous: a waiting client holds no thread.
 */
public final class EmulatorServer {
    private final EmulatedOrg org;
    private final Faults faults;
    private final Server server;
    private final BayeuxServerImpl bayeux;
    private final PubSubServer pubSub;
    private final ConsoleFeed console;
    private volatile String baseUrl;

    public EmulatorServer(Settings settings) {
        this.org = new EmulatedOrg(settings);
        ClientSessions sessions = new ClientSessions(org.hub());
        SalesforcePolicy policy = new SalesforcePolicy(org, sessions);
        SubscribeRules subscriptions = new SubscribeRules(org);
        this.pubSub = new PubSubServer(org, settings.pubSub(), settings.host());
        this.faults = new Faults(org, sessions, policy, pubSub);

        // Long polls are asynchronous, so a small pool serves thousands of clients; more threads would only add
        // switching (measured: the same fan-out to 10,000 clients with 256 threads and with 32).
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("sfstream-emulator");
        threads.setDaemon(true);
        this.server = new Server(threads);
        // Jetty keeps a 96 KiB header cache per connection by default; with thousands of held long polls that is
        // most of the heap, and our requests carry few repeated headers worth caching.
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(0);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.longPollTimeout().toMillis() + 30_000);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        this.bayeux = new BayeuxServerImpl();
        bayeux.setOption(BayeuxServerImpl.ALLOWED_TRANSPORTS_OPTION, "long-polling");
        bayeux.setOption(AbstractServerTransport.TIMEOUT_OPTION, settings.longPollTimeout().toMillis());
        bayeux.setOption(AbstractServerTransport.INTERVAL_OPTION, 0L);
        bayeux.setOption(AbstractServerTransport.MAX_INTERVAL_OPTION, settings.reconnectTimeout().toMillis());
        bayeux.setOption(AbstractServerTransport.META_CONNECT_DELIVERY_OPTION, true);
        bayeux.setOption(AbstractServerTransport.JSON_CONTEXT_OPTION, BayeuxJsonContext.class.getName());
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_NAME_OPTION, "BAYEUX_BROWSER");
        bayeux.setOption(BayeuxServerImpl.SWEEP_PERIOD_OPTION, 250L);
        bayeux.setSecurityPolicy(policy);
        // Incoming messages meet the extensions in the order added, replies in the reverse order.
        bayeux.addExtension(new SalesforceRequests(org, policy, sessions, subscriptions));
        bayeux.addExtension(new SalesforceReplies(org, sessions, subscriptions));
        bayeux.addListener(sessions);
        sessions.attach(bayeux);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        ServletHolder cometd = new ServletHolder(new CometDServlet());
        cometd.setInitOrder(1);
        context.addServlet(cometd, "/cometd/*");
        context.addFilter(new FilterHolder(new RequestLimitFilter()), "/cometd/*", EnumSet.of(DispatcherType.REQUEST));
        OAuthServlet oauth = new OAuthServlet(org, new InstanceUrl(settings.advertisedUrl(), this::url));
        context.addServlet(new ServletHolder(oauth), "/services/oauth2/*");
        context.addServlet(new ServletHolder(new RestServlet(org)), "/services/data/*");
        context.addServlet(new ServletHolder(new IdentityServlet(org, oauth)), "/id/*");
        context.addServlet(new ServletHolder(new FaultServlet(faults)), "/emulator/*");
        this.console = new ConsoleFeed(org, faults);
        context.addServlet(new ServletHolder(console), "/emulator/events");
        ServletHolder files = new ServletHolder(new ConsoleServlet());
        context.addServlet(files, "");
        context.addServlet(files, "/console/*");
        server.setHandler(context);
    }

    public void start() throws Exception {
        server.start();
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        baseUrl = "http://" + host + ":" + connector.getLocalPort();
        try {
            pubSub.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    public void stop() throws Exception {
        try {
            console.stop();
            pubSub.stop();
            server.stop();
        } finally {
            org.save();
        }
    }

    public String url() {
        return baseUrl;
    }

    public InetSocketAddress address() {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    public EmulatedOrg org() {
        return org;
    }

    /** The Pub/Sub API's server, on the same org. */
    public PubSubServer pubSub() {
        return pubSub;
    }

    public Faults faults() {
        return faults;
    }
}
