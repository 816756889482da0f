package dev.sfstream.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The shared HTTP client: requests to {@code https} URLs go to a client with the JVM's default TLS context, requests
 * to plain {@code http} URLs (an emulator on loopback) to one whose TLS context trusts nothing. Each is built on
 * first use.
 *
 * <p>Why: the JDK's client takes the default {@code SSLContext} when it is built, and making that one reads the
 * JVM's trust store and starts its security providers, about a third of a second of a fresh JVM on a small machine,
 * which a client that speaks only plain HTTP would pay for nothing (tests, the demo, a restarted service on an
 * emulator). The plain client can never complete a TLS handshake: its context has no trust, so a redirect or a
 * misrouted {@code https} request fails instead of going out unchecked.
 */
final class SchemeRoutedHttpClient extends HttpClient {
    private final Lazy tls;
    private final Lazy plain;

    SchemeRoutedHttpClient(Supplier<HttpClient.Builder> builder) {
        this.tls = new Lazy(() -> builder.get().build());
        this.plain = new Lazy(() -> builder.get().sslContext(trustingNothing()).build());
    }

    private HttpClient route(HttpRequest request) {
        return "http".equalsIgnoreCase(request.uri().getScheme()) ? plain.get() : tls.get();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return route(request).send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return route(request).sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return route(request).sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return tls.get().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return tls.get().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return tls.get().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return tls.get().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return tls.get().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return tls.get().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return tls.get().authenticator();
    }

    @Override
    public Version version() {
        return tls.get().version();
    }

    @Override
    public Optional<Executor> executor() {
        return tls.get().executor();
    }

    /** A TLS context with no key and no trust: enough for the JDK's client to be built, never to connect. */
    private static SSLContext trustingNothing() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    throw new CertificateException("this client speaks plain HTTP only");
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    throw new CertificateException("this client speaks plain HTTP only");
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS context", e);
        }
    }

    /** A client built on first use, once. */
    private static final class Lazy {
        private final Supplier<HttpClient> factory;
        private volatile HttpClient client;

        Lazy(Supplier<HttpClient> factory) {
            this.factory = factory;
        }

        HttpClient get() {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        c = factory.get();
                        client = c;
                    }
                }
            }
            return c;
        }
    }
}
