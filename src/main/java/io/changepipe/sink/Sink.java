package io.changepipe.sink;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * A destination. {@code write} gets records in pipeline order and answers one {@link Outcome} per record, in the same
 * order. A sink must never make a later record of a partition key visible before an earlier one of that key that it
 * answers with {@code retry}: it holds the later one back and answers {@code retry} for it too. A failed
 * {@code Uni} means the whole write may be retried; a {@link SinkFatalException} stops the pipeline.
 */
public interface Sink extends AutoCloseable {

    Uni<List<Outcome>> write(List<SinkRecord> records);

    /**
     * How many writes may wait at once. 1 (the default): the next batch comes only when this one is settled, which keeps
     * each key's order. A buffering sink (S3 batches) allows more: its write completes when the object holding the
     * records is uploaded, and it keeps accepting records meanwhile; it must then settle every record itself (retry
     * uploads internally, answer done or failed, never retry).
     */
    default int maxPendingWrites() {
        return 1;
    }

    /**
     * Delivers whatever the sink buffers (S3 batches) and waits for it; called on clean shutdown. A sink that spools
     * has answered its records done already, so this is for timeliness, not for safety.
     */
    default Uni<Void> flush() {
        return Uni.createFrom().voidItem();
    }

    /** Why the sink is not delivering right now while it keeps retrying in the background (health), or null. */
    default String problem() {
        return null;
    }

    /** An error found in the background that no retry can fix (the pipeline fails with it), or null. */
    default SinkFatalException fatal() {
        return null;
    }

    @Override
    default void close() {
    }
}
