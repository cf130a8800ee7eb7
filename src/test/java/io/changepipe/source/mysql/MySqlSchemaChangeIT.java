package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.PipelineDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events written before a table change, read after it (catching up): decoded with the labels, charset and signedness
 * they were written with, or, when the binlog does not say (binlog_row_metadata=MINIMAL), an error instead of a guess.
 * binlog_row_metadata is global only: the MINIMAL writes switch it for one statement on the shared server and back.
 */
class MySqlSchemaChangeIT {

    static String db;
    Collector running;

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_schema");
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

    static PipelineDef pipeline(String name, String table, String[] start) {
        return MariaDb.pipeline(name, db, "cdc", "heartbeatInterval: 1s\n" + (start == null ? ""
                : "start: { binlogFile: " + start[0] + ", binlogPosition: " + start[1] + " }"), """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: only
                  object-locator: { schema-name: %s, table-name: %s }
                  rule-action: include
                """.formatted(db, table));
    }

    /** Statements written with binlog_row_metadata=MINIMAL (table maps without names and labels), the setting restored after. */
    static void minimal(String... statements) throws Exception {
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            String before;
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.binlog_row_metadata")) {
                rs.next();
                before = rs.getString(1);
            }
            st.execute("SET GLOBAL binlog_row_metadata = 'MINIMAL'");
            try {
                for (String s : statements) {
                    st.execute(s);
                }
            } finally {
                st.execute("SET GLOBAL binlog_row_metadata = '" + before + "'");
            }
        }
    }

    @Test
    void olderEventsDecodeWithTheLabelsCharsetAndSignednessTheyWereWrittenWith() throws Exception {
        String t = db + ".orders";
        MariaDb.exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, status ENUM('new','paid'), name VARCHAR(10) CHARACTER SET latin1, n TINYINT)");
        String[] start = MySqlSourceIT.master();
        MariaDb.exec("INSERT INTO " + t + " VALUES (1, 'paid', 'café', -1)");
        MariaDb.exec("SET SESSION sql_mode = ''", "ALTER TABLE " + t + " MODIFY status ENUM('draft','new','paid'),"
                + " MODIFY name VARCHAR(10) CHARACTER SET utf8mb4, MODIFY n TINYINT UNSIGNED");
        MariaDb.exec("INSERT INTO " + t + " VALUES (2, 'paid', 'café', 255)");
        // the pipeline starts after the change: information_schema already shows the new labels, charset and signedness
        running = Collector.run(MySqlSourceIT.source(pipeline("schema-it-full", "orders", start)), Optional.empty());
        MySqlSourceIT.await(running, 3);
        List<ChangeEvent> e = running.events();
        assertEquals(List.of(Op.INSERT, Op.DDL, Op.INSERT), e.stream().map(ChangeEvent::op).toList());
        assertEquals("{id=1, status=paid, name=café, n=-1}", e.get(0).after().toString(), "as written, before the change");
        assertEquals("{id=2, status=paid, name=café, n=255}", e.get(2).after().toString());
    }

    @Test
    void withoutMetadataAnEventWrittenBeforeATableChangeIsAnErrorNotAGuess() throws Exception {
        String t = db + ".invoices";
        MariaDb.exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, status ENUM('new','paid'))");
        String[] start = MySqlSourceIT.master();
        minimal("INSERT INTO " + t + " VALUES (1, 'paid')");
        MariaDb.exec("ALTER TABLE " + t + " MODIFY status ENUM('draft','new','paid')");
        running = Collector.run(MySqlSourceIT.source(pipeline("schema-it-minimal", "invoices", start)), Optional.empty());
        MariaDb.await(running::finished, Duration.ofSeconds(30), () -> "the source fails; it emitted " + running.events());
        assertNotNull(running.failure(), "the source failed");
        String error = running.failure().getMessage();
        assertTrue(error.startsWith("pipeline schema-it-minimal: cannot tell how to decode the binlog event of " + t + " at "
                + start[0]), error);
        assertTrue(error.contains("(binlog_row_metadata is not FULL) and the table was changed after the event was written (at "), error);
        assertTrue(error.contains(": ALTER TABLE " + t + " MODIFY status ENUM('draft','new','paid')), so the table's current shape"
                + " may not be the one it was written with. Set binlog_row_metadata=FULL on the server"), error);
        assertTrue(error.contains("column names") && error.contains("ENUM/SET labels"), error);
        assertEquals(List.of(), running.events(), "nothing decoded with guessed labels");
    }

    @Test
    void withoutMetadataEventsWithNoTableChangeAfterThemDecode() throws Exception {
        String t = db + ".plain";
        MariaDb.exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, status ENUM('new','paid'), name VARCHAR(10))");
        String[] start = MySqlSourceIT.master();
        minimal("INSERT INTO " + t + " VALUES (1, 'paid', 'a')");
        running = Collector.run(MySqlSourceIT.source(pipeline("schema-it-normal", "plain", start)), Optional.empty());
        MySqlSourceIT.await(running, 1);
        // a change, then more events without metadata while the pipeline reads near the binlog's end
        MariaDb.exec("ALTER TABLE " + t + " ADD COLUMN n INT UNSIGNED");
        minimal("INSERT INTO " + t + " VALUES (2, 'new', 'b', 4294967295)");
        MySqlSourceIT.await(running, 3);
        List<ChangeEvent> e = running.events();
        assertEquals("{id=1, status=paid, name=a}", e.get(0).after().toString());
        assertEquals(Op.DDL, e.get(1).op());
        assertEquals("{id=2, status=new, name=b, n=4294967295}", e.get(2).after().toString());
    }
}
