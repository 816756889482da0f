package dev.sfstream.spring.boot;

import dev.sfstream.service.StreamingService;

/**
 * Changes the {@link StreamingService.Builder} after the {@code sfstream.*} properties and the handler beans are
 * applied. Every bean of this type is applied, in {@code @Order}. To be told of handler failures, declare a
 * {@link HandlerFailureListener} bean rather than replacing {@code onFailure}, which the metrics use.
 */
@FunctionalInterface
public interface StreamingServiceCustomizer {
    void customize(StreamingService.Builder builder);
}
