package io.changepipe.source.mysql;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.source.ChangeEmitter;
import io.changepipe.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A source run on a thread of its own into a list: what it emitted, advanced to, and where it failed. */
final class Collector implements ChangeEmitter {

    private final List<ChangeEvent> events = new ArrayList<>();
    private final List<SourcePosition> advanced = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private volatile Throwable failure;
    private volatile boolean finished;
    private Source source;
    private Thread thread;

    static Collector run(Source source, Optional<SourcePosition> from) {
        Collector c = new Collector();
        c.source = source;
        c.thread = new Thread(() -> {
            try {
                source.run(from, c);
            } catch (Throwable t) {
                c.failure = t;
            } finally {
                c.finished = true;
            }
        }, "changepipe-test-source");
        c.thread.setDaemon(true);
        c.thread.start();
        return c;
    }

    @Override
    public synchronized void emit(ChangeEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void advance(SourcePosition position) {
        advanced.add(position);
    }

    @Override
    public synchronized void loadStarted(TableId table) {
        loads.add("started " + table);
    }

    @Override
    public synchronized void loadFinished(TableId table) {
        loads.add("finished " + table);
    }

    synchronized List<ChangeEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<SourcePosition> advanced() {
        return List.copyOf(advanced);
    }

    synchronized List<String> loads() {
        return List.copyOf(loads);
    }

    synchronized int size() {
        return events.size();
    }

    Throwable failure() {
        return failure;
    }

    boolean finished() {
        return finished;
    }

    /** The position to restart from: the last event's, or a later advanced one. */
    synchronized Optional<SourcePosition> last() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).position());
    }

    void stop() throws InterruptedException {
        source.stop();
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new AssertionError("the source did not stop");
        }
    }
}
