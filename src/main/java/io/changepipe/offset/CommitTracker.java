package io.changepipe.offset;

import io.changepipe.event.SourcePosition;
import java.util.concurrent.Semaphore;

/**
 * The low watermark of acknowledged changes. Each change is registered in source order with the number of sinks that
 * must acknowledge it; {@link #committable} is the position of the newest change that every sink acknowledged and
 * that has nothing unacknowledged before it. At most {@code capacity} changes are in flight: {@link #register} blocks
 * beyond that, which is how a stalled sink back-pressures the source. O(1) per change (a ring of counters).
 */
public final class CommitTracker {

    private final int capacity;
    private final int[] pending;
    private final SourcePosition[] positions;
    private final Semaphore slots;
    private long head;
    private long tail;
    private SourcePosition committed;

    public CommitTracker(int capacity) {
        this.capacity = capacity;
        this.pending = new int[capacity];
        this.positions = new SourcePosition[capacity];
        this.slots = new Semaphore(capacity);
    }

    /** Registers the next change; returns its sequence number. Blocks while {@code capacity} changes are unacknowledged. */
    public long register(SourcePosition position, int sinks) throws InterruptedException {
        slots.acquire();
        synchronized (this) {
            long seq = head++;
            int i = (int) (seq % capacity);
            pending[i] = sinks;
            positions[i] = position;
            if (sinks == 0) {
                advance();
            }
            return seq;
        }
    }

    /** One sink acknowledged change {@code seq}. */
    public synchronized void acknowledge(long seq) {
        int i = (int) (seq % capacity);
        if (seq < tail || seq >= head || pending[i] <= 0) {
            throw new IllegalStateException("change " + seq + " acknowledged more often than it has sinks");
        }
        if (--pending[i] == 0 && seq == tail) {
            advance();
        }
    }

    private void advance() {
        int released = 0;
        while (tail < head && pending[(int) (tail % capacity)] == 0) {
            int i = (int) (tail % capacity);
            committed = positions[i];
            positions[i] = null;
            tail++;
            released++;
        }
        slots.release(released);
    }

    /** The position up to which everything is acknowledged, or null when nothing is yet. */
    public synchronized SourcePosition committable() {
        return committed;
    }

    /** Changes registered but not yet fully acknowledged. */
    public synchronized long inFlight() {
        return head - tail;
    }
}
