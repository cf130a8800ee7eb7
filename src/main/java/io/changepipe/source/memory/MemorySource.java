package io.changepipe.source.memory;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.source.ChangeEmitter;
import io.changepipe.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory change log, read like a live source: it emits what is appended, in order, resuming after a given
 * position ({@link SourcePosition.Sequence} = index in the log), and waits for more until stopped. For tests and demos.
 */
public final class MemorySource implements Source {

    private final List<ChangeEvent> log = new ArrayList<>();
    private volatile boolean stopped;

    /** Appends a row change; its position is its index in the log. */
    public synchronized ChangeEvent append(Op op, TableId table, Row after, Row before, List<String> primaryKey) {
        ChangeEvent e = ChangeEvent.of(op, table, after, before, primaryKey, new SourcePosition.Sequence(log.size()));
        log.add(e);
        notifyAll();
        return e;
    }

    public synchronized List<ChangeEvent> events() {
        return List.copyOf(log);
    }

    @Override
    public void run(Optional<SourcePosition> from, ChangeEmitter emitter) throws InterruptedException {
        // a stop() that comes before run() starts still stops this run; the run consumes it when it returns
        try {
            int next = from.map(p -> (int) ((SourcePosition.Sequence) p).value() + 1).orElse(0);
            while (true) {
                ChangeEvent e;
                synchronized (this) {
                    while (next >= log.size() && !stopped) {
                        wait(100);
                    }
                    if (stopped) {
                        return;
                    }
                    e = log.get(next);
                }
                emitter.emit(e);
                next++;
            }
        } finally {
            synchronized (this) {
                stopped = false;
            }
        }
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
