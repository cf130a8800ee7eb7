package io.changepipe.source.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of server the source talks to and how its binlog is set up. MariaDB and MySQL differ in GTID format
 * ({@code 0-1-100} vs {@code uuid:1-100}), in the status statement ({@code SHOW BINARY LOG STATUS} from MySQL 8.2,
 * {@code SHOW MASTER STATUS} before and on MariaDB), and in JSON (binary on MySQL, LONGTEXT on MariaDB).
 * {@code binlogCompression}: MySQL's {@code binlog_transaction_compression} or MariaDB's {@code log_bin_compress} is on.
 */
record ServerInfo(String version, boolean mariadb, int major, int minor, boolean logBin, String binlogFormat,
        String rowImage, String rowMetadata, boolean gtidMode, boolean binlogCompression) {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    static ServerInfo inspect(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            String version;
            try (ResultSet rs = st.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            boolean mariadb = version.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            Matcher m = VERSION.matcher(version);
            int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
            int minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
            boolean logBin = on(variable(st, "log_bin"));
            String gtid = mariadb ? "ON" : variable(st, "gtid_mode");
            return new ServerInfo(version, mariadb, major, minor, logBin, variable(st, "binlog_format"),
                    variable(st, "binlog_row_image"), variable(st, "binlog_row_metadata"), gtid != null && gtid.startsWith("ON"),
                    on(variable(st, mariadb ? "log_bin_compress" : "binlog_transaction_compression")));
        }
    }

    private static boolean on(String value) {
        return "1".equals(value) || "ON".equalsIgnoreCase(value);
    }

    /** A global variable's value, or null when the server has no such variable. */
    private static String variable(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /** The statement that prints the current binlog file and position. */
    String statusStatement() {
        return !mariadb && (major > 8 || (major == 8 && minor >= 2)) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    String describe() {
        return (mariadb ? "MariaDB " : "MySQL ") + version;
    }
}
