package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.event.TableId;
import io.changepipe.dms.DmsPattern;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * What the source checks before it reads anything, each problem as an error naming the pipeline and what to fix:
 * credentials, the binlog settings CDC needs (on, ROW, FULL), the REPLICATION CLIENT and SLAVE privileges (before a
 * full load, not after it), and explicit table-mapping rules naming tables that do not exist.
 */
final class Preflight {

    private static final Logger LOG = Logger.getLogger(Preflight.class);

    private final String pipeline;
    private final Connections db;

    Preflight(String pipeline, Connections db) {
        this.pipeline = pipeline;
        this.db = db;
    }

    /** A connection; a server that does not answer is waited for (with backoff), rejected credentials are an error. */
    Connection connect(BooleanSupplier stopped, Duration firstBackoff, Duration maxBackoff) throws SQLException, InterruptedException {
        Duration backoff = firstBackoff;
        while (true) {
            try {
                return db.open();
            } catch (SQLException e) {
                if (e.getErrorCode() == 1045) {
                    throw new IllegalStateException("pipeline " + pipeline + ": the server rejected " + db.describe() + " ("
                            + e.getMessage() + "); check connection.user and connection.password (" + passwordRef() + ")", e);
                }
                if (e.getErrorCode() == 1049) {
                    throw new IllegalStateException("pipeline " + pipeline + ": connection.database '" + db.def().database()
                            + "' does not exist on " + db.describe() + "; fix connection.database or leave it out", e);
                }
                if (!BinlogReader.retryable(e) || stopped.getAsBoolean()) {
                    throw new IllegalStateException("pipeline " + pipeline + ": cannot connect as " + db.describe() + ": " + e.getMessage(), e);
                }
                LOG.warnf("pipeline %s: cannot reach %s (%s); retrying in %d ms", pipeline, db.describe(), e.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private String passwordRef() {
        return db.def().password() == null ? "no password set" : "the password comes from " + db.def().password().reference();
    }

    /** The settings a row-based binlog reader needs. */
    void checkBinlog(ServerInfo s) {
        String where = s.describe() + " at " + db.def().host() + ":" + db.def().port();
        if (!s.logBin()) {
            throw new IllegalStateException("pipeline " + pipeline + ": the binlog is off on " + where + "; CDC reads it: start the"
                    + " server with log_bin, binlog_format=ROW and binlog_row_image=FULL (RDS/Aurora: turn on automated backups"
                    + " and set binlog_format in the parameter group)");
        }
        if (!"ROW".equalsIgnoreCase(s.binlogFormat())) {
            throw new IllegalStateException("pipeline " + pipeline + ": binlog_format is " + s.binlogFormat() + " on " + where
                    + "; CDC needs row events: SET GLOBAL binlog_format = 'ROW' (and in the server's configuration or parameter"
                    + " group so it survives a restart)");
        }
        if (s.rowImage() != null && !"FULL".equalsIgnoreCase(s.rowImage())) {
            throw new IllegalStateException("pipeline " + pipeline + ": binlog_row_image is " + s.rowImage() + " on " + where
                    + "; CDC needs every column of every row, before and after: SET GLOBAL binlog_row_image = 'FULL'");
        }
        if (s.binlogCompression()) {
            String variable = s.mariadb() ? "log_bin_compress" : "binlog_transaction_compression";
            throw new IllegalStateException("pipeline " + pipeline + ": " + variable + " is ON on " + where + "; changepipe does not"
                    + " read compressed binlog events yet: SET GLOBAL " + variable + " = OFF (and in the server's configuration or"
                    + " parameter group)");
        }
        if (s.rowMetadata() != null && !"FULL".equalsIgnoreCase(s.rowMetadata())) {
            LOG.infof("pipeline %s: binlog_row_metadata is %s; with FULL, events written before a table change still decode"
                    + " after it", pipeline, s.rowMetadata());
        }
    }

    /** REPLICATION CLIENT (reading the binlog position) and REPLICATION SLAVE (reading the binlog), tried for real. */
    BinlogPoint checkReplication(Connection c, ServerInfo s, long serverId) throws SQLException {
        BinlogPoint at;
        try {
            at = BinlogPoint.current(c, s);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1227) {
                throw new IllegalStateException("pipeline " + pipeline + ": " + db.def().user() + " may not read the binlog position ("
                        + e.getMessage() + "); GRANT REPLICATION CLIENT ON *.* TO '" + db.def().user() + "'", e);
            }
            throw e;
        }
        BinaryLogClient probe = new BinaryLogClient(db.def().host(), db.def().port(), db.def().user(),
                db.def().password() == null ? "" : db.def().password().reveal());
        probe.setServerId(serverId);
        probe.setKeepAlive(false);
        probe.setBinlogFilename(at.file());
        probe.setBinlogPosition(at.position());
        probe.setConnectTimeout(10_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        probe.registerEventListener(e -> disconnect(probe));
        probe.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                failure.set(ex);
            }
        });
        try {
            probe.connect();
        } catch (IOException e) {
            failure.set(e);
        } finally {
            disconnect(probe);
        }
        if (failure.get() instanceof ServerException se && (se.getErrorCode() == 1227 || se.getErrorCode() == 1044)) {
            throw new IllegalStateException("pipeline " + pipeline + ": " + db.def().user() + " may not read the binlog ("
                    + se.getMessage() + "); GRANT REPLICATION SLAVE ON *.* TO '" + db.def().user() + "'");
        }
        return at;
    }

    private static void disconnect(BinaryLogClient c) {
        try {
            c.disconnect();
        } catch (IOException e) {
            // best effort
        }
    }

    /** An explicit rule naming a table that does not exist is an error; an exact include rule, a warning. */
    void checkNamedTables(List<TableMappingDef.Selection> rules, Set<TableId> existing) {
        for (TableMappingDef.Selection r : rules) {
            if (r.action() == TableMappingDef.SelectionAction.EXCLUDE) {
                continue;
            }
            DmsPattern schema = DmsPattern.compile(r.locator().schemaName());
            DmsPattern table = DmsPattern.compile(r.locator().tableName().orElse("%"));
            if (!schema.isLiteral() || !table.isLiteral()) {
                continue;
            }
            TableId named = new TableId(schema.literalName(), table.literalName());
            if (existing.contains(named)) {
                continue;
            }
            String close = existing.stream()
                    .min(Comparator.comparingInt(t -> io.changepipe.expr.EditDistance.between(t.toString(), named.toString())))
                    .filter(t -> io.changepipe.expr.EditDistance.between(t.toString(), named.toString()) <= Math.max(2, named.toString().length() / 5))
                    .map(t -> " (did you mean " + t + "?)").orElse("");
            String what = "table-mapping rule " + r.ruleId() + " (" + r.ruleName() + ") " + (r.action() == TableMappingDef.SelectionAction.EXPLICIT ? "explicitly selects " : "includes ") + named
                    + ", which does not exist on " + db.describe() + close;
            if (r.action() == TableMappingDef.SelectionAction.EXPLICIT) {
                throw new IllegalStateException("pipeline " + pipeline + ": " + what + "; fix the rule or create the table");
            }
            LOG.warnf("pipeline %s: %s; nothing to read from it until it is created", pipeline, what);
        }
    }
}
