package io.changepipe.source;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;

/**
 * The engine as a source sees it. {@code emit} takes the source's changes in source order and blocks while too many
 * are unacknowledged (back-pressure). The other methods are for what is not a change: a position to commit without an
 * event, and the start and end of a table's full load (statistics). All are called from one thread at a time.
 */
public interface ChangeEmitter {

    void emit(ChangeEvent event) throws InterruptedException;

    /**
     * Everything before {@code position} that was not emitted is not wanted (idle heartbeats, changes of unselected
     * tables, the end of a full load): the engine commits {@code position} once every change emitted before it is
     * acknowledged. Blocks like {@link #emit} when too much is in flight.
     */
    default void advance(SourcePosition position) throws InterruptedException {
    }

    /**
     * Like {@link #advance}, and stored before it returns when nothing emitted before it is unacknowledged: for the
     * point a run starts from (the configured start, a full load's first snapshot), which must survive a crash that
     * comes before anything else is committed, or a restart would begin at a later point and skip what lies between.
     */
    default void checkpoint(SourcePosition position) throws InterruptedException {
        advance(position);
    }

    /** The full load of {@code table} (as the source names it) has started. */
    default void loadStarted(TableId table) {
    }

    /** The full load of {@code table} starts again: an earlier load of it was interrupted before it was delivered. */
    default void loadReloading(TableId table) {
    }

    /** The full load of {@code table} has read its last row. */
    default void loadFinished(TableId table) {
    }
}
