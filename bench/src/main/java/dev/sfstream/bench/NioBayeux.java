package dev.sfstream.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fan-out load side: thousands of Bayeux sessions, each on its own plain socket, all driven by one selector
 * thread that writes a request and reads the HTTP/1.1 answer (Content-Length or chunked), keeping the cookies
 * (CometD holds no connect without its browser cookie). It does nothing more, so on a shared two-core machine the
 * CPU goes to the emulator being measured rather than to the load generator.
 *
 * <p>Each {@link Connection} carries one request at a time; {@link Connection#post} completes with the response
 * body, on the selector thread.
 */
final class NioBayeux implements AutoCloseable {
    private final Selector selector;
    private final InetSocketAddress address;
    private final String head;
    private final Queue<Connection> toWrite = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean open = true;

    NioBayeux(String instanceUrl, String authorization) throws IOException {
        URI uri = URI.create(instanceUrl);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.head = "POST /cometd/64.0 HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json\r\nContent-Length: ";
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "nio-bayeux");
        loop.setDaemon(true);
        loop.start();
    }

    /** Opens a new connection (the TCP connect completes on the selector thread). */
    Connection connection() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(address);
        return new Connection(channel);
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    private void run() {
        try {
            while (open) {
                selector.select();
                for (Connection c = toWrite.poll(); c != null; c = toWrite.poll()) {
                    c.register();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            c.write();
                        } else if (key.isReadable()) {
                            c.read();
                        }
                    } catch (IOException | RuntimeException e) {
                        key.cancel();
                        c.fail(e);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One keep-alive connection, one request at a time. */
    final class Connection {
        private final SocketChannel channel;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(4096);
        private CompletableFuture<String> answer;
        private SelectionKey key;
        private String last = "(nothing)";
        private final Map<String, String> cookies = new ConcurrentHashMap<>(); // BAYEUX_BROWSER and the like

        private Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Posts a Bayeux message array; completes with the body of the answer. */
        CompletableFuture<String> post(String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String cookieLine = cookies.isEmpty() ? "" : "\r\nCookie: " + String.join("; ", cookies.values());
            byte[] header = (head + body.length + cookieLine + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer buffer = ByteBuffer.allocate(header.length + body.length).put(header).put(body).flip();
            CompletableFuture<String> future = new CompletableFuture<>();
            synchronized (this) {
                if (answer != null && !answer.isDone()) {
                    throw new IllegalStateException("one request at a time on a connection");
                }
                out = buffer;
                answer = future;
            }
            toWrite.add(this);
            if (Thread.currentThread() != loop) {
                selector.wakeup();
            }
            return future;
        }

        private void register() {
            try {
                if (key == null) {
                    key = channel.register(selector, channel.isConnected() ? SelectionKey.OP_WRITE
                            : SelectionKey.OP_CONNECT, this);
                } else {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void write() throws IOException {
            channel.write(out);
            if (!out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("the server closed the connection; its last answer began: " + last);
            }
            String body = complete();
            if (body != null) {
                last = new String(in.array(), 0, Math.min(in.position(), 300), StandardCharsets.ISO_8859_1);
                in.clear();
                key.interestOps(0);
                CompletableFuture<String> done;
                synchronized (this) {
                    done = answer;
                }
                done.complete(body);
            }
        }

        /** The body when the buffer holds a whole response, else null. */
        private String complete() throws IOException {
            String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return null;
            }
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new IOException("the emulator answered " + text.substring(0, text.indexOf('\r')));
            }
            String headers = text.substring(0, end + 2).toLowerCase(Locale.ROOT); // each header line ends in CRLF
            String setCookie = "\r\nset-cookie:";
            for (int at = headers.indexOf(setCookie); at >= 0; at = headers.indexOf(setCookie, at + 1)) {
                String pair = text.substring(at + 13, text.indexOf('\r', at + 13)).trim().split(";", 2)[0];
                cookies.put(pair.substring(0, pair.indexOf('=')), pair);
            }
            int bodyStart = end + 4;
            int length = headers.indexOf("content-length:");
            if (length >= 0) {
                int n = Integer.parseInt(headers.substring(length + 15, headers.indexOf('\r', length)).trim());
                return text.length() - bodyStart >= n ? utf8(text.substring(bodyStart, bodyStart + n)) : null;
            }
            StringBuilder body = new StringBuilder();
            int at = bodyStart;
            while (true) { // chunked: size CRLF data CRLF ... 0 CRLF CRLF
                int lineEnd = text.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    return null;
                }
                int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return text.indexOf("\r\n", lineEnd + 2) >= 0 ? utf8(body.toString()) : null;
                }
                if (text.length() < lineEnd + 2 + size + 2) {
                    return null;
                }
                body.append(text, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }

        private String utf8(String latin1) {
            return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        private void fail(Throwable e) {
            CompletableFuture<String> done;
            synchronized (this) {
                done = answer;
            }
            if (done != null) {
                done.completeExceptionally(e);
            }
        }
    }
}
