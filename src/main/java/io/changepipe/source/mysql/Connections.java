package io.changepipe.source.mysql;

import io.changepipe.definition.JdbcConnectionDef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * JDBC connections to the source (Connector/J; MariaDB servers speak the same protocol), set up so full-load values
 * equal binlog values: see {@link JdbcValues}.
 */
final class Connections {

    private final JdbcConnectionDef def;

    Connections(JdbcConnectionDef def) {
        this.def = def;
    }

    Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", def.user());
        p.setProperty("password", def.password() == null ? "" : def.password().reveal());
        p.setProperty("connectTimeout", "10000");
        p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        p.setProperty("tinyInt1isBit", "false");
        p.setProperty("transformedBitIsBoolean", "false");
        p.setProperty("yearIsDateType", "false");
        p.setProperty("useServerPrepStmts", "true");
        p.setProperty("characterEncoding", "UTF-8");
        // a stalled sink can keep a streamed result unread for a long time: let the server wait for us
        p.setProperty("netTimeoutForStreamingResults", "86400");
        String db = def.database() == null ? "" : def.database();
        Connection c = DriverManager.getConnection("jdbc:mysql://" + def.host() + ":" + def.port() + "/" + db, p);
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    /** {@code user@host:port}, for messages. */
    String describe() {
        return def.user() + "@" + def.host() + ":" + def.port();
    }

    JdbcConnectionDef def() {
        return def;
    }
}
