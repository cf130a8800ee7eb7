package io.changepipe.sink;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One {@code write} of a buffering sink: completes with its outcomes once every one of its records is settled. */
public final class PendingWrite {

    private final Outcome[] outcomes;
    private int remaining;
    public final CompletableFuture<List<Outcome>> result = new CompletableFuture<>();

    public PendingWrite(int size) {
        this.outcomes = new Outcome[size];
        this.remaining = size;
        if (size == 0) {
            result.complete(List.of());
        }
    }

    public void settle(int index, Outcome outcome) {
        List<Outcome> done = null;
        synchronized (this) {
            if (outcomes[index] != null) {
                return;
            }
            outcomes[index] = outcome;
            if (--remaining == 0) {
                done = Arrays.asList(outcomes.clone());
            }
        }
        if (done != null) {
            result.complete(List.copyOf(done));
        }
    }

    public void fail(Throwable t) {
        result.completeExceptionally(t);
    }
}
