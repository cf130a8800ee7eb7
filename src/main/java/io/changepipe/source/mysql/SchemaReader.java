package io.changepipe.source.mysql;

import io.changepipe.event.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads tables and their columns from information_schema. */
final class SchemaReader {

    /** A table or view of the source with the row count information_schema estimates. */
    record Listed(TableId id, boolean view, long estimatedRows) {
    }

    private static final String SYSTEM_SCHEMAS = "('mysql','information_schema','performance_schema','sys')";

    private final boolean mysqlJson;

    SchemaReader(boolean mysqlJson) {
        this.mysqlJson = mysqlJson;
    }

    /** Every user table and view, system schemas left out. */
    static List<Listed> list(Connection c) throws SQLException {
        List<Listed> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA NOT IN " + SYSTEM_SCHEMAS + " ORDER BY TABLE_SCHEMA, TABLE_NAME");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Listed(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3).contains("VIEW"), rs.getLong(4)));
            }
        }
        return out;
    }

    /** The table's shape now, or empty when it does not exist. */
    Optional<TableSchema> read(Connection c, TableId table) throws SQLException {
        List<ColumnDef> columns = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                + " CHARACTER_OCTET_LENGTH, DATETIME_PRECISION FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            st.setString(1, table.schema());
            st.setString(2, table.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(ColumnDef.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getInt(6), mysqlJson));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            st.setString(1, table.schema());
            st.setString(2, table.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return Optional.of(TableSchema.of(table, columns, key));
    }
}
