package dev.sfstream.pubsub;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** A unary call's answer as a future: its one response, or the error it ended with. */
final class Unary<T> implements StreamObserver<T> {
    private final CompletableFuture<T> answer = new CompletableFuture<>();
    private final String method;
    private T value;

    private Unary(String method) {
        this.method = method;
    }

    /** An observer to give the stub, for the call named {@code method} (for the error when nothing comes). */
    static <T> Unary<T> of(String method) {
        return new Unary<>(method);
    }

    CompletableFuture<T> answer() {
        return answer;
    }

    @Override
    public void onNext(T v) {
        value = v;
    }

    @Override
    public void onError(Throwable t) {
        answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (value == null) {
            answer.completeExceptionally(Status.INTERNAL.withDescription(method + " answered nothing")
                    .asRuntimeException());
        } else {
            answer.complete(value);
        }
    }
}
