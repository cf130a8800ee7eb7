package io.changepipe.stats;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.TableId;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** DMS-style table statistics of one pipeline (DescribeTableStatistics' fields that apply here). */
public final class TableStatistics {

    /** DMS's TableState values that changepipe reports. */
    public enum TableState {
        BEFORE_LOAD("Before load"), FULL_LOAD("Full load"), TABLE_COMPLETED("Table completed"), TABLE_ERROR("Table error");

        private final String text;

        TableState(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One table's counters; snapshots of it are what /pipelines/{name}/tables shows. */
    public static final class Table {
        final TableId id;
        final LongAdder inserts = new LongAdder();
        final LongAdder updates = new LongAdder();
        final LongAdder deletes = new LongAdder();
        final LongAdder ddls = new LongAdder();
        final LongAdder fullLoadRows = new LongAdder();
        volatile Instant fullLoadStart;
        volatile Instant fullLoadEnd;
        volatile Instant lastUpdate;
        volatile TableState state = TableState.BEFORE_LOAD;
        volatile String error;
        volatile boolean reloaded;

        Table(TableId id) {
            this.id = id;
        }

        public Snapshot snapshot() {
            return new Snapshot(id.schema(), id.table(), inserts.sum(), updates.sum(), deletes.sum(), ddls.sum(), fullLoadRows.sum(),
                    fullLoadStart, fullLoadEnd, reloaded, lastUpdate, state.text(), error);
        }
    }

    /** The JSON shape, with DMS's field names in camelCase. */
    public record Snapshot(String schemaName, String tableName, long inserts, long updates, long deletes, long ddls,
            long fullLoadRows, Instant fullLoadStartTime, Instant fullLoadEndTime, boolean fullLoadReloaded, Instant lastUpdateTime, String tableState,
            String error) {
    }

    /** Told about every counted change, e.g. to export Prometheus counters. */
    public interface Listener {
        void counted(TableId table, String operation);
    }

    private final Clock clock;
    private final Listener listener;
    private final Map<TableId, Table> tables = new ConcurrentHashMap<>();

    public TableStatistics(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    public Table table(TableId id) {
        return tables.computeIfAbsent(id, Table::new);
    }

    /** Counts a change that the pipeline selected (after rules, before delivery). */
    public void count(ChangeEvent e) {
        Table t = table(e.table());
        switch (e.op()) {
            case LOAD -> t.fullLoadRows.increment();
            case INSERT -> t.inserts.increment();
            case UPDATE -> t.updates.increment();
            case DELETE -> t.deletes.increment();
            case DDL -> t.ddls.increment();
        }
        t.lastUpdate = clock.instant();
        if (e.op() != io.changepipe.event.Op.LOAD && t.state == TableState.BEFORE_LOAD) {
            t.state = TableState.TABLE_COMPLETED;
        }
        listener.counted(e.table(), e.op().wireName());
    }

    public void fullLoadStarted(TableId id) {
        Table t = table(id);
        t.fullLoadStart = clock.instant();
        t.state = TableState.FULL_LOAD;
    }

    /** DMS's FullLoadReloaded: the table's load started again after an interrupted one. */
    public void fullLoadReloaded(TableId id) {
        table(id).reloaded = true;
    }

    public void fullLoadFinished(TableId id) {
        Table t = table(id);
        t.fullLoadEnd = clock.instant();
        t.state = TableState.TABLE_COMPLETED;
    }

    public void tableFailed(TableId id, String reason) {
        Table t = table(id);
        t.state = TableState.TABLE_ERROR;
        t.error = reason;
    }

    public List<Snapshot> snapshot() {
        return tables.values().stream().map(Table::snapshot)
                .sorted(Comparator.comparing(Snapshot::schemaName).thenComparing(Snapshot::tableName)).toList();
    }
}
