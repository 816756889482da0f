package dev.sfstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Handlers behind proxies, as frameworks make them for transactions and other advice: the annotations are read from
 * the handler's own class and every call goes through the proxy.
 */
class ProxiedHandlerTest {
    Emulator emulator;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private StreamingClient client() {
        return StreamingClient.builder().authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build()).build();
    }

    public interface OrderHandler {
        void onOrder(String channel, StreamingEvent event);
    }

    /** The handler as written; its proxies below carry no annotations. */
    static class Orders implements OrderHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        @Subscribe("/event/Order_Placed__e")
        public void onOrder(String channel, StreamingEvent event) {
            calls.add("handled " + event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText());
        }
    }

    /** What a subclass proxy (CGLIB) is: an override of each method that adds its advice around the call. */
    static final class SubclassProxy extends Orders {
        final Orders target;

        SubclassProxy(Orders target) {
            this.target = target;
        }

        @Override
        public void onOrder(String channel, StreamingEvent event) {
            target.calls.add("advice");
            target.onOrder(channel, event);
        }
    }

    @Test
    void aSubclassProxyIsCalledWithTheAnnotationsOfItsSuperclass() {
        Orders target = new Orders();
        try (StreamingService service = StreamingService.builder().client(client())
                .handler(new SubclassProxy(target), Orders.class).build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> target.calls.size() == 2);
            assertThat(target.calls).containsExactly("advice", "handled O-1");
        }
    }

    /** What a Spring @Configuration class becomes: a subclass that overrides only its @Bean methods. */
    static final class EnhancedConfiguration extends Orders {
    }

    @Test
    void aSubclassThatDoesNotOverrideTheHandlerRunsTheHandlerItself() {
        EnhancedConfiguration handler = new EnhancedConfiguration();
        try (StreamingService service = StreamingService.builder().client(client()).handler(handler, Orders.class)
                .build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-3"));
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.calls.size() == 1);
            assertThat(handler.calls).containsExactly("handled O-3");
        }
    }

    @Test
    void anInterfaceProxyIsCalledThroughItsInterface() {
        Orders target = new Orders();
        InvocationHandler advice = (proxy, method, args) -> {
            target.calls.add("advice");
            return method.invoke(target, args);
        };
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {OrderHandler.class},
                advice);
        try (StreamingService service = StreamingService.builder().client(client()).handler(proxy, Orders.class)
                .build()) {
            service.start();
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> target.calls.size() == 2);
            assertThat(target.calls).containsExactly("advice", "handled O-2");
        }
    }

    static class PrivateHandler {
        @Subscribe("/event/Order_Placed__e")
        private void onOrder(String channel, StreamingEvent event) {
        }
    }

    static final class PrivateHandlerProxy extends PrivateHandler {
    }

    @Test
    void aMethodTheProxyCannotOverrideIsRefusedByName() {
        StreamingClient client = client();
        assertThatThrownBy(() -> StreamingService.builder().client(client)
                .handler(new PrivateHandlerProxy(), PrivateHandler.class).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PrivateHandler.onOrder(String, StreamingEvent) is private");
        assertThatThrownBy(() -> StreamingService.builder().client(client).handler("not a handler", Orders.class))
                .hasMessageContaining("neither a " + Orders.class.getName());
    }
}
