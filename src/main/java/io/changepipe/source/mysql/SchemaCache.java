package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import io.changepipe.event.TableId;
import io.changepipe.rules.TableSelector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Table shapes for the binlog: read from information_schema when a table is first mapped, dropped when a DDL
 * statement touches the table, and checked against every TABLE_MAP event (column count, binlog types, and names when
 * {@code binlog_row_metadata=FULL}). An event written before a DDL that information_schema already shows (catching up
 * after downtime) no longer fits the current shape: with column names in the binlog, columns are matched by name and
 * columns gone since are decoded from their binlog type alone; without names, a count mismatch is an error.
 * Unselected tables are never read.
 */
final class SchemaCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SchemaCache.class);

    /** A TABLE_MAP table id bound to a table: unselected, or selected with the shape its row events have. */
    record Bound(TableId id, boolean selected, TableSchema schema) {
    }

    private final String pipeline;
    private final Connections db;
    private final SchemaReader reader;
    private final TableSelector selector;
    private final Map<TableId, TableSchema> shapes = new HashMap<>();
    private final Map<Long, Bound> bound = new HashMap<>();
    private Connection connection;

    SchemaCache(String pipeline, Connections db, SchemaReader reader, TableSelector selector) {
        this.pipeline = pipeline;
        this.db = db;
        this.reader = reader;
        this.selector = selector;
    }

    String pipeline() {
        return pipeline;
    }

    boolean selected(TableId table) {
        return selector.select(table, false).included();
    }

    /** Binds a TABLE_MAP event's table id. */
    Bound bind(TableMapEventData map) throws SQLException {
        TableId id = new TableId(map.getDatabase(), map.getTable());
        Bound b = bound.get(map.getTableId());
        if (b != null && b.id().equals(id)) {
            return b;
        }
        if (!selected(id)) {
            b = new Bound(id, false, null);
        } else {
            b = new Bound(id, true, shapeFor(id, map));
        }
        bound.put(map.getTableId(), b);
        return b;
    }

    /** The binding of a row event's table id (its TABLE_MAP came first in the same transaction). */
    Bound bound(long tableId) {
        Bound b = bound.get(tableId);
        if (b == null) {
            throw new IllegalStateException("row event for table id " + tableId + " without its TABLE_MAP event");
        }
        return b;
    }

    /** The current shape of a table (for DDL events and the full load); null when it does not exist. */
    TableSchema current(TableId id) throws SQLException {
        TableSchema s = shapes.get(id);
        if (s == null) {
            s = reader.read(connection(), id).orElse(null);
            if (s != null) {
                shapes.put(id, s);
            }
        }
        return s;
    }

    void invalidate(TableId id) {
        shapes.remove(id);
        bound.values().removeIf(b -> b.id().equals(id));
    }

    void invalidateDatabase(String database) {
        shapes.keySet().removeIf(t -> t.schema().equals(database));
        bound.values().removeIf(b -> b.id().schema().equals(database));
    }

    /** Forgets every table id binding (a new connection maps tables anew). */
    void forgetBindings() {
        bound.clear();
    }

    private TableSchema shapeFor(TableId id, TableMapEventData map) throws SQLException {
        TableSchema s = current(id);
        if (s != null && fits(s, map)) {
            return s;
        }
        shapes.remove(id);
        s = current(id);
        if (s != null && fits(s, map)) {
            return s;
        }
        return adapted(id, s, map);
    }

    private static List<String> binlogNames(TableMapEventData map) {
        TableMapEventMetadata m = map.getEventMetadata();
        List<String> names = m == null ? null : m.getColumnNames();
        return names == null || names.size() != map.getColumnTypes().length ? null : names;
    }

    private static boolean fits(TableSchema s, TableMapEventData map) {
        byte[] types = map.getColumnTypes();
        if (s.size() != types.length) {
            return false;
        }
        List<String> names = binlogNames(map);
        for (int i = 0; i < types.length; i++) {
            if (names != null && !names.get(i).equals(s.column(i).name())) {
                return false;
            }
            if (!BinlogTypes.fits(s.column(i), types[i] & 0xFF, map.getColumnMetadata()[i])) {
                return false;
            }
        }
        return true;
    }

    /** A shape for events written before the table changed to what information_schema shows now. */
    private TableSchema adapted(TableId id, TableSchema now, TableMapEventData map) {
        byte[] types = map.getColumnTypes();
        List<String> names = binlogNames(map);
        if (names == null && (now == null || now.size() != types.length)) {
            throw new IllegalStateException("pipeline " + pipeline + ": a binlog event of " + id + " has " + types.length
                    + " columns but the table " + (now == null ? "no longer exists" : "now has " + now.size())
                    + "; the table changed after the event was written and the binlog does not carry column names. Set"
                    + " binlog_row_metadata=FULL on the server (MySQL 8.0.1+, MariaDB 10.5+) so older events can be read,"
                    + " or start the pipeline from a position after the change");
        }
        List<ColumnDef> columns = new ArrayList<>();
        List<String> generic = new ArrayList<>();
        TableMapEventMetadata meta = map.getEventMetadata();
        int enums = 0;
        int sets = 0;
        for (int i = 0; i < types.length; i++) {
            String name = names != null ? names.get(i) : now.column(i).name();
            int type = types[i] & 0xFF;
            int m = map.getColumnMetadata()[i];
            ColumnDef match = now == null ? null
                    : now.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
            int real = BinlogTypes.realType(type, m);
            List<String> labels = List.of();
            if (real == ColumnType.ENUM.getCode() && meta != null && meta.getEnumStrValues() != null && enums < meta.getEnumStrValues().size()) {
                labels = List.of(meta.getEnumStrValues().get(enums++));
            } else if (real == ColumnType.SET.getCode() && meta != null && meta.getSetStrValues() != null && sets < meta.getSetStrValues().size()) {
                labels = List.of(meta.getSetStrValues().get(sets++));
            }
            if (match != null && BinlogTypes.fits(match, type, m)) {
                columns.add(match);
            } else {
                columns.add(BinlogTypes.generic(name, type, m, labels));
                generic.add(name);
            }
        }
        List<String> key = now == null ? List.of() : now.primaryKey().stream().filter(k -> columns.stream().anyMatch(c -> c.name().equals(k))).toList();
        LOG.warnf("pipeline %s: binlog events of %s were written before a change to the table; columns %s decoded from their"
                + " binlog types alone (integers signed, text as UTF-8)", pipeline, id, generic);
        return TableSchema.of(id, columns, key);
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            close();
            connection = db.open();
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // best effort
            }
            connection = null;
        }
    }
}
