package dev.sfstream.emulator.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /emulator/events}: the console's live feed, as server-sent events ({@code text/event-stream}). A feed
 * gets a {@code state} event ({@link ConsoleState}) when it opens and again whenever the state changed, then the
 * newest retained events of the org (up to {@value #RECENT} across its channels, oldest first), then an
 * {@code event} event ({@link ConsoleEvents}) for every event appended to any channel after them: PushTopic, change,
 * platform and generic events, whoever published them (REST, the Java API, the Pub/Sub API). Within a channel events
 * come in replay ID order, without gap or duplicate, as long as the channel retains them.
 *
 * <p>The feed is not a Streaming API client: it takes no session, subscription or delivery allocation, so the
 * console neither shows up in the clients it lists nor is hit by the faults it triggers.
 *
 * <p>Threads: one thread, {@code sfstream-console-1}, started with the first feed, looks at the channel logs
 * every {@value #TICK_MILLIS} ms and writes to every open feed. Writes never block it (servlet non-blocking output):
 * a browser that stops reading holds up no one; while more than {@value #SLOW_BYTES} bytes wait for it, its feed is
 * sent nothing new, and over {@value #MAX_PENDING_BYTES} it is closed (a browser's EventSource then reconnects and
 * starts again from the recent events).
 */
final class ConsoleFeed extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFeed.class);
    static final int RECENT = 100;
    static final long TICK_MILLIS = 200;
    /** Events one feed is sent per channel per tick, so that one busy channel cannot flood a browser. */
    private static final int PER_TICK = 500;
    private static final long SLOW_BYTES = 1L << 20;
    private static final long MAX_PENDING_BYTES = 8L << 20;
    /** A comment line this often keeps an idle feed under every idle timeout on the way and finds closed ones. */
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final transient EmulatedOrg org;
    private final transient ConsoleState state;
    private final transient Set<Feed> feeds = ConcurrentHashMap.newKeySet();
    private transient ScheduledExecutorService ticker;
    private transient boolean stopped;

    ConsoleFeed(EmulatedOrg org, Faults faults) {
        this.org = org;
        this.state = new ConsoleState(org, faults);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!startTicking()) {
            response.sendError(503);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Feed feed = new Feed(async, response.getOutputStream());
        async.addListener(feed);
        response.getOutputStream().setWriteListener(feed); // before the ticker can write to it
        feeds.add(feed);
    }

    private synchronized boolean startTicking() {
        if (stopped) {
            return false;
        }
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sfstream-console-1");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** Closes every feed and stops the thread; called as the server stops. */
    synchronized void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        feeds.forEach(Feed::close);
    }

    private void tick() {
        if (feeds.isEmpty()) {
            return;
        }
        try {
            String current = "event: state\ndata: " + Json.MAPPER.writeValueAsString(state.build()) + "\n\n";
            Map<String, ChannelLog> logs = org.hub().logs();
            Instant now = org.clock().instant();
            for (Feed feed : feeds) {
                feed.tick(current, logs, now);
            }
        } catch (Exception e) {
            // Never let the scheduled task die: the next tick tries again.
            LOG.warn("the console feed could not be updated: {}", e.toString());
        }
    }

    private record Appended(String channel, RetainedEvent event) {
    }

    /** One open feed: where it is in each channel's log (touched by the ticker only) and the bytes waiting. */
    private final class Feed implements WriteListener, AsyncListener {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final Map<String, Long> cursors = new HashMap<>();
        private boolean started;
        private String lastState;
        private long lastSent = System.nanoTime();
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>(); // guarded by this
        private long pendingBytes; // guarded by this
        private boolean unflushed; // guarded by this
        private volatile boolean closed;

        Feed(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        void tick(String currentState, Map<String, ChannelLog> logs, Instant now) throws IOException {
            if (!currentState.equals(lastState)) {
                lastState = currentState;
                send(currentState);
            }
            List<Appended> appended = started ? appended(logs, now) : recent(logs, now);
            started = true;
            appended.sort(Comparator.comparing((Appended a) -> a.event().createdAt)
                    .thenComparing(Appended::channel).thenComparingLong(a -> a.event().replayId));
            for (Appended a : appended) {
                send("event: event\ndata: "
                        + Json.MAPPER.writeValueAsString(ConsoleEvents.describe(a.channel(), a.event())) + "\n\n");
            }
            if (System.nanoTime() - lastSent > KEEPALIVE_NANOS) {
                send(": keepalive\n\n");
            }
        }

        /** The newest retained events, up to {@link #RECENT} across channels; each channel's cursor after its own. */
        private List<Appended> recent(Map<String, ChannelLog> logs, Instant now) {
            List<Appended> all = new ArrayList<>();
            logs.forEach((name, log) -> {
                List<RetainedEvent> tail = log.last(RECENT, now);
                cursors.put(name, tail.isEmpty() ? 0L : tail.get(tail.size() - 1).replayId);
                tail.forEach(e -> all.add(new Appended(name, e)));
            });
            all.sort(Comparator.comparing((Appended a) -> a.event().createdAt));
            return new ArrayList<>(all.subList(Math.max(0, all.size() - RECENT), all.size()));
        }

        private List<Appended> appended(Map<String, ChannelLog> logs, Instant now) {
            List<Appended> out = new ArrayList<>();
            if (waitingBytes() > SLOW_BYTES) {
                return out; // the browser is behind: what it has not been sent stays in the logs for now
            }
            logs.forEach((name, log) -> {
                long cursor = cursors.getOrDefault(name, 0L);
                if (log.lastReplayId() <= cursor) {
                    return;
                }
                List<RetainedEvent> next = log.after(cursor, PER_TICK, now);
                if (!next.isEmpty()) {
                    cursors.put(name, next.get(next.size() - 1).replayId);
                    next.forEach(e -> out.add(new Appended(name, e)));
                }
            });
            return out;
        }

        private synchronized long waitingBytes() {
            return pendingBytes;
        }

        private synchronized void send(String text) {
            if (closed) {
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            pending.add(bytes);
            pendingBytes += bytes.length;
            lastSent = System.nanoTime();
            if (pendingBytes > MAX_PENDING_BYTES) {
                close();
                return;
            }
            drain();
        }

        @Override
        public synchronized void onWritePossible() {
            drain();
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /** Writes what waits while the output takes it without blocking; the container calls back when it can again. */
        private void drain() {
            try {
                while (!closed && out.isReady()) {
                    byte[] next = pending.poll();
                    if (next == null) {
                        if (!unflushed) {
                            return;
                        }
                        unflushed = false;
                        out.flush();
                        continue;
                    }
                    pendingBytes -= next.length;
                    out.write(next);
                    unflushed = true;
                }
            } catch (IOException | IllegalStateException e) {
                close(); // the browser went away
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            feeds.remove(this);
            try {
                async.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container, after an error
            }
        }
    }
}
