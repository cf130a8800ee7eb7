package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.SourcePosition;
import io.changepipe.offset.PositionStore;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkRecord;
import io.changepipe.source.ChangeEmitter;
import io.smallrye.mutiny.Uni;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Catch-up throughput (not a test; {@code bin/bench-mysql}): N inserts in 1,000-row transactions, then N/2 updates and
 * N/4 deletes, written to MariaDB first; then the same binlog range read by (a) mysql-binlog-connector-java alone,
 * counting rows (the ceiling), (b) the MySQL source alone into a counting emitter, (c) source + engine (the
 * pipeline's rules and keys, commit tracking) into a sink that acknowledges everything. Medians of the runs.
 */
public final class MySqlBench {

    private MySqlBench() {
    }

    public static void main(String[] args) throws Exception {
        int inserts = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String only = args.length > 2 ? args[2] : "all";
        long total = inserts + inserts / 2 + inserts / 4;
        String db = MariaDb.freshDatabase("cp_bench");
        try {
            String[] start = MySqlSourceIT.master();
            long t0 = System.nanoTime();
            write(db, inserts);
            String[] end = MySqlSourceIT.master();
            System.out.printf("wrote %,d changes in %.1fs, binlog %s:%s .. %s:%s%n", total, (System.nanoTime() - t0) / 1e9, start[0], start[1], end[0], end[1]);
            PipelineDef def = MariaDb.pipeline("bench", db, "cdc", "start: { binlogFile: " + start[0] + ", binlogPosition: " + start[1] + " }", null);
            List<Double> client = new ArrayList<>();
            List<Double> source = new ArrayList<>();
            List<Double> engine = new ArrayList<>();
            List<Double> clientCpu = new ArrayList<>();
            List<Double> sourceCpu = new ArrayList<>();
            List<Double> engineCpu = new ArrayList<>();
            for (int r = 0; r <= runs; r++) {
                // run 0 warms the JIT and is not counted
                long cpu0 = cpu();
                double a = only.equals("all") || only.equals("client") ? clientAlone(start, end, total) : 1;
                long cpu1 = cpu();
                double b = only.equals("all") || only.equals("source") ? sourceAlone(def, total) : 1;
                long cpu2 = cpu();
                double c = only.equals("all") || only.equals("engine") ? sourceAndEngine(def, total) : 1;
                long cpu3 = cpu();
                if (r > 0) {
                    client.add(a);
                    source.add(b);
                    engine.add(c);
                    clientCpu.add((cpu1 - cpu0) / 1000.0 / total);
                    sourceCpu.add((cpu2 - cpu1) / 1000.0 / total);
                    engineCpu.add((cpu3 - cpu2) / 1000.0 / total);
                }
                System.out.printf("run %d%s: connector alone %,.0f rows/s (%.2f µs CPU each), source %,.0f changes/s (%.2f µs),"
                        + " source + engine %,.0f changes/s (%.2f µs)%n", r, r == 0 ? " (warm-up)" : "", a, (cpu1 - cpu0) / 1000.0 / total,
                        b, (cpu2 - cpu1) / 1000.0 / total, c, (cpu3 - cpu2) / 1000.0 / total);
            }
            double a = median(client);
            double c = median(engine);
            System.out.printf("%nmedian of %d runs over %,d changes:%n  mysql-binlog-connector-java alone  %,10.0f rows/s%n"
                    + "  MySQL source alone                %,10.0f changes/s%n  source + engine, no-op sink       %,10.0f changes/s%n"
                    + "  ratio (source + engine / connector) %.2f%n"
                    + "  CPU per change (all threads): connector %.2f µs, source %.2f µs, source + engine %.2f µs%n",
                    runs, total, a, median(source), c, c / a, median(clientCpu), median(sourceCpu), median(engineCpu));
        } finally {
            MariaDb.drop(db);
        }
    }

    static void write(String db, int inserts) throws Exception {
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + db + ".bench (id INT PRIMARY KEY, a INT, b INT, c INT, flag TINYINT, name VARCHAR(64),"
                    + " amount DECIMAL(10,2), created DATETIME(3))");
            for (int i = 0; i < inserts; i += 1000) {
                st.execute("INSERT INTO " + db + ".bench SELECT seq, seq % 97, seq % 1013, seq * 7, seq % 2, CONCAT('name-', seq),"
                        + " seq / 100, TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00.123') FROM " + db + ".seq_" + (i + 1) + "_to_" + (i + 1000));
            }
            for (int i = 0; i < inserts / 2; i += 1000) {
                st.execute("UPDATE " + db + ".bench SET a = a + 1, name = CONCAT(name, '!') WHERE id BETWEEN " + (i + 1) + " AND " + (i + 1000));
            }
            for (int i = 0; i < inserts / 4; i += 1000) {
                st.execute("DELETE FROM " + db + ".bench WHERE id BETWEEN " + (inserts - i - 999) + " AND " + (inserts - i));
            }
        }
    }

    /** The connector with its default deserializer, counting rows until the end position. */
    static double clientAlone(String[] start, String[] end, long total) throws Exception {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", MariaDb.port(), "cdc", "cdcpass");
        client.setServerId(1_999_999_999L);
        client.setKeepAlive(false);
        client.setBinlogFilename(start[0]);
        client.setBinlogPosition(Long.parseLong(start[1]));
        client.setEventDeserializer(new EventDeserializer());
        AtomicLong rows = new AtomicLong();
        long endPos = Long.parseLong(end[1]);
        client.registerEventListener(e -> {
            Object d = e.getData();
            if (d instanceof WriteRowsEventData w) {
                rows.addAndGet(w.getRows().size());
            } else if (d instanceof UpdateRowsEventData u) {
                rows.addAndGet(u.getRows().size());
            } else if (d instanceof DeleteRowsEventData x) {
                rows.addAndGet(x.getRows().size());
            }
            EventHeaderV4 h = e.getHeader();
            if (client.getBinlogFilename().equals(end[0]) && h.getNextPosition() >= endPos) {
                try {
                    client.disconnect();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        long t = System.nanoTime();
        client.connect();
        double seconds = (System.nanoTime() - t) / 1e9;
        if (rows.get() < total) {
            throw new IllegalStateException("the connector read " + rows.get() + " rows, expected at least " + total);
        }
        return rows.get() / seconds;
    }

    static double sourceAlone(PipelineDef def, long total) throws Exception {
        MySqlSource source = new MySqlSource(def.name(), (SourceDef.MySql) def.source(), def.tableMappings(), MySqlSource.Settings.DEFAULT);
        AtomicLong n = new AtomicLong();
        long[] done = {0};
        ChangeEmitter count = new ChangeEmitter() {
            @Override
            public void emit(ChangeEvent event) {
                if (n.incrementAndGet() == total) {
                    done[0] = System.nanoTime();
                    source.stop();
                }
            }
        };
        long t = System.nanoTime();
        source.run(Optional.empty(), count);
        return total / ((done[0] - t) / 1e9);
    }

    static double sourceAndEngine(PipelineDef def, long total) throws Exception {
        AtomicLong n = new AtomicLong();
        long[] done = {0};
        Object finished = new Object();
        Sink noop = new Sink() {
            @Override
            public Uni<List<Outcome>> write(List<SinkRecord> records) {
                if (n.addAndGet(records.size()) >= total && done[0] == 0) {
                    done[0] = System.nanoTime();
                    synchronized (finished) {
                        finished.notifyAll();
                    }
                }
                return Uni.createFrom().item(Collections.nCopies(records.size(), Outcome.DONE));
            }
        };
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(new MySqlSourceFactory()), Graphs.sinks(s -> noop)), Clock.systemUTC())
                .compile(def);
        PositionStore none = new PositionStore() {
            public Optional<SourcePosition> load(String pipeline) {
                return Optional.empty();
            }

            public void store(String pipeline, SourcePosition position) {
            }
        };
        PipelineGraph g = new PipelineGraph(def.name(), parts, new PipelineGraph.Services(none, (p, s, r, why) -> { }, e -> { }),
                PipelineGraph.Settings.DEFAULT);
        long t = System.nanoTime();
        g.start();
        synchronized (finished) {
            while (done[0] == 0) {
                finished.wait(100);
            }
        }
        g.kill();
        return total / ((done[0] - t) / 1e9);
    }

    /** CPU time of this process so far, in nanoseconds (every thread: reading, converting, engine, sink). */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

}
