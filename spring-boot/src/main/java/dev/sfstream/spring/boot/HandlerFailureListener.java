package dev.sfstream.spring.boot;

import dev.sfstream.service.HandlerFailure;

/**
 * Told about every handler failure that exhausted its retries, after the error policy applied (the channel stopped,
 * or the event was skipped). Every bean of this type is told, on the channel's thread: keep it short, and do not
 * throw (what one throws is logged and ignored).
 */
@FunctionalInterface
public interface HandlerFailureListener {
    void onFailure(HandlerFailure failure);
}
