package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AnnotateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.BinlogCheckpointEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
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
import java.util.HashMap;
import java.util.Map;

/**
 * The connector's event deserializer with exact cell decoding ({@link BinlogCells}) in the row events and CHAR/BINARY
 * kept as bytes (decoded later in the column's charset). The connector offers no hook for cells, so the three row
 * deserializers are subclassed and the defaults registered here as the connector registers them.
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
        EventDeserializer deserializer = new EventDeserializer(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), d, tables);
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return deserializer;
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
