package io.changepipe.source.mysql;

import io.changepipe.event.TableId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Rows read per table during a full load, logged at a steady interval with the estimate and the rate. */
final class LoadProgress implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LoadProgress.class);

    private record Table(long estimated, AtomicLong rows, long startNanos) {
    }

    private final String pipeline;
    private final Map<TableId, Table> active = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final long estimatedTotal;
    private final ScheduledExecutorService timer;
    private long lastTotal;
    private long lastNanos = startNanos;

    LoadProgress(String pipeline, long estimatedTotal, Duration every) {
        this.pipeline = pipeline;
        this.estimatedTotal = estimatedTotal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "changepipe-" + pipeline + "-load-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::log, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts rows of {@code table}; the returned counter is the table's. */
    AtomicLong started(TableId table, long estimated) {
        Table t = new Table(estimated, new AtomicLong(), System.nanoTime());
        active.put(table, t);
        return t.rows;
    }

    void row() {
        total.incrementAndGet();
    }

    void finished(TableId table) {
        Table t = active.remove(table);
        if (t != null) {
            double seconds = Math.max(1e-3, (System.nanoTime() - t.startNanos) / 1e9);
            LOG.infof("pipeline %s: full load of %s done: %,d rows in %.1fs (%,.0f rows/s)", pipeline, table, t.rows.get(),
                    seconds, t.rows.get() / seconds);
        }
    }

    private synchronized void log() {
        long now = System.nanoTime();
        long rows = total.get();
        double rate = (rows - lastTotal) / Math.max(1e-3, (now - lastNanos) / 1e9);
        lastTotal = rows;
        lastNanos = now;
        StringBuilder tables = new StringBuilder();
        active.forEach((id, t) -> tables.append("; ").append(id).append(' ').append(String.format("%,d", t.rows.get()))
                .append(" / ~").append(String.format("%,d", t.estimated)));
        LOG.infof("pipeline %s: full load %,d / ~%,d rows (%s), %,.0f rows/s%s", pipeline, rows, estimatedTotal,
                estimatedTotal > 0 ? String.format("%.0f%%", 100.0 * Math.min(rows, estimatedTotal) / estimatedTotal) : "?", rate, tables);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
