package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.changepipe.event.TableId;
import io.changepipe.rules.TableSelector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Table shapes for the binlog: read from information_schema when a table is first mapped, dropped when a DDL
 * statement touches the table, and checked against every TABLE_MAP event on everything decoding depends on: column
 * count, binlog types, integer widths, BINARY lengths, TIME precision, and what the event's optional metadata carries
 * ({@link BinlogColumns}): names, signedness, charsets, ENUM/SET labels. An event written before a table change that
 * information_schema already shows (catching up after downtime) does not fit the current shape: with
 * {@code binlog_row_metadata=FULL} it is decoded from the event's own metadata (columns matched by name). Where the
 * event does not carry an attribute (MINIMAL), the shape is used only if it is provably the event's: no statement
 * changing the table lies between the event and where the binlog ended when the shape was read ({@link DdlLookahead});
 * otherwise the run fails rather than guess. Unselected tables are never read.
 */
final class SchemaCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SchemaCache.class);

    /** A TABLE_MAP table id bound to a table: unselected, or selected with the shape its row events have. */
    record Bound(TableId id, boolean selected, TableSchema schema) {
    }

    /**
     * A shape read from information_schema: {@code readAt} where the binlog ended right after the reading (no change
     * after it is in the shape), {@code provenFrom} the earliest event it is known right for.
     */
    private static final class Shape {
        final TableSchema schema;
        final BinlogPoint readAt;
        BinlogPoint provenFrom;

        Shape(TableSchema schema, BinlogPoint readAt) {
            this.schema = schema;
            this.readAt = readAt;
            this.provenFrom = readAt;
        }
    }

    private final String pipeline;
    private final Connections db;
    private final SchemaReader reader;
    private final TableSelector selector;
    private final Map<TableId, Shape> shapes = new HashMap<>();
    private final Map<Long, Bound> bound = new HashMap<>();
    private final DdlLookahead lookahead = new DdlLookahead();
    private Map<Integer, String> charsetOfCollation;
    private ServerInfo server;
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

    /** Binds a TABLE_MAP event's table id; the event starts at {@code position} of {@code file}. */
    Bound bind(TableMapEventData map, String file, long position) throws SQLException {
        TableId id = new TableId(map.getDatabase(), map.getTable());
        Bound b = bound.get(map.getTableId());
        if (b != null && b.id().equals(id)) {
            return b;
        }
        if (!selected(id)) {
            b = new Bound(id, false, null);
        } else {
            b = new Bound(id, true, shapeFor(id, map, new BinlogPoint(file, position, "")));
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

    private TableSchema shapeFor(TableId id, TableMapEventData map, BinlogPoint event) throws SQLException {
        BinlogColumns columns = BinlogColumns.of(map, this::charsetOf);
        Shape cached = shapes.get(id);
        if (cached != null && fits(id, cached, columns, event, false)) {
            return cached.schema;
        }
        shapes.remove(id);
        Shape now = read(id);
        if (now != null && fits(id, now, columns, event, true)) {
            return now.schema;
        }
        return adapted(id, now == null ? null : now.schema, columns, event);
    }

    /** Whether {@code s} is the shape the event was written with; an error when that cannot be known and may be false. */
    private boolean fits(TableId id, Shape s, BinlogColumns columns, BinlogPoint event, boolean fresh) throws SQLException {
        BinlogColumns.Fit fit = columns.fit(s.schema);
        if (fit.differs()) {
            return false;
        }
        if (fit.unknown().isEmpty() || !DdlLookahead.before(event, s.provenFrom)) {
            return true;
        }
        Optional<String> change = lookahead.firstChange(connection(), id, event, s.readAt);
        if (change.isEmpty()) {
            s.provenFrom = event;
            return true;
        }
        if (!fresh) {
            return false;
        }
        throw cannotTell(id, event, fit.unknown(), "the table was changed after the event was written (at " + change.get() + ")");
    }

    private IllegalStateException cannotTell(TableId id, BinlogPoint event, Set<String> unknown, String why) {
        return new IllegalStateException("pipeline " + pipeline + ": cannot tell how to decode the binlog event of " + id + " at "
                + event.text() + ": it does not carry the table's " + String.join(", ", unknown) + " (binlog_row_metadata is not"
                + " FULL) and " + why + ", so the table's current shape may not be the one it was written with. Set"
                + " binlog_row_metadata=FULL on the server (MySQL 8.0.1+, MariaDB 10.5+) so events carry them; for the events"
                + " written before, reload the table (delete the stored position and run with migrationType full-load-and-cdc)"
                + " or start from a position after the change");
    }

    /** A shape for events written before the table changed to what information_schema shows now, from the events' own metadata. */
    private TableSchema adapted(TableId id, TableSchema now, BinlogColumns columns, BinlogPoint event) {
        if (!columns.named()) {
            throw new IllegalStateException("pipeline " + pipeline + ": a binlog event of " + id + " at " + event.text() + " has "
                    + columns.size() + " columns but the table " + (now == null ? "no longer exists"
                    : now.size() == columns.size() ? "now has other ones" : "now has " + now.size())
                    + "; the table changed after the event was written and the binlog does not carry column names. Set"
                    + " binlog_row_metadata=FULL on the server (MySQL 8.0.1+, MariaDB 10.5+) so older events can be read,"
                    + " or start the pipeline from a position after the change");
        }
        List<ColumnDef> out = new ArrayList<>();
        List<String> fromBinlog = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            BinlogColumns.Column b = columns.column(i);
            ColumnDef match = now == null ? null
                    : now.columns().stream().filter(c -> c.name().equals(b.name())).findFirst().orElse(null);
            BinlogColumns.Fit fit = match == null ? null : BinlogColumns.fit(match, b);
            if (fit != null && !fit.differs() && fit.unknown().isEmpty()) {
                out.add(match);
                continue;
            }
            Set<String> missing = BinlogColumns.missing(b);
            if (!missing.isEmpty()) {
                throw cannotTell(id, event, missing, "column " + b.name() + " changed since");
            }
            out.add(BinlogTypes.generic(b));
            fromBinlog.add(b.name());
        }
        List<String> key = now == null ? List.of() : now.primaryKey().stream().filter(k -> out.stream().anyMatch(c -> c.name().equals(k))).toList();
        LOG.warnf("pipeline %s: binlog events of %s from %s were written before a change to the table; columns %s decoded as the"
                + " events describe them", pipeline, id, event.text(), fromBinlog);
        return TableSchema.of(id, out, key);
    }

    /** The table's shape now and where the binlog ended right after reading it; null when the table does not exist. */
    private Shape read(TableId id) throws SQLException {
        Connection c = connection();
        TableSchema s = reader.read(c, id).orElse(null);
        if (s == null) {
            return null;
        }
        if (server == null) {
            server = ServerInfo.inspect(c);
        }
        BinlogPoint at;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(server.statusStatement())) {
            at = rs.next() ? new BinlogPoint(rs.getString(1), rs.getLong(2), "") : null;
        }
        if (at == null) {
            throw new SQLException("the binlog is off (" + server.statusStatement() + " returns nothing)");
        }
        Shape shape = new Shape(s, at);
        shapes.put(id, shape);
        return shape;
    }

    /** The character set of a collation id (information_schema.COLLATIONS, read once); null when unknown. */
    private String charsetOf(int collation) {
        if (charsetOfCollation == null) {
            Map<Integer, String> m = new HashMap<>();
            try (Statement st = connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL")) {
                while (rs.next()) {
                    m.put(rs.getInt(1), rs.getString(2));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("pipeline " + pipeline + ": cannot read information_schema.COLLATIONS: " + e.getMessage(), e);
            }
            charsetOfCollation = m;
        }
        return charsetOfCollation.get(collation);
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
