package io.changepipe.source.mysql;

import io.changepipe.event.TableId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code n} connections, each in a {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}, all seeing the database as of
 * one binlog point, so CDC continues from exactly there. Separate connections only share a point if nothing commits
 * between their snapshots, so:
 * <ol>
 * <li>MariaDB, no lock: each snapshot reports its own point ({@code binlog_snapshot_file/position}); when all agree
 * (always with one connection, usually on a quiet server) that is the point.
 * <li>Otherwise a short global read lock ({@code FLUSH TABLES WITH READ LOCK}, RELOAD privilege) while the snapshots
 * start and the status statement reads the point, then {@code UNLOCK TABLES}: writes wait for milliseconds.
 * <li>Where the global lock is denied (RDS, Aurora), {@code LOCK TABLES ... READ} on the selected tables instead
 * (LOCK TABLES privilege): only those tables' writers wait.
 * </ol>
 * Without a binlog (full load only) the snapshots start without a lock and there is no point.
 */
final class ConsistentSnapshot implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsistentSnapshot.class);

    private final List<Connection> connections;
    private final BinlogPoint point;
    private final String method;

    private ConsistentSnapshot(List<Connection> connections, BinlogPoint point, String method) {
        this.connections = connections;
        this.point = point;
        this.method = method;
    }

    List<Connection> connections() {
        return connections;
    }

    /** The binlog point every connection sees, or null when the binlog is off. */
    BinlogPoint point() {
        return point;
    }

    String method() {
        return method;
    }

    static ConsistentSnapshot open(Connections db, ServerInfo server, int n, List<TableId> tables, int lockWaitSeconds)
            throws SQLException {
        if (!server.logBin()) {
            return new ConsistentSnapshot(start(db, n), null, "snapshots without a binlog point (binlog off)");
        }
        if (tables.isEmpty()) {
            try (Connection c = db.open()) {
                return new ConsistentSnapshot(start(db, n), BinlogPoint.current(c, server), "no lock (no table to load)");
            }
        }
        if (server.mariadb()) {
            List<Connection> cs = start(db, n);
            List<BinlogPoint> points = new ArrayList<>();
            for (Connection c : cs) {
                points.add(mariadbSnapshotPoint(c));
            }
            if (points.stream().distinct().count() == 1) {
                BinlogPoint p = points.get(0);
                return new ConsistentSnapshot(cs, new BinlogPoint(p.file(), p.position(), BinlogPoint.gtidAt(cs.get(0), p.file(), p.position())),
                        "MariaDB consistent snapshot, no lock");
            }
            closeAll(cs);
            LOG.debugf("snapshots started at different points %s: taking a read lock", points);
        }
        try (Connection lock = db.open(); Statement st = lock.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = " + lockWaitSeconds);
            String method;
            try {
                st.execute("FLUSH TABLES WITH READ LOCK");
                method = "global read lock (FLUSH TABLES WITH READ LOCK)";
            } catch (SQLException e) {
                if (e.getErrorCode() != 1227 && e.getErrorCode() != 1045 && e.getErrorCode() != 1044) {
                    throw lockError(e, "FLUSH TABLES WITH READ LOCK", lockWaitSeconds);
                }
                String list = tables.stream().map(t -> Sql.quote(t) + " READ").collect(Collectors.joining(", "));
                try {
                    st.execute("LOCK TABLES " + list);
                } catch (SQLException e2) {
                    throw lockError(e2, "LOCK TABLES", lockWaitSeconds);
                }
                method = "table read locks (LOCK TABLES; the global read lock was denied: " + e.getMessage() + ")";
            }
            try {
                List<Connection> cs = start(db, n);
                BinlogPoint p = BinlogPoint.current(lock, server);
                return new ConsistentSnapshot(cs, p, method);
            } finally {
                st.execute("UNLOCK TABLES");
            }
        }
    }

    private static SQLException lockError(SQLException e, String statement, int seconds) {
        return new SQLException(statement + " failed (" + e.getMessage() + "). A long-running query or transaction may hold"
                + " the tables (the lock waits up to " + seconds + "s); let it finish and restart the pipeline, or grant RELOAD"
                + " (global lock) or LOCK TABLES", e.getSQLState(), e.getErrorCode(), e);
    }

    private static List<Connection> start(Connections db, int n) throws SQLException {
        List<Connection> cs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = db.open();
                cs.add(c);
                try (Statement st = c.createStatement()) {
                    st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                }
            }
            return cs;
        } catch (SQLException e) {
            closeAll(cs);
            throw e;
        }
    }

    private static BinlogPoint mariadbSnapshotPoint(Connection c) throws SQLException {
        String file = null;
        long pos = -1;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                    file = rs.getString(2);
                } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                    pos = Long.parseLong(rs.getString(2));
                }
            }
        }
        return new BinlogPoint(file, pos, "");
    }

    private static void closeAll(List<Connection> cs) {
        for (Connection c : cs) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing is best effort
            }
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT");
            } catch (SQLException e) {
                // the connection may already be closed by stop()
            }
        }
        closeAll(connections);
    }
}
