package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.SourcePosition.BinlogPosition;
import io.changepipe.event.TableId;
import io.changepipe.source.ChangeEmitter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compressed binlog events stop the source with what to change instead of vanishing, and nothing is advanced past them.
 * MySQL's TRANSACTION_PAYLOAD cannot be written by the MariaDB the ITs use, so the events are built here byte by byte
 * (MariaDB's are also read from the real server in {@link MySqlCompressionIT}).
 */
class CompressedEventsTest {

    /** An event as the server sends it (no checksum): the 19-byte v4 header, then the body. */
    static Event event(int type, long position, byte[] body) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(19 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).put((byte) type).putInt(1).putInt(19 + body.length).putInt((int) position + 19 + body.length)
                .putShort((short) 0).put(body);
        return BinlogDeserializer.create().nextEvent(new ByteArrayInputStream(b.array()));
    }

    final List<Object> seen = new ArrayList<>();
    final BinlogChanges changes = new BinlogChanges(new SchemaCache("invoices", null, null, null), new Gtids(false, ""),
            new ChangeEmitter() {
                @Override
                public void emit(ChangeEvent event) {
                    seen.add(event);
                }

                @Override
                public void advance(SourcePosition position) {
                    seen.add(position);
                }

                @Override
                public void loadStarted(TableId table) {
                }

                @Override
                public void loadFinished(TableId table) {
                }
            }, new BinlogPosition("binlog.000007", 4, 0, ""));

    @Test
    void aMySqlTransactionPayloadStopsTheSource() throws Exception {
        Event payload = event(40, 1234, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String error = assertThrows(IllegalStateException.class, () -> changes.handle(payload)).getMessage();
        assertEquals("pipeline invoices: the binlog event at binlog.000007:1234 is a compressed transaction payload (MySQL"
                + " binlog_transaction_compression, set globally or by a writer's session), which changepipe cannot read; the"
                + " pipeline stops before it. SET GLOBAL binlog_transaction_compression = OFF (and in the server's configuration)."
                + " Events written while compression was on stay unreadable: reload the tables (delete the stored position and run"
                + " with migrationType full-load-and-cdc), or accept losing their changes and delete the stored position with start"
                + " set to the binlog position after them", error);
        assertEquals(List.of(), seen, "nothing emitted or advanced past it");
    }

    @Test
    void aMySqlPartialJsonUpdateStopsTheSourceInsteadOfVanishing() throws Exception {
        Event partial = event(39, 2000, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0});
        String error = assertThrows(IllegalStateException.class, () -> changes.handle(partial)).getMessage();
        assertEquals("pipeline invoices: the binlog event at binlog.000007:2000 is a partial JSON update (MySQL"
                + " binlog_row_value_options=PARTIAL_JSON, set globally or by a writer's session), which changepipe cannot read; the"
                + " pipeline stops before it. SET GLOBAL binlog_row_value_options = '' (and in the server's configuration)."
                + " Events written while partial JSON updates were on stay unreadable: reload the tables (delete the stored position"
                + " and run with migrationType full-load-and-cdc), or accept losing their changes and delete the stored position"
                + " with start set to the binlog position after them", error);
        assertEquals(List.of(), seen, "nothing emitted or advanced past it");
    }

    @Test
    void aMariaDbCompressedStatementStopsTheSource() throws Exception {
        Event query = event(165, 2000, new byte[40]);
        String error = assertThrows(IllegalStateException.class, () -> changes.handle(query)).getMessage();
        assertEquals("pipeline invoices: the binlog event at binlog.000007:2000 is a Query_compressed event (MariaDB"
                + " log_bin_compress), which changepipe cannot read; the pipeline stops before it. SET GLOBAL log_bin_compress = OFF"
                + " (and in the server's configuration). Events written while compression was on stay unreadable: reload the"
                + " tables (delete the stored position and run with migrationType full-load-and-cdc), or accept losing their"
                + " changes and delete the stored position with start set to the binlog position after them", error);
        assertEquals(List.of(), seen);
    }
}
