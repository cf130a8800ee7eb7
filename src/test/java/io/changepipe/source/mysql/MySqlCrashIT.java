package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.definition.PipelineDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.SinkRecord;
import io.changepipe.stats.TableStatistics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abrupt stops ({@link PipelineGraph#kill}: no draining, no final store) while a writer keeps changing rows: after each
 * restart from the stored position, every committed change arrives at least once, and each run delivers a key's
 * changes in the order they were committed.
 */
class MySqlCrashIT {

    static String db;

    @TempDir
    Path state;

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_crash");
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    /** A committed change: its kind, key and the version the row had after it (before it, for deletes). */
    record Change(Op op, long id, long version) {
    }

    /** Changes rows 1..100 in transactions of 1 to 5 changes until stopped; every row change has a new version. */
    static final class Writer extends Thread {
        final List<Change> committed = new CopyOnWriteArrayList<>();
        final Map<Long, Long> rows = new HashMap<>();
        final Map<Long, Long> versions = new HashMap<>();
        volatile boolean stop;
        volatile Throwable failure;

        Writer(Map<Long, Long> initial) {
            rows.putAll(initial);
            initial.keySet().forEach(id -> versions.put(id, 0L));
            setDaemon(true);
        }

        @Override
        public void run() {
            Random random = new Random(11);
            try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
                while (!stop) {
                    st.execute("BEGIN");
                    List<Change> tx = new ArrayList<>();
                    Map<Long, Long> after = new HashMap<>(rows);
                    for (int k = 1 + random.nextInt(5); k > 0; k--) {
                        long id = 1 + random.nextInt(100);
                        long v = versions.merge(id, 1L, Long::sum);
                        if (!after.containsKey(id)) {
                            st.execute("INSERT INTO " + db + ".crash VALUES (" + id + ", " + v + ")");
                            after.put(id, v);
                            tx.add(new Change(Op.INSERT, id, v));
                        } else if (random.nextInt(100) < 85) {
                            st.execute("UPDATE " + db + ".crash SET v = " + v + " WHERE id = " + id);
                            after.put(id, v);
                            tx.add(new Change(Op.UPDATE, id, v));
                        } else {
                            st.execute("DELETE FROM " + db + ".crash WHERE id = " + id);
                            tx.add(new Change(Op.DELETE, id, after.remove(id)));
                        }
                    }
                    st.execute("COMMIT");
                    rows.clear();
                    rows.putAll(after);
                    committed.addAll(tx);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    static Change change(SinkRecord r) {
        ChangeEvent e = r.event();
        return new Change(e.op(), (Long) e.image().get("id"), (Long) e.image().get("v"));
    }

    @Test
    void killedSeveralTimesUnderLoadEveryCommittedChangeArrivesAtLeastOnceInKeyOrder() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".crash (id INT PRIMARY KEY, v BIGINT NOT NULL)", "CREATE TABLE " + db + ".done (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".crash SELECT seq, 0 FROM " + db + ".seq_1_to_50");
        PipelineDef def = MariaDb.pipeline("crash-it", db, "full-load-and-cdc", null, """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: crash
                  object-locator: { schema-name: %s, table-name: crash }
                  rule-action: include
                - rule-type: selection
                  rule-id: "2"
                  rule-name: done
                  object-locator: { schema-name: %s, table-name: done }
                  rule-action: include
                """.formatted(db, db));
        TableStatistics stats = new TableStatistics(Clock.systemUTC(), (t, op) -> { });
        List<List<SinkRecord>> runs = new ArrayList<>();
        Graphs.Recording firstSink = new Graphs.Recording();
        PipelineGraph g = Graphs.start(def, state, firstSink, stats);
        MariaDb.await(() -> firstSink.records.size() >= 50, Duration.ofSeconds(60), () -> "the full load");
        Graphs.Recording sink = firstSink;
        Map<Long, Long> initial = new HashMap<>();
        for (long i = 1; i <= 50; i++) {
            initial.put(i, 0L);
        }
        Writer writer = new Writer(initial);
        writer.start();
        Random random = new Random(5);
        List<SourcePosition> storedAtKill = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Thread.sleep(400 + random.nextInt(800));
            g.kill();
            runs.add(List.copyOf(sink.records));
            storedAtKill.add(new FilePositionStore(state).load("crash-it").orElseThrow());
            sink = new Graphs.Recording();
            g = Graphs.start(def, state, sink, stats);
        }
        Thread.sleep(500);
        writer.stop = true;
        writer.join();
        assertTrue(writer.failure == null, "writer failed: " + writer.failure);
        MariaDb.exec("INSERT INTO " + db + ".done VALUES (1)");
        Graphs.Recording last = sink;
        MariaDb.await(() -> last.records.stream().anyMatch(r -> r.event().table().table().equals("done")), Duration.ofSeconds(60),
                () -> "the end marker");
        g.stop();
        runs.add(List.copyOf(last.records));

        storedAtKill.forEach(p -> assertInstanceOf(SourcePosition.BinlogPosition.class, p, "killed during CDC"));
        Map<Long, List<Change>> byKey = new HashMap<>();
        writer.committed.forEach(c -> byKey.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(c));
        Set<Change> arrived = new HashSet<>();
        int duplicates = 0;
        for (List<SinkRecord> run : runs) {
            Map<Long, Integer> lastIndex = new HashMap<>();
            for (SinkRecord r : run) {
                if (!r.event().table().table().equals("crash") || r.event().op() == Op.LOAD) {
                    continue;
                }
                Change c = change(r);
                duplicates += arrived.add(c) ? 0 : 1;
                int index = byKey.getOrDefault(c.id(), List.of()).indexOf(c);
                assertTrue(index >= 0, "delivered but never committed: " + c);
                Integer before = lastIndex.put(c.id(), index);
                assertTrue(before == null || before < index, () -> "key " + c.id() + " out of order in a run: " + byKey.get(c.id()).get(before) + " then " + c);
            }
        }
        List<Change> missing = writer.committed.stream().filter(c -> !arrived.contains(c)).toList();
        assertEquals(List.of(), missing, "committed changes that never arrived");
        assertTrue(writer.committed.size() > 200, "the writer kept the pipeline busy: " + writer.committed.size() + " changes");
        System.out.printf("crash test: %d committed changes, %d runs, %d delivered again after a restart%n", writer.committed.size(), runs.size(), duplicates);
    }

    @Test
    void killedAfterOneTableWasDeliveredOnlyTheOthersLoadAgainAndCdcContinuesFromTheFirstSnapshot() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".early (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + db + ".early SELECT seq, 'load' FROM " + db + ".seq_1_to_200",
                "CREATE TABLE " + db + ".late (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + db + ".late SELECT seq, 'load' FROM " + db + ".seq_1_to_20000");
        PipelineDef def = MariaDb.pipeline("crash-it-resume", db, "full-load-and-cdc", "parallelLoad: 1", """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: early
                  object-locator: { schema-name: %1$s, table-name: early }
                  rule-action: include
                  load-order: 2
                - rule-type: selection
                  rule-id: "2"
                  rule-name: late
                  object-locator: { schema-name: %1$s, table-name: late }
                  rule-action: include
                  load-order: 1
                """.formatted(db));
        TableStatistics stats = new TableStatistics(Clock.systemUTC(), (t, op) -> { });
        // delivers every row of 'early' and the first 1,000 of 'late', then stalls: 'late' is never delivered
        java.util.concurrent.atomic.AtomicInteger lateRows = new java.util.concurrent.atomic.AtomicInteger();
        Graphs.Recording first = new Graphs.Recording() {
            @Override
            public io.smallrye.mutiny.Uni<List<io.changepipe.sink.Outcome>> write(List<SinkRecord> batch) {
                if (batch.stream().anyMatch(r -> r.event().table().table().equals("late")) && lateRows.addAndGet(batch.size()) > 1000) {
                    return io.smallrye.mutiny.Uni.createFrom().nothing();
                }
                return super.write(batch);
            }
        };
        PipelineGraph g = Graphs.start(def, state, first, stats);
        MariaDb.await(() -> storedLoad("crash-it-resume").map(l -> l.progress() != null
                && l.progress().done().contains(new TableId(db, "early"))).orElse(false), Duration.ofSeconds(60),
                () -> "the load of 'early' committed as delivered");
        // changes after the first snapshot, while the pipeline is stuck on 'late'
        MariaDb.exec("UPDATE " + db + ".early SET v = 'changed' WHERE id = 1", "DELETE FROM " + db + ".early WHERE id = 2",
                "INSERT INTO " + db + ".early VALUES (201, 'new')", "UPDATE " + db + ".late SET v = 'changed' WHERE id = 19999");
        g.kill();
        SourcePosition.LoadRow stored = storedLoad("crash-it-resume").orElseThrow();
        assertEquals(java.util.Set.of(new TableId(db, "early")), stored.progress().done());
        assertEquals(1, stored.progress().attempt());

        Graphs.Recording second = new Graphs.Recording();
        g = Graphs.start(def, state, second, stats);
        MariaDb.await(() -> second.records.stream().anyMatch(r -> r.event().op() == Op.UPDATE
                && r.event().table().table().equals("late")), Duration.ofSeconds(120), () -> "the reload of 'late' and the changes after it");
        g.stop();
        List<SinkRecord> loads = second.records.stream().filter(r -> r.event().op() == Op.LOAD).toList();
        assertTrue(loads.stream().noneMatch(r -> r.event().table().table().equals("early")), "a delivered table is never loaded again");
        assertEquals(20000, loads.size(), "'late' loaded again, whole");
        assertTrue(loads.get(0).event().position().text().contains("~2#"), "reloaded rows have ids of their own: " + loads.get(0).event().position().text());
        List<String> changes = second.records.stream().filter(r -> r.event().op() != Op.LOAD && r.event().op() != Op.DDL)
                .map(r -> r.event().op() + " " + r.event().table().table() + " " + r.event().image().get("id")).toList();
        assertEquals(List.of("UPDATE early 1", "DELETE early 2", "INSERT early 201", "UPDATE late 19999"), changes,
                "every change after the first snapshot arrives, after the reloaded rows");
        int lastLoad = second.records.indexOf(loads.get(loads.size() - 1));
        int lateChange = second.records.stream().map(r -> r.event().op() + " " + r.event().table().table()).toList().indexOf("UPDATE late");
        assertTrue(lateChange > lastLoad, "the reloaded table's change comes after its rows");
        assertTrue(stats.table(new TableId(db, "late")).snapshot().fullLoadReloaded());
        assertFalse(stats.table(new TableId(db, "early")).snapshot().fullLoadReloaded());
        assertInstanceOf(SourcePosition.BinlogPosition.class, new FilePositionStore(state).load("crash-it-resume").orElseThrow());
    }

    @Test
    void aCdcStartIsStoredBeforeAnyChangeSoACrashBeforeTheFirstCommitSkipsNothing() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".early_start (id INT PRIMARY KEY, v VARCHAR(20))");
        PipelineDef def = MariaDb.pipeline("crash-it-start", db, "cdc", "start: current", """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: t
                  object-locator: { schema-name: %s, table-name: early_start }
                  rule-action: include
                """.formatted(db));
        TableStatistics stats = new TableStatistics(Clock.systemUTC(), (t, op) -> { });
        Graphs.Recording stalled = new Graphs.Recording() {
            @Override
            public io.smallrye.mutiny.Uni<List<io.changepipe.sink.Outcome>> write(List<SinkRecord> batch) {
                return io.smallrye.mutiny.Uni.createFrom().nothing(); // never acknowledges: nothing is committed by changes
            }
        };
        PipelineGraph g = Graphs.start(def, state, stalled, stats);
        MariaDb.await(() -> storedBinlog("crash-it-start"), Duration.ofSeconds(30), () -> "the configured start stored");
        MariaDb.exec("INSERT INTO " + db + ".early_start VALUES (1, 'while stalled')");
        g.kill();
        MariaDb.exec("INSERT INTO " + db + ".early_start VALUES (2, 'while down')");
        Graphs.Recording second = new Graphs.Recording();
        g = Graphs.start(def, state, second, stats);
        MariaDb.await(() -> second.records.size() >= 2, Duration.ofSeconds(30), () -> "both changes after the first start");
        g.stop();
        assertEquals(List.of(1L, 2L), second.records.stream().map(r -> ((Number) r.event().image().get("id")).longValue()).toList());
    }

    boolean storedBinlog(String pipeline) {
        try {
            return new FilePositionStore(state).load(pipeline).filter(p -> p instanceof SourcePosition.BinlogPosition).isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    java.util.Optional<SourcePosition.LoadRow> storedLoad(String pipeline) {
        try {
            return new FilePositionStore(state).load(pipeline).filter(p -> p instanceof SourcePosition.LoadRow).map(p -> (SourcePosition.LoadRow) p);
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    @Test
    void killedDuringTheFullLoadItLoadsAgainFromTheStart() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + db + ".big SELECT seq, REPEAT('x', 40) FROM " + db + ".seq_1_to_60000");
        PipelineDef def = MariaDb.pipeline("crash-it-load", db, "full-load-and-cdc", null, """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: big
                  object-locator: { schema-name: %s, table-name: big }
                  rule-action: include
                """.formatted(db));
        TableStatistics stats = new TableStatistics(Clock.systemUTC(), (t, op) -> { });
        Graphs.Recording first = new Graphs.Recording();
        PipelineGraph g = Graphs.start(def, state, first, stats);
        MariaDb.await(() -> first.records.size() >= 5000, Duration.ofSeconds(60), () -> "part of the load");
        MariaDb.await(() -> { try { return new FilePositionStore(state).load("crash-it-load").isPresent(); } catch (Exception e) { return false; } },
                Duration.ofSeconds(10), () -> "a stored load position");
        g.kill();
        assertTrue(first.records.size() < 60000, "killed before the end of the load");
        assertInstanceOf(SourcePosition.LoadRow.class, new FilePositionStore(state).load("crash-it-load").orElseThrow());

        Graphs.Recording second = new Graphs.Recording();
        g = Graphs.start(def, state, second, stats);
        MariaDb.await(() -> second.records.size() >= 60000, Duration.ofSeconds(120), () -> "the whole load again, have " + second.records.size());
        MariaDb.exec("INSERT INTO " + db + ".big VALUES (60001, 'after')");
        MariaDb.await(() -> second.records.size() >= 60001, Duration.ofSeconds(30), () -> "the change after the load");
        Thread.sleep(300);
        g.stop();
        assertEquals(60001, second.records.size());
        assertEquals(60000, second.records.stream().filter(r -> r.event().op() == Op.LOAD).map(r -> r.event().after().get("id")).distinct().count());
        assertInstanceOf(SourcePosition.BinlogPosition.class, new FilePositionStore(state).load("crash-it-load").orElseThrow());
    }
}
