package io.changepipe.rules;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import io.changepipe.expr.EvalContext;
import java.time.Clock;
import java.time.Instant;

/**
 * What an expression sees of one change: the current row (after image, before image for deletes), the before image
 * and DMS's header metadata. Timestamps are {@link Instant}s; a change without a commit time (full load) reports the
 * clock's time for {@code AR_H_TIMESTAMP}/{@code AR_H_COMMIT_TIMESTAMP}, as DMS reports the current time in full load.
 */
public final class EventEvalContext implements EvalContext {

    private final ChangeEvent event;
    private final Row current;
    private final Clock clock;

    public EventEvalContext(ChangeEvent event) {
        this(event, event.image(), Clock.systemUTC());
    }

    /** A context whose current row is {@code current} (the rules evaluate added columns of a before image this way). */
    public EventEvalContext(ChangeEvent event, Row current, Clock clock) {
        this.event = event;
        this.current = current;
        this.clock = clock;
    }

    @Override
    public boolean hasColumn(String name) {
        return current != null && current.has(name);
    }

    @Override
    public Object column(String name) {
        return current == null ? null : current.get(name);
    }

    @Override
    public boolean hasBefore(String name) {
        return event.before() != null && event.before().has(name);
    }

    @Override
    public Object before(String name) {
        return event.before() == null ? null : event.before().get(name);
    }

    @Override
    public Object meta(String name) {
        return switch (name) {
            case "operation" -> event.op().wireName();
            case "schema", "AR_M_SOURCE_SCHEMA" -> event.table().schema();
            case "table", "AR_M_SOURCE_TABLE_NAME" -> event.table().table();
            case "commit_timestamp" -> event.commitTimestamp();
            case "AR_H_STREAM_POSITION" -> event.position().text();
            case "AR_H_TIMESTAMP", "AR_H_COMMIT_TIMESTAMP" -> event.commitTimestamp() != null ? event.commitTimestamp() : clock.instant();
            case "AR_H_TRANSACTION_ID" -> event.transactionId();
            case "AR_H_OPERATION" -> event.op().name();
            default -> null;
        };
    }
}
