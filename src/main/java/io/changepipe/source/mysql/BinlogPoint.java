package io.changepipe.source.mysql;

import io.changepipe.event.SourcePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A transaction boundary in the binlog: file, offset and the GTID set executed up to it (empty when unknown). */
record BinlogPoint(String file, long position, String gtidSet) {

    /** The position that means "nothing of what starts here has been delivered". */
    SourcePosition.BinlogPosition toPosition() {
        return new SourcePosition.BinlogPosition(file, position, 0, gtidSet);
    }

    String text() {
        return file + ":" + position;
    }

    /** Where the binlog ends now. */
    static BinlogPoint current(Connection c, ServerInfo server) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(server.statusStatement())) {
            if (!rs.next()) {
                throw new SQLException("the binlog is off (" + server.statusStatement() + " returns nothing)");
            }
            String file = rs.getString(1);
            long pos = rs.getLong(2);
            String gtid = server.mariadb() ? gtidAt(c, file, pos) : executedGtids(rs);
            return new BinlogPoint(file, pos, gtid);
        }
    }

    /** The oldest binlog file the server still has, at its first event. */
    static BinlogPoint earliest(Connection c, ServerInfo server) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            if (!rs.next()) {
                throw new SQLException("the binlog is off (SHOW BINARY LOGS returns nothing)");
            }
            String file = rs.getString(1);
            return new BinlogPoint(file, 4, server.mariadb() ? gtidAt(c, file, 4) : "");
        }
    }

    /** MariaDB: the GTID position at a binlog offset; empty when the server cannot tell. */
    static String gtidAt(Connection c, String file, long pos) {
        try (PreparedStatement st = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            st.setString(1, file);
            st.setLong(2, pos);
            try (ResultSet rs = st.executeQuery()) {
                String g = rs.next() ? rs.getString(1) : null;
                return g == null ? "" : g;
            }
        } catch (SQLException e) {
            return "";
        }
    }

    private static String executedGtids(ResultSet rs) throws SQLException {
        if (rs.getMetaData().getColumnCount() < 5) {
            return "";
        }
        String g = rs.getString(5);
        return g == null ? "" : g.replace("\n", "");
    }
}
