package io.changepipe.compile;

import io.changepipe.sink.DeadLetters;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Feeds one sink: takes messages in pipeline order, writes them in batches, one batch at a time (so a key's order
 * holds), retries only the records the sink answered {@code retry} with exponential backoff and jitter, sends records
 * answered {@code failed} to the dead-letter place, and acks each message only when its record is done for good.
 */
final class SinkRunner implements Runnable {

    private static final Logger LOG = Logger.getLogger(SinkRunner.class);
    private static final SinkRecord STOP = new SinkRecord(-1, null, null);
    private static final long LINGER_TICK = TimeUnit.MILLISECONDS.toNanos(1);

    /** Where the runner acknowledges what its sink is done with: the sequence numbers of a batch at once. */
    interface Acknowledger {
        void acknowledge(long[] sequences, int count);
    }

    /** Batching and retry settings of one sink runner. */
    record Settings(int maxBatch, Duration maxDelay, Duration firstBackoff, Duration maxBackoff) {
        static final Settings DEFAULT = new Settings(2000, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /** Counters a pipeline's status and metrics read. */
    static final class Counters {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
    }

    private final String pipeline;
    private final String name;
    private final Sink sink;
    private final DeadLetters deadLetters;
    private final Settings settings;
    private final Consumer<Throwable> onFatal;
    private final Acknowledger acks;
    private final BlockingQueue<SinkRecord> queue;
    final Counters counters = new Counters();
    private volatile RuntimeException failure;

    SinkRunner(String pipeline, String name, Sink sink, DeadLetters deadLetters, Settings settings, int capacity,
            Acknowledger acks, Consumer<Throwable> onFatal) {
        this.acks = acks;
        this.pipeline = pipeline;
        this.name = name;
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.onFatal = onFatal;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    String name() {
        return name;
    }

    /** Never blocks for long: the commit tracker already bounds what is in flight to the queue's capacity. */
    void offer(SinkRecord record) throws InterruptedException {
        queue.put(record);
    }

    /** Asks the runner to finish what it has queued, flush the sink and return. */
    void finish() throws InterruptedException {
        queue.put(STOP);
    }

    @Override
    public void run() {
        List<SinkRecord> batch = new ArrayList<>(settings.maxBatch());
        Semaphore writes = new Semaphore(sink.maxPendingWrites());
        try {
            while (true) {
                SinkRecord first = queue.take();
                boolean stop = first == STOP;
                if (!stop) {
                    batch.add(first);
                    stop = fill(batch);
                    send(List.copyOf(batch), writes);
                    batch.clear();
                }
                if (stop) {
                    // flush first: a buffering sink's pending writes complete only when their buffer is uploaded
                    sink.flush().await().indefinitely();
                    writes.acquire(sink.maxPendingWrites());
                    if (failure != null) {
                        throw failure;
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                return; // a stop that could not wait any longer: what is not acknowledged is sent again after a restart
            }
            stopped(e);
        }
    }

    Sink sink() {
        return sink;
    }

    /**
     * Writes one batch. With one pending write (the default) the runner waits for it, so a key's order holds; a
     * buffering sink allowing more gets the next batch while earlier ones wait for their upload.
     */
    private void send(List<SinkRecord> batch, Semaphore writes) throws InterruptedException {
        writes.acquire();
        if (failure != null) {
            throw failure;
        }
        if (sink.maxPendingWrites() == 1) {
            try {
                deliver(batch).await().indefinitely();
            } finally {
                writes.release();
            }
            return;
        }
        deliver(batch).subscribe().with(ok -> writes.release(), t -> {
            failure = t instanceof RuntimeException r ? r : new RuntimeException(t);
            writes.release();
        });
    }

    private void stopped(RuntimeException e) {
        Throwable cause = e instanceof SinkFatalException ? e : e.getCause() instanceof SinkFatalException f ? f : e;
        LOG.errorf(cause instanceof SinkFatalException ? null : cause, "pipeline %s, sink %s: stopped: %s", pipeline, name, cause.getMessage());
        onFatal.accept(cause);
    }

    /**
     * Adds what is queued and what arrives within maxDelay, up to maxBatch; true when STOP was seen. While the batch
     * fills, the runner looks at the queue every millisecond instead of being woken by every record (a wake-up per
     * record per sink costs more than the records).
     */
    private boolean fill(List<SinkRecord> batch) throws InterruptedException {
        long deadline = System.nanoTime() + settings.maxDelay().toNanos();
        while (true) {
            // one lock for everything queued; STOP is always the last record offered
            if (queue.drainTo(batch, settings.maxBatch() - batch.size()) > 0 && batch.get(batch.size() - 1) == STOP) {
                batch.remove(batch.size() - 1);
                return true;
            }
            long left = deadline - System.nanoTime();
            if (batch.size() >= settings.maxBatch() || left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, LINGER_TICK));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private Uni<Void> deliver(List<SinkRecord> batch) {
        List<SinkRecord> pending = new ArrayList<>(batch);
        return Uni.createFrom().deferred(() -> {
            counters.writes.incrementAndGet();
            return sink.write(List.copyOf(pending));
        }).map(outcomes -> {
            settle(pending, outcomes);
            if (!pending.isEmpty()) {
                counters.retried.addAndGet(pending.size());
                throw new RetryLater(pending.size() + " record(s) to retry");
            }
            return (Void) null;
        }).onFailure(t -> !(t instanceof SinkFatalException)).invoke(t -> LOG.debugf("pipeline %s, sink %s: %s; retrying with backoff",
                pipeline, name, t.getMessage()))
                .onFailure(t -> !(t instanceof SinkFatalException)).retry()
                .withBackOff(settings.firstBackoff(), settings.maxBackoff()).withJitter(0.2).indefinitely();
    }

    /**
     * Acks what is done, dead-letters what failed, and leaves in {@code pending} what must be tried again. Each record
     * is settled at most once: when a dead-letter write fails part-way, the records settled before it are gone from
     * {@code pending} and only the rest is written again.
     */
    private void settle(List<SinkRecord> pending, List<Outcome> outcomes) {
        if (outcomes.size() != pending.size()) {
            throw new SinkFatalException("sink " + name + " answered " + outcomes.size() + " outcomes for " + pending.size() + " records");
        }
        List<SinkRecord> written = List.copyOf(pending);
        List<SinkRecord> again = new ArrayList<>();
        long[] done = new long[written.size()];
        int acked = 0;
        int settled = 0;
        try {
            for (; settled < outcomes.size(); settled++) {
                SinkRecord r = written.get(settled);
                Outcome o = outcomes.get(settled);
                if (o instanceof Outcome.Retry) {
                    again.add(r);
                    continue;
                }
                if (o instanceof Outcome.Failed f) {
                    deadLetters.write(pipeline, name, r, f.reason());
                    counters.deadLettered.incrementAndGet();
                } else {
                    counters.delivered.incrementAndGet();
                }
                done[acked++] = r.sequence();
            }
        } finally {
            acks.acknowledge(done, acked);
            pending.clear();
            pending.addAll(again);
            pending.addAll(written.subList(settled, written.size()));
        }
    }

    /** Some records of a write must go again; a plain signal for the retry operator. */
    static final class RetryLater extends RuntimeException {
        RetryLater(String message) {
            super(message, null, false, false);
        }
    }
}
