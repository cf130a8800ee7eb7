package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.SourcePosition;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.runtime.PipelineRuntime;
import io.changepipe.sink.FileDeadLetters;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.stats.TableStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario end to end: the repository's invoices pipeline (real plugin, rules and keys) over the seed's
 * {@code invoices} table in a database of its own, full-load-and-cdc, then 1,000 inserts, updates and deletes in
 * transactions: every sink receives exactly the load and the changes, in order.
 */
class MySqlSeedScenarioIT {

    static String db;

    @TempDir
    Path state;

    PipelineRuntime runtime;
    final Map<String, MemorySink> sinks = new ConcurrentHashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        db = MariaDb.freshDatabase("cp_seed");
        String seed = Files.readString(Path.of("demo/seed.sql")).replace("democustomer", db);
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            for (String sql : seed.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
        }
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stopAll();
        }
    }

    record Expected(Op op, long id, Map<String, Object> after) {
    }

    @Test
    void theSeedTableAndAThousandChangesArriveExactlyAndInOrder() throws Exception {
        String yaml = Files.readString(Path.of("pipelines/invoices.yaml")).replace("democustomer", db)
                .replace("\n  name: invoices\n", "\n  name: seed-it\n")
                .replace("    migrationType: full-load-and-cdc\n", "    migrationType: full-load-and-cdc\n    serverId: " + MariaDb.serverId() + "\n");
        PipelineDef def = new PipelineParser(n -> switch (n) {
            case "CDC_DB_PASSWORD" -> "cdcpass";
            case "CDC_DB_PORT" -> Integer.toString(MariaDb.port());
            default -> null;
        }, true).parse("seed-it.yaml", Path.of("pipelines"), yaml).pipelines().get(0);
        runtime = new PipelineRuntime(new Plugins(List.of(new MySqlSourceFactory()), Graphs.sinks(n -> sinks.computeIfAbsent(n, k -> new MemorySink()))),
                new FilePositionStore(state.resolve("positions")), new FileDeadLetters(state.resolve("dead-letters"), Clock.systemUTC()),
                Clock.systemUTC(), p -> (t, op) -> { }, Graphs.SETTINGS);
        runtime.start(def);
        MariaDb.await(() -> delivered("stream").size() == 10 || runtime.status("seed-it").state().equals("failed"), Duration.ofSeconds(60),
                () -> "the 10 seed rows, status " + runtime.status("seed-it"));
        assertEquals("running", runtime.status("seed-it").state(), String.valueOf(runtime.status("seed-it").reason()));

        List<Expected> expected = new ArrayList<>();
        TreeMap<Long, Map<String, Object>> rows = new TreeMap<>();
        for (long i = 1; i <= 10; i++) {
            rows.put(i, null);
        }
        Random random = new Random(4);
        long nextId = 11;
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            while (expected.size() < 1000) {
                st.execute("BEGIN");
                int n = Math.min(1 + random.nextInt(10), 1000 - expected.size());
                for (int k = 0; k < n; k++) {
                    int dice = random.nextInt(10);
                    if (rows.size() < 5 || dice < 4) {
                        long id = nextId++;
                        Map<String, Object> row = invoice(id, random);
                        st.execute("INSERT INTO " + db + ".invoices VALUES (" + id + ", " + row.get("customer_id") + ", '"
                                + row.get("billing_date") + "', '" + row.get("due_date") + "', " + row.get("balance") + ", "
                                + row.get("monthly_kwh_use") + ", '" + row.get("total_amount_due") + "')");
                        rows.put(id, row);
                        expected.add(new Expected(Op.INSERT, id, row));
                    } else if (dice < 8) {
                        long id = pick(rows, random);
                        long kwh = 100 + expected.size(); // never the value the row has: an update that changes nothing is not in the binlog
                        st.execute("UPDATE " + db + ".invoices SET monthly_kwh_use = " + kwh + ", balance = " + kwh * 2 + " WHERE invoice_id = " + id);
                        expected.add(new Expected(Op.UPDATE, id, Map.of("monthly_kwh_use", kwh, "balance", kwh * 2)));
                    } else {
                        long id = pick(rows, random);
                        st.execute("DELETE FROM " + db + ".invoices WHERE invoice_id = " + id);
                        rows.remove(id);
                        expected.add(new Expected(Op.DELETE, id, null));
                    }
                }
                st.execute("COMMIT");
            }
        }
        for (String sink : List.of("stream", "lake", "dms-csv", "alerts")) {
            MariaDb.await(() -> delivered(sink).size() >= 1010, Duration.ofSeconds(60), () -> "1,010 records in " + sink + ", have " + delivered(sink).size());
        }
        Thread.sleep(200);
        List<SinkRecord> got = delivered("stream");
        assertEquals(1010, got.size(), "exactly the load and the changes, no more");
        for (int i = 0; i < 10; i++) {
            ChangeEvent e = got.get(i).event();
            assertEquals(Op.LOAD, e.op());
            assertEquals((long) i + 1, e.after().get("invoice_id"));
        }
        assertEquals(LocalDate.of(2022, 4, 30), got.get(0).event().after().get("due_date"));
        assertEquals("28", got.get(0).event().after().get("total_amount_due"));
        for (int i = 0; i < 1000; i++) {
            Expected x = expected.get(i);
            ChangeEvent e = got.get(10 + i).event();
            String at = "change " + i + " " + x;
            assertEquals(x.op(), e.op(), at);
            assertEquals(x.id(), e.image().get("invoice_id"), at);
            assertEquals(db + ".invoices." + x.id(), got.get(10 + i).partitionKey(), at);
            if (x.after() != null) {
                x.after().forEach((col, v) -> assertEquals(v, e.after().get(col), at + " column " + col));
            }
            if (x.op() != Op.INSERT) {
                assertEquals(x.id(), e.before().get("invoice_id"), at + " before image");
            }
            assertTrue(e.transactionId() != null && e.commitTimestamp() != null && e.recordInTransaction() > 0, at);
        }
        for (String sink : List.of("lake", "dms-csv", "alerts")) {
            assertEquals(got.stream().map(r -> r.event().position().text()).toList(),
                    delivered(sink).stream().map(r -> r.event().position().text()).toList(), sink + " gets the same records");
        }
        MariaDb.await(() -> !runtime.tables("seed-it").isEmpty() && runtime.tables("seed-it").get(0).deletes()
                == expected.stream().filter(x -> x.op() == Op.DELETE).count(), Duration.ofSeconds(5), () -> "statistics");
        TableStatistics.Snapshot t = runtime.tables("seed-it").get(0);
        assertEquals(List.of(db, "invoices", 10L, expected.stream().filter(x -> x.op() == Op.INSERT).count(),
                expected.stream().filter(x -> x.op() == Op.UPDATE).count(), "Table completed"),
                List.of(t.schemaName(), t.tableName(), t.fullLoadRows(), t.inserts(), t.updates(), t.tableState()));
        assertTrue(t.fullLoadStartTime() != null && t.fullLoadEndTime() != null, "full-load start and end");
        runtime.stopAll();
        SourcePosition stored = new FilePositionStore(state.resolve("positions")).load("seed-it").orElseThrow();
        assertEquals(got.get(1009).event().position(), stored, "a clean stop stores the last change's position");
    }

    List<SinkRecord> delivered(String sink) {
        MemorySink s = sinks.get(sink);
        return s == null ? List.of() : s.delivered();
    }

    static long pick(TreeMap<Long, Map<String, Object>> rows, Random random) {
        List<Long> ids = new ArrayList<>(rows.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    static Map<String, Object> invoice(long id, Random random) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("invoice_id", id);
        row.put("customer_id", 1_000_000L + random.nextInt(1_000_000));
        row.put("billing_date", LocalDate.of(2022, 5, 1 + random.nextInt(28)));
        row.put("due_date", LocalDate.of(2022, 6, 1 + random.nextInt(28)));
        row.put("balance", (long) random.nextInt(100));
        row.put("monthly_kwh_use", (long) random.nextInt(100));
        row.put("total_amount_due", Integer.toString(random.nextInt(100)) + ".5");
        return row;
    }

}
