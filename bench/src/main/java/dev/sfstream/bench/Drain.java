package dev.sfstream.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.Request;

/** Scenario 1: draining retained events (ALL_EVENTS) from one channel, three ways. Each returns events per second. */
final class Drain {
    private Drain() {
    }

    // Each contender's clock stops at its last event: closing (CometD's disconnect may wait up to its timeout for
    // the held connect) is not part of draining.

    static double cometd(org.eclipse.jetty.client.HttpClient jetty, String instanceUrl, String token, String channel,
            int events) throws Exception {
        long start = System.nanoTime();
        BayeuxClient client = BayeuxCometD.newClient(jetty, instanceUrl, token, -2);
        try {
            BayeuxCometD.handshake(client);
            BayeuxCometD.drain(client, channel, events, () -> { });
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.disconnect(2000);
        }
    }

    static double raw(HttpClient http, String instanceUrl, String authorization, String channel, int events)
            throws Exception {
        long start = System.nanoTime();
        RawBayeux raw = new RawBayeux(http, instanceUrl, authorization);
        raw.handshake();
        raw.post(RawBayeux.subscribe(raw.clientId(), channel, -2));
        String connect = RawBayeux.connect(raw.clientId());
        int seen = 0;
        while (seen < events) {
            ArrayNode messages = raw.post(connect);
            seen += RawBayeux.events(messages);
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    /** CometD's BayeuxClient set up as EMP-Connector does: a token header and a replay extension. */
    static final class BayeuxCometD {
        private BayeuxCometD() {
        }

        static BayeuxClient newClient(org.eclipse.jetty.client.HttpClient jetty, String instanceUrl, String token,
                long replayFrom) {
            // A fresh BAYEUX_BROWSER cookie per client, as separate processes would have: the server must not
            // count a closing session of the previous run against this one.
            jetty.getHttpCookieStore().clear();
            Map<String, Object> options = new HashMap<>();
            options.put("maxMessageSize", 64 * 1024 * 1024);
            JettyHttpClientTransport transport = new JettyHttpClientTransport(options, jetty) {
                @Override
                protected void customize(Request request) {
                    super.customize(request);
                    request.headers(h -> h.put("Authorization", "OAuth " + token));
                }
            };
            BayeuxClient client = new BayeuxClient(instanceUrl + "/cometd/64.0", transport);
            client.addExtension(new ClientSession.Extension() {
                private volatile boolean replay;

                @Override
                public boolean rcvMeta(ClientSession session, Message.Mutable message) {
                    if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                        Map<String, Object> ext = message.getExt(false);
                        replay = ext != null && Boolean.TRUE.equals(ext.get("replay"));
                    }
                    return true;
                }

                @Override
                public boolean sendMeta(ClientSession session, Message.Mutable message) {
                    if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                        message.getExt(true).put("replay", true);
                    } else if (Channel.META_SUBSCRIBE.equals(message.getChannel()) && replay) {
                        message.getExt(true).put("replay", Map.of((String) message.get(Message.SUBSCRIPTION_FIELD),
                                replayFrom));
                    }
                    return true;
                }
            });
            return client;
        }

        /** Subscribes and waits for {@code events} events; {@code first} runs at the first one, on CometD's thread. */
        static void drain(BayeuxClient client, String channel, int events, Runnable first) throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            CompletableFuture<Message> subscribed = new CompletableFuture<>();
            client.getChannel(channel).subscribe((c, m) -> {
                int n = seen.incrementAndGet();
                if (n == 1) {
                    first.run();
                }
                if (n == events) {
                    done.countDown();
                }
            }, subscribed::complete);
            if (!subscribed.get(30, TimeUnit.SECONDS).isSuccessful()) {
                throw new IllegalStateException("CometD could not subscribe");
            }
            if (!done.await(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException("CometD drain stalled at " + seen.get());
            }
        }

        static void handshake(BayeuxClient client) throws Exception {
            CompletableFuture<Message> handshake = new CompletableFuture<>();
            client.handshake(handshake::complete);
            if (!handshake.get(30, TimeUnit.SECONDS).isSuccessful()) {
                throw new IllegalStateException("CometD handshake failed");
            }
            if (!client.waitFor(30_000, BayeuxClient.State.CONNECTED)) {
                throw new IllegalStateException("CometD did not connect");
            }
        }
    }
}
