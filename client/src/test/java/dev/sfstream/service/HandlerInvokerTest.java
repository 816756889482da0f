package dev.sfstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link HandlerInvoker} runs around each attempt at an event: every handler of the channel inside it, retries of
 * the whole event, a skip that commits, and a {@link FencedException} that stops the replica without a retry.
 */
class HandlerInvokerTest {
    Emulator emulator;
    ReplayStore store = ReplayStore.inMemory();

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private StreamingClient.Builder client() {
        return StreamingClient.builder().authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .replayStore(store);
    }

    /** Two handlers of one channel; the second fails on the first try at an order. */
    static final class Orders {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Subscribe("/event/Order_Placed__e")
        void record(String channel, StreamingEvent event) {
            calls.add("record " + number(event));
        }

        @Subscribe("/event/Order_Placed__e")
        void ship(String channel, StreamingEvent event) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("warehouse busy");
            }
            calls.add("ship " + number(event));
        }

        static String number(StreamingEvent event) {
            return event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText();
        }
    }

    @Test
    void eachAttemptRunsEveryHandlerOfTheChannelInsideTheInvoker() {
        Orders orders = new Orders();
        orders.failuresLeft.set(1);
        List<String> around = new CopyOnWriteArrayList<>();
        HandlerInvoker invoker = (client, event, handlers) -> {
            around.add("begin " + Orders.number(event));
            try {
                handlers.call();
                around.add("commit");
            } catch (Exception e) {
                around.add("rollback");
                throw e;
            }
        };
        try (StreamingService service = StreamingService.builder().client(client().build()).handlers(orders)
                .retries(1, Duration.ZERO).invoker(invoker).build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> around.contains("commit"));
            assertThat(around).containsExactly("begin O-1", "rollback", "begin O-1", "commit");
            assertThat(orders.calls).containsExactly("record O-1", "record O-1", "ship O-1");
            await().atMost(Duration.ofSeconds(5)).until(() -> store.get(service.client().replayNamespace(),
                    "/event/Order_Placed__e").isPresent());
        }
    }

    @Test
    void afterTheRetriesTheFailureNamesEveryHandlerOfTheChannel() {
        Orders orders = new Orders();
        orders.failuresLeft.set(100);
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        try (StreamingService service = StreamingService.builder().client(client().build()).handlers(orders)
                .retries(1, Duration.ZERO).invoker((client, event, handlers) -> handlers.call())
                .onFailure(failures::add).build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            assertThat(failures.get(0).attempts()).isEqualTo(2);
            assertThat(failures.get(0).handler()).contains("Orders.record", "Orders.ship");
            assertThat(service.stoppedChannels()).containsExactly("/event/Order_Placed__e");
        }
    }

    @Test
    void anInvokerThatSkipsTheHandlersLetsTheEventBeCommitted() {
        Orders orders = new Orders();
        try (StreamingService service = StreamingService.builder().client(client().build()).handlers(orders)
                .invoker((client, event, handlers) -> { }).build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-3"));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(service.client().replayNamespace(),
                    "/event/Order_Placed__e").isPresent());
            assertThat(orders.calls).isEmpty();
        }
    }

    @Test
    void aFencedAttemptIsNotRetriedAndSendsTheReplicaBackToStandby() {
        Orders orders = new Orders();
        AtomicInteger attempts = new AtomicInteger();
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        List<StreamingException> errors = new CopyOnWriteArrayList<>();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        StreamingClient client = client().exclusive("orders").leaseTtl(Duration.ofSeconds(30)).build();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void onStateChanged(ConnectionState state, String reason) {
                states.add(state);
            }

            @Override
            public void onError(StreamingException error) {
                errors.add(error);
            }
        });
        HandlerInvoker fenced = (c, event, handlers) -> {
            attempts.incrementAndGet();
            throw new FencedException("orders", c.lease().orElseThrow().epoch(), "another replica of group orders "
                    + "took over");
        };
        try (StreamingService service = StreamingService.builder().client(client).handlers(orders)
                .retries(2, Duration.ZERO).invoker(fenced).onFailure(failures::add).build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-4"));
            await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(ConnectionState.STANDBY));
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(errors).singleElement().isInstanceOf(FencedException.class);
            assertThat(failures).isEmpty();
            assertThat(service.stoppedChannels()).isEmpty();
            assertThat(orders.calls).isEmpty();
            assertThat(store.get(client.replayNamespace(), "/event/Order_Placed__e")).isEmpty();
        }
    }
}
