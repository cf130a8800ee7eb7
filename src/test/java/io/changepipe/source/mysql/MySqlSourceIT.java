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
        BinlogPosition marker = (BinlogPosition) running.advanced().get(0);
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
        assertTrue(e.get(2).transactionId().matches("\\d+-\\d+-\\d+"), "MariaDB GTID as the transaction id: " + e.get(2).transactionId());
        assertEquals(e.get(2).transactionId(), e.get(3).prevTransactionId());
        assertNull(e.get(2).ddl());
        assertTrue(Duration.between(e.get(2).commitTimestamp(), Instant.now()).abs().getSeconds() < 30);
        assertTrue(p2.compareTo(marker) > 0, "CDC continues after the snapshot point");
    }
}
