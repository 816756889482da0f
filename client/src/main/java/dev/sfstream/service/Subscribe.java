package dev.sfstream.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles the events of an existing channel: {@code /topic/...} (filters included), {@code /event/...},
 * {@code /data/...} or {@code /u/...}. Repeatable: stack several on one method to handle several channels.
 *
 * <p>The method takes {@code (String channel, EVENT event)}, where EVENT is {@link dev.sfstream.StreamingEvent},
 * {@link com.fasterxml.jackson.databind.JsonNode} or {@link java.util.Map} (the message's {@code data}), or a type of
 * yours that Jackson maps the record ({@code sobject}) or the payload to.
 *
 * <pre>{@code
 * @Subscribe("/topic/InvoiceStatementUpdates")
 * void onInvoice(String channel, StreamingEvent event) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Subscribe.List.class)
public @interface Subscribe {
    /** The channel. */
    String value();

    /**
     * Where the channel starts when the replay store has no marker for it: {@code "new"}, {@code "all"} or a replay
     * ID. Empty (the default) uses the client's {@code replayFrom}.
     */
    String replay() default "";

    /** The container that makes {@link Subscribe} repeatable. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Subscribe[] value();
    }
}
