package io.changepipe.offset;

import io.changepipe.event.SourcePosition;
import java.util.concurrent.Semaphore;

/**
 * The low watermark of acknowledged changes. Each change is registered in source order with the number of sinks that
 * must acknowledge it and its estimated size in memory; {@link #committable} is the position of the newest change that
 * every sink acknowledged and that has nothing unacknowledged before it. At most {@code capacity} changes and
 * {@code maxBytes} of them are in flight: {@link #register} blocks beyond either, which is how a stalled sink
 * back-pressures the source and how memory stays bounded whatever the row size. O(1) per change (a ring of counters).
 */
public final class CommitTracker {

    private static final int KIB = 1024;

    private final int capacity;
    private final int[] pending;
    private final int[] kibs;
    private final SourcePosition[] positions;
    private final Semaphore slots;
    private final Semaphore memory;
    private final int maxKibs;
    private volatile boolean closed;
    private long head;
    private long tail;
    private long heldBytes;
    private SourcePosition committed;

    public CommitTracker(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.pending = new int[capacity];
        this.kibs = new int[capacity];
        this.positions = new SourcePosition[capacity];
        this.slots = new Semaphore(capacity);
        this.maxKibs = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, maxBytes / KIB));
        this.memory = new Semaphore(maxKibs);
    }

    /**
     * Registers the next change; returns its sequence number. Blocks while {@code capacity} changes or the byte limit
     * are in flight (a change larger than the whole limit waits until nothing else is). Throws
     * {@link InterruptedException} once the tracker is {@link #close closed}.
     */
    public long register(SourcePosition position, int sinks, long bytes) throws InterruptedException {
        int k = sinks == 0 ? 0 : (int) Math.min(maxKibs, Math.max(1, (bytes + KIB - 1) / KIB));
        slots.acquire();
        if (k > 0) {
            try {
                memory.acquire(k);
            } catch (InterruptedException e) {
                slots.release();
                throw e;
            }
        }
        if (closed) {
            throw new InterruptedException("the pipeline is stopping");
        }
        synchronized (this) {
            long seq = head++;
            int i = (int) (seq % capacity);
            pending[i] = sinks;
            kibs[i] = k;
            positions[i] = position;
            heldBytes += (long) k * KIB;
            if (sinks == 0) {
                advance();
            }
            return seq;
        }
    }

    /** One sink acknowledged change {@code seq}. */
    public synchronized void acknowledge(long seq) {
        ack(seq);
        if (tail < head && pending[(int) (tail % capacity)] == 0) {
            advance();
        }
    }

    /** One sink acknowledged the first {@code count} of {@code seqs} (one lock for a whole batch). */
    public synchronized void acknowledge(long[] seqs, int count) {
        for (int k = 0; k < count; k++) {
            ack(seqs[k]);
        }
        if (tail < head && pending[(int) (tail % capacity)] == 0) {
            advance();
        }
    }

    private void ack(long seq) {
        int i = (int) (seq % capacity);
        if (seq < tail || seq >= head || pending[i] <= 0) {
            throw new IllegalStateException("change " + seq + " acknowledged more often than it has sinks");
        }
        pending[i]--;
    }

    private void advance() {
        int released = 0;
        int freed = 0;
        while (tail < head && pending[(int) (tail % capacity)] == 0) {
            int i = (int) (tail % capacity);
            committed = positions[i];
            positions[i] = null;
            freed += kibs[i];
            kibs[i] = 0;
            tail++;
            released++;
        }
        heldBytes -= (long) freed * KIB;
        slots.release(released);
        memory.release(freed);
    }

    /**
     * Wakes a source blocked in {@link #register} and refuses further changes (they throw), for a stop or a failure;
     * acknowledgements of what is in flight still count.
     */
    public void close() {
        closed = true;
        slots.release(capacity);
        memory.release(maxKibs);
    }

    /** The position up to which everything is acknowledged, or null when nothing is yet. */
    public synchronized SourcePosition committable() {
        return committed;
    }

    /** Changes registered but not yet fully acknowledged. */
    public synchronized long inFlight() {
        return head - tail;
    }

    /** Estimated bytes of the changes in flight (rounded up to KiB per change). */
    public synchronized long inFlightBytes() {
        return heldBytes;
    }
}
