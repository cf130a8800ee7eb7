package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.definition.PipelineDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.sink.SinkRecord;
import io.changepipe.stats.TableStatistics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes go on while the tables are loaded: afterwards the sink's view (load and changes applied by primary key)
 * equals the tables, and the hand-over is exact: no insert of a row the load already had, no change to a row it did
 * not have. With one connection MariaDB's snapshot needs no lock; with two, the snapshots meet under a short one.
 */
class MySqlSnapshotWhileWritingIT {

    static final List<String> TABLES = List.of("t1", "t2", "t3");
    static final int ROWS = 20_000;

    @TempDir
    Path state;

    static String db;

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_snap");
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    /** Updates, inserts and deletes rows of all tables, several per transaction, until stopped. */
    static final class Writer extends Thread {
        volatile boolean stop;
        volatile Throwable failure;
        volatile int transactions;
        final String prefix;

        Writer(String prefix) {
            this.prefix = prefix;
            setDaemon(true);
        }

        @Override
        public void run() {
            Random random = new Random(3);
            long next = ROWS + 1;
            try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
                while (!stop) {
                    st.execute("BEGIN");
                    for (int k = 0; k < 4; k++) {
                        String t = db + "." + prefix + TABLES.get(random.nextInt(3));
                        int dice = random.nextInt(10);
                        long id = 1 + random.nextInt(ROWS);
                        if (dice < 5) {
                            st.execute("UPDATE " + t + " SET v = v + 1, s = CONCAT('u', v) WHERE id = " + id);
                        } else if (dice < 8) {
                            st.execute("INSERT INTO " + t + " VALUES (" + next++ + ", 0, 'new')");
                        } else {
                            st.execute("DELETE FROM " + t + " WHERE id = " + id);
                        }
                    }
                    st.execute("COMMIT");
                    transactions++;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theSinksViewEqualsTheTablesAndTheHandOverIsExact(int parallel) throws Exception {
        String prefix = "p" + parallel + "_";
        for (String t : TABLES) {
            MariaDb.exec("CREATE TABLE " + db + "." + prefix + t + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(20))",
                    "INSERT INTO " + db + "." + prefix + t + " SELECT seq, 0, 'x' FROM " + db + ".seq_1_to_" + ROWS);
        }
        MariaDb.exec("CREATE TABLE " + db + "." + prefix + "marker (id INT PRIMARY KEY)");
        PipelineDef def = MariaDb.pipeline("snapshot-it-" + parallel, db, "full-load-and-cdc", "parallelLoad: " + parallel, """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: mine
                  object-locator: { schema-name: %s, table-name: "%s%%" }
                  rule-action: include
                """.formatted(db, prefix.replace("_", "[_]")));
        Writer writer = new Writer(prefix);
        writer.start();
        MariaDb.await(() -> writer.transactions > 20, Duration.ofSeconds(10), () -> "writes going on");
        Graphs.Recording sink = new Graphs.Recording();
        TableStatistics stats = new TableStatistics(Clock.systemUTC(), (t, op) -> { });
        PipelineGraph g = Graphs.start(def, state, sink, stats);
        try {
            MariaDb.await(() -> sink.records.stream().filter(r -> r.event().op() == Op.LOAD).count() >= 3L * ROWS * 9 / 10
                    && sink.records.get(sink.records.size() - 1).event().op() != Op.LOAD, Duration.ofSeconds(120), () -> "the load and then changes");
            int before = writer.transactions;
            MariaDb.await(() -> writer.transactions > before + 50, Duration.ofSeconds(10), () -> "more writes after the load");
            writer.stop = true;
            writer.join();
            assertTrue(writer.failure == null, "writer: " + writer.failure);
            MariaDb.exec("INSERT INTO " + db + "." + prefix + "marker VALUES (1)");
            MariaDb.await(() -> sink.records.stream().anyMatch(r -> r.event().table().table().endsWith("marker")), Duration.ofSeconds(60),
                    () -> "the marker");
        } finally {
            g.stop();
        }
        Map<String, TreeMap<Long, String>> view = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (SinkRecord r : sink.records) {
            ChangeEvent e = r.event();
            TreeMap<Long, String> rows = view.computeIfAbsent(e.table().table(), k -> new TreeMap<>());
            long id = ((Number) e.image().get("id")).longValue();
            String now = e.after() == null ? null : e.after().get("v") + "/" + e.after().get("s");
            switch (e.op()) {
                case LOAD, INSERT -> {
                    if (rows.put(id, now) != null) {
                        problems.add(e.op() + " of " + e.table() + " " + id + " which the sink already had (" + e.position().text() + ")");
                    }
                }
                case UPDATE -> {
                    if (rows.put(id, now) == null) {
                        problems.add("update of " + e.table() + " " + id + " which the sink did not have (" + e.position().text() + ")");
                    }
                }
                case DELETE -> {
                    if (rows.remove(id) == null) {
                        problems.add("delete of " + e.table() + " " + id + " which the sink did not have (" + e.position().text() + ")");
                    }
                }
                case DDL -> {
                }
            }
        }
        assertEquals(List.of(), problems.stream().limit(20).toList());
        for (String t : TABLES) {
            TreeMap<Long, String> table = new TreeMap<>();
            try (Connection c = MariaDb.app(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, v, s FROM " + db + "." + prefix + t)) {
                while (rs.next()) {
                    table.put(rs.getLong(1), rs.getLong(2) + "/" + rs.getString(3));
                }
            }
            assertEquals(table, view.get(prefix + t), prefix + t + ": the sink's view equals the table");
        }
        assertEquals(List.of("Table completed", "Table completed", "Table completed"),
                stats.snapshot().stream().filter(s -> !s.tableName().endsWith("marker")).map(TableStatistics.Snapshot::tableState).toList());
        assertTrue(stats.snapshot().stream().allMatch(s -> s.fullLoadEndTime() != null), "every table's load ended");
    }
}
