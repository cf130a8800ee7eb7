package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AnnotateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.BinlogCheckpointEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidListEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.PreviousGtidSetDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XAPrepareEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The connector's event deserializer with exact cell decoding ({@link BinlogCells}) in the row events and CHAR/BINARY
 * kept as bytes (decoded later in the column's charset). The connector offers no hook for cells, so the three row
 * deserializers are subclassed and the defaults registered here as the connector registers them.
 *
 * <p>Compressed events are recognised, never decompressed, so {@link BinlogChanges} can stop at them: MySQL's
 * TRANSACTION_PAYLOAD (binlog_transaction_compression) arrives with no inner events, MariaDB's compressed events
 * (log_bin_compress), which the connector reads as UNKNOWN, keep their type number in {@link Header} and, for rows,
 * their table id ({@link CompressedRows}).
 */
final class BinlogDeserializer {

    private BinlogDeserializer() {
    }

    static EventDeserializer create() {
        Map<Long, TableMapEventData> tables = new HashMap<>();
        Map<EventType, EventDataDeserializer> d = new HashMap<>();
        d.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        d.put(EventType.ROTATE, new RotateEventDataDeserializer());
        d.put(EventType.QUERY, new QueryEventDataDeserializer());
        d.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        d.put(EventType.XID, new XidEventDataDeserializer());
        d.put(EventType.WRITE_ROWS, new Write(tables));
        d.put(EventType.UPDATE_ROWS, new Update(tables));
        d.put(EventType.DELETE_ROWS, new Delete(tables));
        d.put(EventType.EXT_WRITE_ROWS, new Write(tables).setMayContainExtraInformation(true));
        d.put(EventType.EXT_UPDATE_ROWS, new Update(tables).setMayContainExtraInformation(true));
        d.put(EventType.EXT_DELETE_ROWS, new Delete(tables).setMayContainExtraInformation(true));
        d.put(EventType.GTID, new GtidEventDataDeserializer());
        d.put(EventType.ANONYMOUS_GTID, new GtidEventDataDeserializer());
        d.put(EventType.PREVIOUS_GTIDS, new PreviousGtidSetDeserializer());
        d.put(EventType.XA_PREPARE, new XAPrepareEventDataDeserializer());
        d.put(EventType.ANNOTATE_ROWS, new AnnotateRowsEventDataDeserializer());
        d.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        d.put(EventType.BINLOG_CHECKPOINT, new BinlogCheckpointEventDataDeserializer());
        d.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
        d.put(EventType.TRANSACTION_PAYLOAD, in -> {
            TransactionPayloadEventData p = new TransactionPayloadEventData();
            p.setUncompressedEvents(new ArrayList<>()); // not decompressed: the connector would decode its rows without our cells
            return p;
        });
        HeaderReader headers = new HeaderReader();
        d.put(EventType.UNKNOWN, in -> compressedRows(headers.last) ? new CompressedRows(in.readLong(6)) : null);
        EventDeserializer deserializer = new EventDeserializer(headers, new NullEventDataDeserializer(), d, tables);
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return deserializer;
    }

    /** MariaDB's name of a compressed event type (log_bin_compress), or null for any other type number. */
    static String mariadbCompressed(int code) {
        return switch (code) {
            case 165 -> "Query_compressed";
            case 166 -> "Write_rows_compressed_v1";
            case 167 -> "Update_rows_compressed_v1";
            case 168 -> "Delete_rows_compressed_v1";
            case 169 -> "Write_rows_compressed";
            case 170 -> "Update_rows_compressed";
            case 171 -> "Delete_rows_compressed";
            default -> null;
        };
    }

    private static boolean compressedRows(int code) {
        return code >= 166 && code <= 171;
    }

    /** An event header that keeps the event's type number, which {@link EventType} has no value for on MariaDB's newer events. */
    static final class Header extends EventHeaderV4 {
        private final int code;

        Header(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** A MariaDB compressed rows event: its table id is plain, its rows are compressed and left unread. */
    record CompressedRows(long tableId) implements EventData {
    }

    /** The connector's EventHeaderV4Deserializer, keeping the type number (read on the connector's thread, one event at a time). */
    private static final class HeaderReader implements EventHeaderDeserializer<Header> {
        private int last;

        @Override
        public Header deserialize(ByteArrayInputStream in) throws IOException {
            long time = in.readLong(4) * 1000L;
            int code = in.readInteger(1);
            EventType type = EventType.byEventNumber(code);
            Header h = new Header(code);
            h.setTimestamp(time);
            h.setEventType(type == null ? EventType.UNKNOWN : type);
            h.setServerId(in.readLong(4));
            h.setEventLength(in.readLong(4));
            h.setNextPosition(in.readLong(4));
            h.setFlags(in.readInteger(2));
            last = code;
            return h;
        }
    }

    /** Exact cells first ({@link BinlogCells}), the connector's decoding for the rest: the one rule of all three row deserializers. */
    private static Serializable cell(ColumnType type, int meta, int length, ByteArrayInputStream in, CellReader connector) throws IOException {
        Serializable v = BinlogCells.decode(type, meta, in);
        return v == BinlogCells.NOT_MINE ? connector.read(type, meta, length, in) : v;
    }

    @FunctionalInterface
    private interface CellReader {
        Serializable read(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException;
    }

    private static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return cell(type, meta, length, in, super::deserializeCell);
        }
    }

    private static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return cell(type, meta, length, in, super::deserializeCell);
        }
    }

    private static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return cell(type, meta, length, in, super::deserializeCell);
        }
    }
}
