package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.SourcePosition.BinlogPosition;
import io.changepipe.event.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source against the real MariaDB, into a list: full load then CDC, transactions, DDL, resuming, heartbeats. */
class MySqlSourceIT {

    static String db;
    Collector running;

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_source");
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && !running.finished()) {
            running.stop();
        }
    }

    static MySqlSource source(PipelineDef p) {
        return new MySqlSource(p.name(), (SourceDef.MySql) p.source(), p.tableMappings(),
                MySqlSource.Settings.DEFAULT.withProgressEvery(Duration.ofSeconds(1)).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    static void await(Collector c, int events) throws InterruptedException {
        MariaDb.await(() -> c.size() >= events || c.failure() != null, Duration.ofSeconds(30),
                () -> events + " events, have " + c.size() + ": " + c.events());
        if (c.failure() != null) {
            throw new AssertionError("the source failed", c.failure());
        }
    }

    @Test
    void fullLoadThenChangesWithTransactionDetailsAndPositions() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".t1 (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO " + db + ".t1 VALUES (1, 'a'), (2, 'b')");
        PipelineDef p = MariaDb.pipeline("source-it-basic", db, "full-load-and-cdc", null, """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: t1
                  object-locator: { schema-name: %s, table-name: t1 }
                  rule-action: include
                """.formatted(db));
        running = Collector.run(source(p), Optional.empty());
        await(running, 2);
        MariaDb.exec("BEGIN", "INSERT INTO " + db + ".t1 VALUES (3, 'c')", "UPDATE " + db + ".t1 SET name = 'B' WHERE id = 2",
                "DELETE FROM " + db + ".t1 WHERE id = 1", "COMMIT");
        await(running, 5);
        List<ChangeEvent> e = running.events();
        TableId t1 = new TableId(db, "t1");
        assertEquals(List.of(Op.LOAD, Op.LOAD, Op.INSERT, Op.UPDATE, Op.DELETE), e.stream().map(ChangeEvent::op).toList());
        assertEquals(List.of("started " + t1, "finished " + t1), running.loads());
        assertInstanceOf(SourcePosition.LoadRow.class, e.get(0).position());
        assertEquals(List.of("id"), e.get(0).primaryKey());
        List<SourcePosition> advanced = running.advanced();
        SourcePosition.LoadRow start = (SourcePosition.LoadRow) advanced.get(0);
        assertEquals(0, start.row(), "the first snapshot is a checkpoint before the first row");
        SourcePosition.LoadRow tableDone = (SourcePosition.LoadRow) advanced.get(1);
        assertEquals(java.util.Set.of(t1), tableDone.progress().done(), "t1's load committed as delivered behind its rows");
        BinlogPosition marker = (BinlogPosition) advanced.get(2);
        assertEquals(marker, start.progress().resume(), "CDC continues from the first snapshot");
        assertEquals(0, marker.rowInEvent(), "the end of the full load is a boundary");
        ChangeEvent update = e.get(3);
        assertEquals("B", update.after().get("name"));
        assertEquals("b", update.before().get("name"));
        assertEquals(1L, e.get(4).before().get("id"));
        BinlogPosition p2 = (BinlogPosition) e.get(2).position();
        BinlogPosition p4 = (BinlogPosition) e.get(4).position();
        assertEquals(p2.position(), p4.position(), "one transaction, one start");
        assertEquals(List.of(1, 2, 3), e.subList(2, 5).stream().map(x -> ((BinlogPosition) x.position()).rowInEvent()).toList());
        assertEquals(List.of(1L, 2L, 3L), e.subList(2, 5).stream().map(ChangeEvent::recordInTransaction).toList());
        assertTrue(e.get(2).transactionId().matches("0-1-\\d+"), "MariaDB GTID (domain-server-sequence) as the transaction id: " + e.get(2).transactionId());
        assertEquals(e.get(2).transactionId(), "0-1-" + (Long.parseLong(marker.gtidSet().split("-")[2]) + 1), "the next transaction after the snapshot");
        assertEquals(e.get(2).transactionId(), e.get(3).prevTransactionId());
        assertNull(e.get(2).ddl());
        assertTrue(Duration.between(e.get(2).commitTimestamp(), Instant.now()).abs().getSeconds() < 30);
        assertTrue(p2.compareTo(marker) > 0, "CDC continues after the snapshot point");
    }

    static String[] master() throws Exception {
        try (java.sql.Connection c = MariaDb.app(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            String file = rs.getString(1);
            long pos = rs.getLong(2);
            try (java.sql.ResultSet g = st.executeQuery("SELECT BINLOG_GTID_POS('" + file + "', " + pos + ")")) {
                g.next();
                return new String[] {file, Long.toString(pos), g.getString(1)};
            }
        }
    }

    static PipelineDef cdcOf(String name, String table, String start) {
        return MariaDb.pipeline(name, db, "cdc", "heartbeatInterval: 1s\n" + (start == null ? "" : "start: " + start), """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: only
                  object-locator: { schema-name: %s, table-name: %s }
                  rule-action: include
                """.formatted(db, table));
    }

    /** Runs a CDC pipeline that starts at the current position and waits until it reads the binlog. */
    static Collector startCdc(PipelineDef p) throws InterruptedException {
        MySqlSource s = source(p);
        Collector c = Collector.run(s, Optional.empty());
        MariaDb.await(() -> s.binlogConnectionId() > 0 || c.failure() != null, Duration.ofSeconds(10), () -> "a binlog connection");
        return c;
    }

    static List<Object> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> e.image() == null ? e.ddl() : e.image().get("id")).toList();
    }

    @Test
    void aStoredPositionInsideATransactionResumesRightAfterIt() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".resume (id INT PRIMARY KEY)");
        String[] start = master();
        MariaDb.exec("INSERT INTO " + db + ".resume VALUES (1),(2),(3),(4),(5),(6)", "INSERT INTO " + db + ".resume VALUES (7)");
        PipelineDef p = cdcOf("source-it-resume", "resume", "{ binlogFile: " + start[0] + ", binlogPosition: " + start[1] + " }");
        running = Collector.run(source(p), Optional.empty());
        await(running, 7);
        running.stop();
        List<ChangeEvent> first = running.events();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), ids(first));
        assertEquals(start[2], ((BinlogPosition) first.get(0).position()).gtidSet(), "the GTID set executed before the transaction");

        running = Collector.run(source(p), Optional.of(first.get(2).position()));
        await(running, 4);
        List<ChangeEvent> again = running.events();
        assertEquals(List.of(4L, 5L, 6L, 7L), ids(again));
        assertEquals(first.subList(3, 7).stream().map(e -> e.position().text()).toList(), again.stream().map(e -> e.position().text()).toList(),
                "the same changes have the same positions (dedupe ids)");
    }

    @Test
    void aGtidStartReadsFromThere() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".gtid (id INT PRIMARY KEY)", "INSERT INTO " + db + ".gtid VALUES (1)");
        String[] start = master();
        MariaDb.exec("INSERT INTO " + db + ".gtid VALUES (2)", "INSERT INTO " + db + ".gtid VALUES (3)");
        running = Collector.run(source(cdcOf("source-it-gtid", "gtid", "{ gtidSet: \"" + start[2] + "\" }")), Optional.empty());
        await(running, 2);
        assertEquals(List.of(2L, 3L), ids(running.events()));
    }

    @Test
    void ddlIsAnEventAndTheNewShapeIsReadAfterIt() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".ddl (id INT PRIMARY KEY, a VARCHAR(5))");
        running = startCdc(cdcOf("source-it-ddl", "ddl", null));
        MariaDb.exec("INSERT INTO " + db + ".ddl VALUES (1, 'x')", "ALTER TABLE " + db + ".ddl ADD COLUMN b INT UNSIGNED DEFAULT 7",
                "INSERT INTO " + db + ".ddl VALUES (2, 'y', 4294967295)", "ALTER TABLE " + db + ".ddl DROP COLUMN a",
                "INSERT INTO " + db + ".ddl VALUES (3, 8)");
        await(running, 5);
        List<ChangeEvent> e = running.events();
        assertEquals(List.of(Op.INSERT, Op.DDL, Op.INSERT, Op.DDL, Op.INSERT), e.stream().map(ChangeEvent::op).toList());
        assertEquals("ALTER TABLE " + db + ".ddl ADD COLUMN b INT UNSIGNED DEFAULT 7", e.get(1).ddl());
        assertEquals(new TableId(db, "ddl"), e.get(1).table());
        assertEquals("{id=2, a=y, b=4294967295}", e.get(2).after().toString());
        assertEquals("{id=3, b=8}", e.get(4).after().toString());
    }

    @Test
    void eventsWrittenBeforeATableChangeStillDecodeAfterIt() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".late (id INT PRIMARY KEY, gone VARCHAR(5), kept INT UNSIGNED)");
        String[] start = master();
        MariaDb.exec("INSERT INTO " + db + ".late VALUES (1, 'old', 4294967295)",
                "ALTER TABLE " + db + ".late DROP COLUMN gone, ADD COLUMN added DATE",
                "INSERT INTO " + db + ".late VALUES (2, 5, '2024-01-02')");
        // the pipeline starts after the change: information_schema already shows the new shape
        running = Collector.run(source(cdcOf("source-it-late", "late", "{ binlogFile: " + start[0] + ", binlogPosition: " + start[1] + " }")),
                Optional.empty());
        await(running, 3);
        List<ChangeEvent> e = running.events();
        assertEquals("{id=1, gone=old, kept=4294967295}", e.get(0).after().toString(), "matched by the binlog's column names");
        assertEquals(Op.DDL, e.get(1).op());
        assertEquals("{id=2, kept=5, added=2024-01-02}", e.get(2).after().toString());
    }

    @Test
    void aPartialRowImageBecomesARowOfTheColumnsItHas() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".partial (id INT PRIMARY KEY, name VARCHAR(10), n INT UNSIGNED)");
        running = startCdc(cdcOf("source-it-partial", "partial", null));
        try (java.sql.Connection c = MariaDb.app(); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + db + ".partial VALUES (1, 'a', 4294967295)");
            st.execute("SET SESSION binlog_row_image = 'MINIMAL'");
            st.execute("UPDATE " + db + ".partial SET n = 4294967294 WHERE id = 1");
            st.execute("DELETE FROM " + db + ".partial WHERE id = 1");
        }
        await(running, 3);
        List<ChangeEvent> e = running.events();
        assertEquals("{id=1, name=a, n=4294967295}", e.get(0).after().toString(), "a full image: every column");
        assertEquals("{n=4294967294}", e.get(1).after().toString(), "a minimal image: the changed column, converted as its own");
        assertEquals("{id=1}", e.get(1).before().toString());
        assertEquals("{id=1}", e.get(2).before().toString());
    }

    @Test
    void changesOfUnselectedTablesAndIdleHeartbeatsMoveThePosition() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".quiet (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".busy (id INT PRIMARY KEY)");
        running = startCdc(cdcOf("source-it-idle", "quiet", null));
        MariaDb.exec("INSERT INTO " + db + ".busy VALUES (1)");
        String[] after = master();
        MariaDb.await(() -> running.advanced().stream().map(p -> (BinlogPosition) p)
                        .anyMatch(p -> p.file().equals(after[0]) && p.position() >= Long.parseLong(after[1])), Duration.ofSeconds(10),
                () -> "a boundary at or after " + after[0] + ":" + after[1] + ", have " + running.advanced());
        assertEquals(0, running.size(), "nothing emitted");
        BinlogPosition p = (BinlogPosition) running.advanced().get(running.advanced().size() - 1);
        assertEquals(0, p.rowInEvent());
    }

    @Test
    void aDroppedConnectionResumesWithoutLossOrDuplicates() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".drops (id INT PRIMARY KEY)");
        MySqlSource s = source(cdcOf("source-it-drop", "drops", null));
        running = Collector.run(s, Optional.empty());
        MariaDb.await(() -> s.binlogConnectionId() > 0, Duration.ofSeconds(10), () -> "a binlog connection");
        int n = 300;
        for (int i = 1; i <= n; i++) {
            MariaDb.exec("BEGIN", "INSERT INTO " + db + ".drops VALUES (" + (2 * i) + ")", "INSERT INTO " + db + ".drops VALUES (" + (2 * i + 1) + ")", "COMMIT");
            if (i % 100 == 50) {
                long id = s.binlogConnectionId();
                if (id > 0) {
                    MariaDb.exec("KILL " + id);
                }
            }
        }
        await(running, 2 * n);
        Thread.sleep(300);
        List<Object> got = ids(running.events());
        List<Object> expected = java.util.stream.IntStream.rangeClosed(2, 2 * n + 1).mapToObj(i -> (Object) (long) i).toList();
        assertEquals(expected, got);
    }

    @Test
    void theCommitTimestampIsWhenTheTransactionCommittedNotWhenItsStatementsRan() throws Exception {
        MariaDb.exec("CREATE TABLE " + db + ".slow (id INT PRIMARY KEY)");
        running = startCdc(cdcOf("source-it-commit-time", "slow", null));
        Instant committed;
        try (java.sql.Connection c = MariaDb.app(); java.sql.Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.execute("INSERT INTO " + db + ".slow VALUES (1)");
            Thread.sleep(2100);
            committed = Instant.now();
            st.execute("COMMIT");
        }
        await(running, 1);
        Instant ts = running.events().get(0).commitTimestamp();
        assertTrue(!ts.isBefore(committed.minusSeconds(1)), "commit timestamp " + ts + " is the commit's (" + committed + "), not the insert's");
    }
}
