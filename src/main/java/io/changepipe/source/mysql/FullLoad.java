package io.changepipe.source.mysql;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.source.ChangeEmitter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The full-load phase: every selected table read once, as {@code load} events, from connections that share one
 * consistent snapshot ({@link ConsistentSnapshot}). Tables go to {@code parallel} workers in load order (highest
 * first); rows stream from the server (a table is never held in memory) and reach the emitter one at a time, each
 * with a {@link SourcePosition.LoadRow} numbered in emission order and carrying the load's progress (the tables wholly
 * emitted so far, committed behind their rows). Returns the snapshot's binlog point: CDC continues from exactly there,
 * or, for a reload after a crash, from the first snapshot's point the progress carries.
 */
final class FullLoad {

    private static final Logger LOG = Logger.getLogger(FullLoad.class);

    /** A table to load: its shape, load order, information_schema's row estimate and the pushed-down filter. */
    record LoadTable(TableSchema schema, int loadOrder, long estimatedRows, Optional<WherePushdown.Where> where) {
        TableId id() {
            return schema.id();
        }
    }

    /** How long the snapshot lock may wait and how often progress is logged. */
    record Settings(int lockWaitSeconds, Duration progressEvery) {
    }

    private final String pipeline;
    private final Connections db;
    private final ServerInfo server;
    private final List<LoadTable> tables;
    private final int parallel;
    private final Settings settings;
    private final SourcePosition.LoadProgress previous;
    private final ReentrantLock emitLock = new ReentrantLock();
    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile ConsistentSnapshot snapshot;
    private long rows;
    private SourcePosition.LoadProgress state;

    /**
     * {@code previous}: the progress of an interrupted load (its tables already delivered are not in {@code tables}),
     * or null for a first load.
     */
    FullLoad(String pipeline, Connections db, ServerInfo server, List<LoadTable> tables, int parallel, Settings settings,
            SourcePosition.LoadProgress previous) {
        this.pipeline = pipeline;
        this.db = db;
        this.server = server;
        this.tables = tables.stream()
                .sorted(java.util.Comparator.comparingInt(LoadTable::loadOrder).reversed().thenComparing(t -> t.id().toString()))
                .toList();
        this.parallel = parallel;
        this.settings = settings;
        this.previous = previous;
    }

    /** Loads every table; returns the snapshot's binlog point (null without a binlog), or null when stopped. */
    BinlogPoint run(ChangeEmitter emitter) throws Exception {
        int n = Math.max(1, Math.min(parallel, tables.size()));
        try (ConsistentSnapshot s = ConsistentSnapshot.open(db, server, n, tables.stream().map(LoadTable::id).toList(),
                settings.lockWaitSeconds())) {
            snapshot = s;
            BinlogPoint point = s.point();
            String base = point != null ? point.text() : "full-load-" + Instant.now();
            // a reload's rows get ids of their own: a consumer deduplicating by stream-position must not drop them
            String snapshotId = previous == null ? base : base + "~" + (previous.attempt() + 1);
            state = previous == null ? new SourcePosition.LoadProgress(point == null ? null : point.toPosition(), 1, java.util.Set.of())
                    : new SourcePosition.LoadProgress(previous.resume(), previous.attempt() + 1, previous.done());
            // stored before the first row: a crash from here on reloads what is not delivered and continues CDC from the
            // first snapshot, never from a later one (sinks may already hold changes made after this one)
            emitter.checkpoint(new SourcePosition.LoadRow(snapshotId, 0, state));
            LOG.infof("pipeline %s: full load of %d tables (%s) with %d connections at %s, taken by %s", pipeline, tables.size(),
                    tables.stream().map(t -> t.id().toString()).collect(Collectors.joining(", ")), n,
                    point == null ? "no binlog point" : point.text() + (point.gtidSet().isEmpty() ? "" : " (GTID " + point.gtidSet() + ")"),
                    s.method());
            Queue<LoadTable> queue = new ConcurrentLinkedQueue<>(tables);
            try (LoadProgress progress = new LoadProgress(pipeline, tables.stream().mapToLong(LoadTable::estimatedRows).sum(),
                    settings.progressEvery())) {
                for (int i = 0; i < n; i++) {
                    Connection c = s.connections().get(i);
                    Thread t = new Thread(() -> work(c, queue, emitter, snapshotId, progress), "changepipe-" + pipeline + "-load-" + (i + 1));
                    t.setDaemon(true);
                    workers.add(t);
                    t.start();
                }
                try {
                    for (Thread t : workers) {
                        t.join();
                    }
                } catch (InterruptedException e) {
                    stop();
                    throw e;
                }
            }
            if (failure != null) {
                throw failure instanceof Exception e ? e : new IllegalStateException(failure);
            }
            if (stopped) {
                return null;
            }
            LOG.infof("pipeline %s: full load finished: %,d rows", pipeline, rows);
            return point;
        }
    }

