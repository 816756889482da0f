package dev.sfstream.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between a client and a server that does to connections what networks and load balancers
 * do: resets them, stalls them past the long-poll timeout, slows them, cuts a response half-way. Faults are
 * injected on demand; the randomness of the chaos schedule lives in the test (seeded), not here.
 */
final class FaultProxy implements AutoCloseable {
    /** What the proxy can do to the connections open now. */
    enum Fault {
        /** Abort every connection with a TCP reset. */
        RESET,
        /** Stop forwarding server bytes for a while, longer than the long poll. */
        STALL,
        /** Forward server bytes in dribbles for a while. */
        SLOW,
        /** Forward half of the next server chunk, then close the connection. */
        CUT
    }

    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger faults = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile int targetPort;
    private volatile long stallUntil;
    private volatile long slowUntil;
    private volatile boolean closed;
    private final Thread acceptor;

    FaultProxy() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    void target(int port) {
        this.targetPort = port;
    }

    int faultsInjected() {
        return faults.get();
    }

    long bytesForwarded() {
        return bytes.get();
    }

    void inject(Fault fault, Duration length) {
        faults.incrementAndGet();
        switch (fault) {
            case RESET -> links.forEach(Link::reset);
            case STALL -> stallUntil = System.nanoTime() + length.toNanos();
            case SLOW -> slowUntil = System.nanoTime() + length.toNanos();
            case CUT -> links.forEach(l -> l.cutNext = true);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        links.forEach(Link::reset);
    }

    /** One proxied connection: a pump each way. */
    private final class Link {
        final Socket client;
        final Socket server;
        volatile boolean cutNext;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, server, false), "fault-proxy-up");
            Thread down = new Thread(() -> pump(server, client, true), "fault-proxy-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, boolean serverToClient) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (serverToClient) {
                        while (System.nanoTime() < stallUntil && !from.isClosed()) {
                            Thread.sleep(20);
                        }
                        if (cutNext) {
                            out.write(buffer, 0, n / 2);
                            out.flush();
                            reset();
                            return;
                        }
                        if (System.nanoTime() < slowUntil) {
                            for (int i = 0; i < n; i += 64) {
                                out.write(buffer, i, Math.min(64, n - i));
                                out.flush();
                                Thread.sleep(2);
                            }
                            bytes.addAndGet(n);
                            continue;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    bytes.addAndGet(n);
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or a fault closed the link
            } finally {
                reset();
            }
        }

        void reset() {
            links.remove(this);
            for (Socket s : new Socket[] {client, server}) {
                try {
                    s.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // already closed
                }
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
