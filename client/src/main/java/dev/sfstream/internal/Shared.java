package dev.sfstream.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads and the HTTP client that every sfstream client of a JVM shares unless given its own, so that the
 * thread count does not grow with the number of clients:
 * <ul>
 *   <li>{@code sfstream-timer-1}: one thread for every delay (backoff, advice interval);</li>
 *   <li>{@code sfstream-worker-n}: a cached pool that runs each client's state machine and its listeners on serial
 *       lanes; threads exist only while there is work;</li>
 *   <li>one {@link HttpClient} (HTTP/1.1, no cookie handler: each session keeps its own cookies), built on first
 *       use, for plain {@code http} URLs without the JVM's TLS context (see {@code SchemeRoutedHttpClient}).</li>
 * </ul>
 * All threads are daemon threads: they never keep a JVM alive.
 */
public final class Shared {
    private static final ScheduledExecutorService TIMER = newTimer();
    /** The name prefix of the shared worker threads. */
    public static final String WORKER_PREFIX = "sfstream-worker-";
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(daemon(WORKER_PREFIX));
    private static volatile HttpClient http;

    private Shared() {
    }

    public static ScheduledExecutorService timer() {
        return TIMER;
    }

    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("sfstream-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    public static ExecutorService workers() {
        return WORKERS;
    }

    /** The shared HTTP client, created on first use. */
    public static HttpClient httpClient() {
        HttpClient c = http;
        if (c == null) {
            synchronized (Shared.class) {
                c = http;
                if (c == null) {
                    c = new SchemeRoutedHttpClient(() -> HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .executor(Runnable::run));
                    http = c;
                }
            }
        }
        return c;
    }

    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
