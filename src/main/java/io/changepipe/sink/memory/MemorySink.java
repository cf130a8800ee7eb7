package io.changepipe.sink.memory;

import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkRecord;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps what it is sent, in delivery order. {@code decide} injects failures per record (retry, failed) the way a
 * throttled or rejecting service would; like a real sink, once a key's record is answered {@code retry} the later
 * records of that key in the same write are held back ({@code retry} too), so a key's order holds.
 */
public final class MemorySink implements Sink {

    private final List<SinkRecord> delivered = new ArrayList<>();
    private final Function<SinkRecord, Outcome> decide;
    private volatile Uni<Void> gate = Uni.createFrom().voidItem();

    public MemorySink() {
        this(r -> Outcome.DONE);
    }

    public MemorySink(Function<SinkRecord, Outcome> decide) {
        this.decide = decide;
    }

    /** Makes every write wait for {@code gate} first (a stalled service). */
    public void stallUntil(Uni<Void> gate) {
        this.gate = gate;
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        return gate.map(x -> {
            List<Outcome> out = new ArrayList<>(records.size());
            Set<String> heldBack = new HashSet<>();
            synchronized (delivered) {
                for (SinkRecord r : records) {
                    Outcome o = heldBack.contains(r.partitionKey()) ? Outcome.retry("held back behind an earlier record of its key")
                            : decide.apply(r);
                    if (o instanceof Outcome.Retry) {
                        heldBack.add(r.partitionKey());
                    } else if (o == Outcome.DONE) {
                        delivered.add(r);
                    }
                    out.add(o);
                }
            }
            return out;
        });
    }

    public List<SinkRecord> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }
}
