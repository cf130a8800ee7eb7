package io.changepipe.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change, the same for every source. {@code after} is null for deletes, {@code before} is null when the source
 * has no before image (inserts, loads). {@code transactionId} and {@code recordInTransaction} (1-based) name the
 * change inside its transaction; {@code prevTransactionId}/{@code prevRecordInTransaction} the change before it, as
 * DMS's transaction details do. {@code ddl} holds the statement of a DDL control event.
 */
public record ChangeEvent(
        Op op,
        TableId table,
        Row after,
        Row before,
        List<String> primaryKey,
        Instant commitTimestamp,
        String transactionId,
        long recordInTransaction,
        String prevTransactionId,
        long prevRecordInTransaction,
        SourcePosition position,
        String ddl) {

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(position, "position");
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
    }

    /** A row change with no transaction details (full load, tests). */
    public static ChangeEvent of(Op op, TableId table, Row after, Row before, List<String> primaryKey, SourcePosition position) {
        return new ChangeEvent(op, table, after, before, primaryKey, null, null, 0, null, 0, position, null);
    }

    /** The image that identifies the row: after for loads, inserts and updates, before for deletes. */
    public Row image() {
        return after != null ? after : before;
    }

    /** The dedupe id a consumer sees: the position's stable text. */
    public String dedupeId() {
        return position.text();
    }

    public ChangeEvent withRows(TableId table, Row after, Row before, List<String> primaryKey) {
        return new ChangeEvent(op, table, after, before, primaryKey, commitTimestamp, transactionId, recordInTransaction,
                prevTransactionId, prevRecordInTransaction, position, ddl);
    }

    /** A rough size in memory of the event and its row images, for bounding what is in flight. */
    public long estimatedBytes() {
        return 128L + (after == null ? 0 : after.estimatedBytes()) + (before == null ? 0 : before.estimatedBytes());
    }
}