    private void work(Connection c, Queue<LoadTable> queue, ChangeEmitter emitter, String snapshotId, LoadProgress progress) {
        LoadTable t = null;
        try {
            while (!stopped && (t = queue.poll()) != null) {
                load(c, t, emitter, snapshotId, progress);
            }
        } catch (InterruptedException e) {
            stopped = true;
        } catch (Throwable e) {
            if (!stopped) {
                failure = new IllegalStateException("full load of " + (t == null ? "a table" : t.id()) + " failed: " + e.getMessage(), e);
                stop();
            }
        }
    }

    private void load(Connection c, LoadTable t, ChangeEmitter emitter, String snapshotId, LoadProgress progress)
            throws SQLException, InterruptedException {
        TableSchema schema = t.schema();
        withLock(() -> {
            if (previous != null) {
                emitter.loadReloading(t.id());
            }
            emitter.loadStarted(t.id());
        });
        String sql = "SELECT " + schema.columns().stream().map(JdbcValues::select).collect(Collectors.joining(", "))
                + " FROM " + Sql.quote(t.id()) + t.where().map(w -> " WHERE " + w.sql()).orElse("");
        AtomicLong count = progress.started(t.id(), t.estimatedRows());
        try (PreparedStatement st = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE); // Connector/J streams the rows instead of buffering the table
            if (t.where().isPresent()) {
                List<Object> params = t.where().get().params();
                for (int i = 0; i < params.size(); i++) {
                    st.setObject(i + 1, params.get(i));
                }
            }
            try (ResultSet rs = st.executeQuery()) {
                int n = schema.size();
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = JdbcValues.read(rs, i + 1, schema.column(i));
                    }
                    Row row = new Row(schema.names(), values);
                    emitLock.lockInterruptibly();
                    try {
                        emitter.emit(ChangeEvent.of(Op.LOAD, t.id(), row, null, schema.primaryKey(),
                                new SourcePosition.LoadRow(snapshotId, ++rows, state)));
                    } finally {
                        emitLock.unlock();
                    }
                    count.incrementAndGet();
                    progress.row();
                    if (stopped) {
                        return;
                    }
                }
            }
        }
        progress.finished(t.id());
        withLock(() -> {
            // committed once every row before it is acknowledged: from then on a restart does not load this table again
            state = state.with(t.id());
            emitter.advance(new SourcePosition.LoadRow(snapshotId, rows, state));
            emitter.loadFinished(t.id());
        });
    }

    private interface Locked {
        void run() throws InterruptedException;
    }

    private void withLock(Locked r) throws InterruptedException {
        emitLock.lockInterruptibly();
        try {
            r.run();
        } finally {
            emitLock.unlock();
        }
    }

    /** Stops the workers: their connections are aborted (a streamed result cannot be closed without reading it all). */
    void stop() {
        stopped = true;
        ConsistentSnapshot s = snapshot;
        if (s != null) {
            Executor direct = Runnable::run;
            for (Connection c : s.connections()) {
                try {
                    c.abort(direct);
                } catch (SQLException e) {
                    // already closed
                }
            }
        }
        workers.forEach(Thread::interrupt);
    }
}
