package dev.sfstream.spring.boot;

import dev.sfstream.StreamingEvent;
import dev.sfstream.service.Subscribe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * The smallest application the starter's tests run: auto-configuration and one handler bean that records the number
 * of each {@code Order_Placed__e} it gets.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OrderApp.Orders.class)
class OrderApp {

    @Component
    static class Orders {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Subscribe("/event/Order_Placed__e")
        void onOrder(String channel, StreamingEvent event) {
            seen.add(event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText());
        }
    }
}
