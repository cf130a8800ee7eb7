package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.PipelineDef;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.SourcePosition.BinlogPosition;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's log_bin_compress switched on while a pipeline runs: its compressed events stop the pipeline with what to
 * change, before them, instead of vanishing. The variable is global only, so each compressed write turns it on for the
 * few milliseconds of one statement on the shared server and always off again.
 */
class MySqlCompressionIT {

    static String db;
    Collector running;

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_compress");
        MariaDb.exec("CREATE TABLE " + db + ".docs (id INT PRIMARY KEY, body TEXT)", "CREATE TABLE " + db + ".other (id INT PRIMARY KEY, body TEXT)");
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

    /** One statement written with log_bin_compress on (rows over log_bin_compress_min_len, 256 bytes, are compressed). */
    static void compressed(String sql) throws Exception {
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            st.execute("SET GLOBAL log_bin_compress = ON");
            try {
                st.execute(sql);
            } finally {
                st.execute("SET GLOBAL log_bin_compress = OFF");
            }
        }
    }

    static String failure(Collector c) throws InterruptedException {
        MariaDb.await(c::finished, Duration.ofSeconds(30), () -> "the source fails; it emitted " + c.events());
        assertNotNull(c.failure(), "the source failed");
        return c.failure().getMessage();
    }

    @Test
    void aCompressedEventMidStreamStopsThePipelineBeforeIt() throws Exception {
        PipelineDef p = MariaDb.pipeline("compress-it", db, "cdc", "heartbeatInterval: 1s", """
                - rule-type: selection
                  rule-id: "1"
                  rule-name: docs
                  object-locator: { schema-name: %s, table-name: docs }
                  rule-action: include
                """.formatted(db));
        running = MySqlSourceIT.startCdc(p);
        MariaDb.exec("INSERT INTO " + db + ".docs VALUES (1, 'plain')");
        MySqlSourceIT.await(running, 1);
        compressed("INSERT INTO " + db + ".other VALUES (1, REPEAT('o', 2000))");
        compressed("INSERT INTO " + db + ".docs VALUES (2, REPEAT('x', 2000))");
        MariaDb.exec("INSERT INTO " + db + ".docs VALUES (3, 'after')");

        String error = failure(running);
        assertTrue(error.startsWith("pipeline compress-it: the binlog event at mariadb-bin."), error);
        assertTrue(error.contains(" is a Write_rows_compressed_v1 event of " + db + ".docs (MariaDB log_bin_compress), which"
                + " changepipe cannot read; the pipeline stops before it (its transaction starts at "), error);
        assertTrue(error.contains("). SET GLOBAL log_bin_compress = OFF (and in the server's configuration). Events written while"
                + " compression was on stay unreadable: reload the tables"), error);
        assertEquals(List.of(1L), MySqlSourceIT.ids(running.events()), "the compressed row of the unselected table is passed over,"
                + " nothing after the selected one is delivered");
        Matcher m = Pattern.compile("its transaction starts at (\\S+):(\\d+)\\)").matcher(error);
        assertTrue(m.find());
        BinlogPosition tx = new BinlogPosition(m.group(1), Long.parseLong(m.group(2)), 0, "");
        List<SourcePosition> positions = new ArrayList<>(running.advanced());
        running.events().forEach(e -> positions.add(e.position()));
        for (SourcePosition at : positions) {
            BinlogPosition b = (BinlogPosition) at;
            assertTrue(b.file().compareTo(tx.file()) < 0 || b.file().equals(tx.file()) && b.position() <= tx.position(),
                    at.text() + " is not past the compressed transaction at " + tx.file() + ":" + tx.position());
        }

        // restarting from what was delivered meets the same event again: nothing is skipped
        Optional<SourcePosition> last = running.last();
        running = Collector.run(MySqlSourceIT.source(p), last);
        String again = failure(running);
        assertEquals(error, again);
        assertEquals(List.of(), running.events());
    }
}
