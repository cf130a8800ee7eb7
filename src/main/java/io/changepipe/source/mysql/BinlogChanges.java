package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidListEventData;
import com.github.shyiko.mysql.binlog.event.PreviousGtidSetEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition.BinlogPosition;
import io.changepipe.event.TableId;
import io.changepipe.source.ChangeEmitter;
import java.io.Serializable;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binlog events in, change events out. Tracks the transaction each event belongs to: where it starts (the GTID or
 * BEGIN event), its id (the GTID, else {@code file:offset}), its commit time, and the number of each change inside it
 * (rows and DDL statements, selected or not), which together make the change's {@link BinlogPosition}. Resuming from
 * a position reads its transaction again and skips the changes already delivered. Transaction boundaries after which
 * nothing was emitted are handed to the engine ({@link ChangeEmitter#advance}) at most once a second and on every
 * heartbeat, so the stored position moves while only unselected tables change or nothing does.
 */
final class BinlogChanges {

    private static final long ADVANCE_EVERY_NANOS = 1_000_000_000L;

    private final SchemaCache schemas;
    private final Gtids gtids;
    private final ChangeEmitter emitter;

    private String file;
    private BinlogPosition boundary;
    private String skipFile;
    private long skipTxStart = -1;
    private int skip;

    private boolean inTx;
    private boolean sawBegin;
    private long txStart;
    private String txGtid;
    private String txId;
    private String gtidBefore;
    private Instant txTime;
    private int txChanges;
    private int txSkip;
    private boolean txEmitted;
    private String prevTxId;
    private long prevRecord;
    private BinlogPosition idle;
    private long lastAdvance = System.nanoTime();
    private long emitted;

    /** Starts at {@code from}; null when the stream starts from a GTID set and learns its file from the server. */
    BinlogChanges(SchemaCache schemas, Gtids gtids, ChangeEmitter emitter, BinlogPosition from) {
        this.schemas = schemas;
        this.gtids = gtids;
        this.emitter = emitter;
        if (from != null) {
            file = from.file();
            boundary = from;
            skipFile = from.file();
            skipTxStart = from.position();
            skip = from.rowInEvent();
        }
    }

    /**
     * Where the next connection starts: the current transaction's start (its delivered changes to be skipped), or the
     * last boundary; empty when nothing is known yet (a GTID start). Resets the transaction state.
     */
    Optional<BinlogPosition> reconnectAt() {
        if (inTx) {
            skipFile = file;
            skipTxStart = txStart;
            skip = txChanges;
            BinlogPosition p = new BinlogPosition(file, txStart, txChanges, gtidBefore);
            inTx = false;
            schemas.forgetBindings();
            return Optional.of(p);
        }
        schemas.forgetBindings();
        return Optional.ofNullable(boundary);
    }

    long emitted() {
        return emitted;
    }

    void handle(Event event) throws Exception {
        EventHeaderV4 h = event.getHeader();
        switch (h.getEventType()) {
            case ROTATE -> rotate(h, event.getData());
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                // the server id of a MariaDB GTID is the event header's, not in the GTID event's body
                begin(h.getPosition(), g.getDomainId() + "-" + h.getServerId() + "-" + g.getSequence(), Instant.ofEpochMilli(h.getTimestamp()));
                sawBegin = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
            }
            case GTID, ANONYMOUS_GTID -> {
                GtidEventData g = event.getData();
                long micros = g.getImmediateCommitTimestamp();
                Instant time = micros > 0 ? Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000) : Instant.ofEpochMilli(h.getTimestamp());
                begin(h.getPosition(), h.getEventType() == com.github.shyiko.mysql.binlog.event.EventType.GTID ? g.getGtid() : null, time);
            }
            case QUERY -> query(h, event.getData());
            case TABLE_MAP -> schemas.bind((TableMapEventData) event.getData(), file, h.getPosition());
            case WRITE_ROWS, EXT_WRITE_ROWS -> inserts(event.getData());
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> updates(event.getData());
            case DELETE_ROWS, EXT_DELETE_ROWS -> deletes(event.getData());
            case XID, XA_PREPARE -> commit(h.getNextPosition());
            case HEARTBEAT -> advanceIdle(true);
            case TRANSACTION_PAYLOAD -> throw compressed(h, "a compressed transaction payload (MySQL binlog_transaction_compression,"
                    + " set globally or by a writer's session)", "SET GLOBAL binlog_transaction_compression = OFF");
            case UNKNOWN -> mariadbCompressed(h, event.getData());
            case PARTIAL_UPDATE_ROWS_EVENT -> throw unreadable(h, "a partial JSON update (MySQL binlog_row_value_options=PARTIAL_JSON,"
                    + " set globally or by a writer's session)", "SET GLOBAL binlog_row_value_options = ''", "partial JSON updates were");
            case PREVIOUS_GTIDS -> {
                if (!gtids.known()) {
                    gtids.reset(((PreviousGtidSetEventData) event.getData()).getGtidSet());
                }
            }
            case MARIADB_GTID_LIST -> {
                MariadbGtidListEventData l = event.getData();
                if (!gtids.known() && l.getMariaGTIDSet() != null) {
                    gtids.reset(l.getMariaGTIDSet().toString());
                }
            }
            default -> {
            }
        }
    }

    /** MariaDB's compressed events (log_bin_compress): rows of an unselected table are passed over, anything else stops the run. */
    private void mariadbCompressed(EventHeaderV4 h, Object data) {
        String name = h instanceof BinlogDeserializer.Header x ? BinlogDeserializer.mariadbCompressed(x.code()) : null;
        if (name == null) {
            return;
        }
        String what = "a " + name + " event";
        if (data instanceof BinlogDeserializer.CompressedRows r) {
            SchemaCache.Bound b = schemas.bound(r.tableId());
            if (!b.selected()) {
                return;
            }
            what += " of " + b.id();
        }
        throw compressed(h, what + " (MariaDB log_bin_compress)", "SET GLOBAL log_bin_compress = OFF");
    }

    /**
     * An event that cannot be read. Nothing from it on is emitted or advanced to, so the stored position stays before it
     * and no change is skipped silently.
     */
    private IllegalStateException compressed(EventHeaderV4 h, String what, String fix) {
        return unreadable(h, what, fix, "compression was");
    }

    private IllegalStateException unreadable(EventHeaderV4 h, String what, String fix, String setting) {
        String at = file + ":" + h.getPosition();
        return new IllegalStateException("pipeline " + schemas.pipeline() + ": the binlog event at " + at + " is " + what
                + ", which changepipe cannot read; the pipeline stops before it" + (inTx ? " (its transaction starts at " + file + ":"
                + txStart + ")" : "") + ". " + fix + " (and in the server's configuration). Events written while " + setting
                + " on stay unreadable: reload the tables (delete the stored position and run with migrationType"
                + " full-load-and-cdc), or accept losing their changes and delete the stored position with start set to the"
                + " binlog position after them");
    }

    private void rotate(EventHeaderV4 h, RotateEventData r) throws InterruptedException {
        file = r.getBinlogFilename();
        if (h.getTimestamp() != 0 && !inTx) {
            // a real rotation (not the one a new connection starts with): the next file begins at a boundary
            boundary = new BinlogPosition(file, r.getBinlogPosition(), 0, gtids.current());
            idle = boundary;
            advanceIdle(false);
        }
    }

    private void begin(long position, String gtid, Instant time) {
        inTx = true;
        sawBegin = false;
        txStart = position;
        txGtid = gtid;
        txId = gtid != null ? gtid : file + ":" + position;
        gtidBefore = gtids.current();
        txTime = time;
        txChanges = 0;
        txEmitted = false;
        txSkip = skip > 0 && position == skipTxStart && file.equals(skipFile) ? skip : 0;
        skip = 0;
    }

    private void query(EventHeaderV4 h, QueryEventData q) throws Exception {
        String sql = q.getSql();
        String first = DdlStatement.firstWord(sql);
        switch (first) {
            case "BEGIN" -> {
                if (!inTx) {
                    begin(h.getPosition(), null, Instant.ofEpochMilli(h.getTimestamp()));
                }
                sawBegin = true;
            }
            case "COMMIT" -> commit(h.getNextPosition());
            case "ROLLBACK" -> {
                if (!sql.trim().toUpperCase(java.util.Locale.ROOT).matches("ROLLBACK\\s+TO\\b.*")) {
                    commit(h.getNextPosition());
                }
            }
            case "XA" -> {
                String upper = sql.trim().toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("XA START") || upper.startsWith("XA BEGIN")) {
                    if (!inTx) {
                        begin(h.getPosition(), null, Instant.ofEpochMilli(h.getTimestamp()));
                    }
                    sawBegin = true;
                } else if (upper.startsWith("XA COMMIT") || upper.startsWith("XA ROLLBACK")) {
                    commit(h.getNextPosition());
                }
            }
            case "SAVEPOINT", "RELEASE" -> {
            }
            default -> {
                if (!inTx) {
                    begin(h.getPosition(), null, Instant.ofEpochMilli(h.getTimestamp()));
                }
                Optional<DdlStatement> ddl = DdlStatement.parse(sql, q.getDatabase());
                if (ddl.isPresent()) {
                    ddl(ddl.get(), sql);
                }
                if (!sawBegin) {
                    commit(h.getNextPosition());
                }
            }
        }
    }

    private void ddl(DdlStatement d, String sql) throws InterruptedException {
        if (d.kind() == DdlStatement.Kind.DATABASE) {
            schemas.invalidateDatabase(d.database());
            return;
        }
        d.tables().forEach(schemas::invalidate);
        d.newNames().forEach(schemas::invalidate);
        if (!d.changesShape()) {
            return;
        }
        for (int i = 0; i < d.tables().size(); i++) {
            TableId old = d.tables().get(i);
            TableId renamed = i < d.newNames().size() ? d.newNames().get(i) : null;
            if (!next()) {
                continue;
            }
            TableId table = schemas.selected(old) ? old : renamed != null && schemas.selected(renamed) ? renamed : null;
            if (table != null) {
                emit(new ChangeEvent(Op.DDL, table, null, null, List.of(), txTime, txId, txChanges, prevTxId, prevRecord,
                        position(), sql));
            }
        }
    }

    private void commit(long nextPosition) throws InterruptedException {
        gtids.committed(txGtid);
        inTx = false;
        txGtid = null;
        boundary = new BinlogPosition(file, nextPosition, 0, gtids.current());
        idle = boundary;
        if (!txEmitted) {
            advanceIdle(false);
        }
    }

    private void advanceIdle(boolean now) throws InterruptedException {
        long t = System.nanoTime();
        if (idle != null && (now || t - lastAdvance >= ADVANCE_EVERY_NANOS)) {
            emitter.advance(idle);
            idle = null;
            lastAdvance = t;
        }
    }

    /** Counts the next change of the transaction; false when it was delivered before (resuming inside a transaction). */
    private boolean next() {
        return ++txChanges > txSkip;
    }

    private BinlogPosition position() {
        return new BinlogPosition(file, txStart, txChanges, gtidBefore);
    }

    private void inserts(WriteRowsEventData d) throws InterruptedException {
        SchemaCache.Bound b = schemas.bound(d.getTableId());
        for (Serializable[] r : d.getRows()) {
            if (next() && b.selected()) {
                emit(row(Op.INSERT, b, row(b, r, d.getIncludedColumns()), null));
            }
        }
    }

    private void updates(UpdateRowsEventData d) throws InterruptedException {
        SchemaCache.Bound b = schemas.bound(d.getTableId());
        for (Map.Entry<Serializable[], Serializable[]> r : d.getRows()) {
            if (next() && b.selected()) {
                emit(row(Op.UPDATE, b, row(b, r.getValue(), d.getIncludedColumns()), row(b, r.getKey(), d.getIncludedColumnsBeforeUpdate())));
            }
        }
    }

    private void deletes(DeleteRowsEventData d) throws InterruptedException {
        SchemaCache.Bound b = schemas.bound(d.getTableId());
        for (Serializable[] r : d.getRows()) {
            if (next() && b.selected()) {
                emit(row(Op.DELETE, b, null, row(b, r, d.getIncludedColumns())));
            }
        }
    }

    private ChangeEvent row(Op op, SchemaCache.Bound b, Row after, Row before) {
        return new ChangeEvent(op, b.id(), after, before, b.schema().primaryKey(), txTime, txId, txChanges, prevTxId, prevRecord,
                position(), null);
    }

    /**
     * A row image's values converted per column. A full image has every column; a partial one (a writer's session set
     * binlog_row_image=MINIMAL) only those its bitmap includes, and becomes a row of just them.
     */
    private static Row row(SchemaCache.Bound b, Serializable[] values, BitSet included) {
        TableSchema s = b.schema();
        boolean full = values.length == s.size();
        String[] names = full ? null : new String[values.length];
        Object[] out = new Object[values.length];
        int i = full ? 0 : included.nextSetBit(0);
        for (int j = 0; j < values.length && i >= 0; j++, i = full ? i + 1 : included.nextSetBit(i + 1)) {
            ColumnDef c = s.column(i);
            out[j] = BinlogValues.convert(values[j], c);
            if (!full) {
                names[j] = c.name();
            }
        }
        return new Row(full ? s.names() : io.changepipe.event.Columns.of(names), out);
    }

    private void emit(ChangeEvent e) throws InterruptedException {
        emitter.emit(e);
        prevTxId = e.transactionId();
        prevRecord = e.recordInTransaction();
        txEmitted = true;
        idle = null;
        emitted++;
    }
}
