package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.changepipe.definition.JdbcConnectionDef;
import io.changepipe.definition.Secret;
import org.junit.jupiter.api.Test;

/**
 * Binlog settings a CDC pipeline cannot work with, each an error naming the pipeline and the fix. (Against the shared
 * MariaDB these cannot be provoked: SET GLOBAL binlog_format would break every other pipeline reading it.)
 */
class PreflightTest {

    static final Preflight CHECK = new Preflight("invoices",
            new Connections(new JdbcConnectionDef("db.example", 3306, "cdc", new Secret("x", "${env:CDC_DB_PASSWORD}"), null)));

    static ServerInfo server(boolean logBin, String format, String image, boolean compression) {
        return new ServerInfo("8.0.36", false, 8, 0, logBin, format, image, "MINIMAL", false, compression);
    }

    static String error(ServerInfo s) {
        return assertThrows(IllegalStateException.class, () -> CHECK.checkBinlog(s)).getMessage();
    }

    @Test
    void statementFormatIsAnErrorThatSaysToSwitchToRow() {
        assertEquals("pipeline invoices: binlog_format is STATEMENT on MySQL 8.0.36 at db.example:3306; CDC needs row events:"
                + " SET GLOBAL binlog_format = 'ROW' (and in the server's configuration or parameter group so it survives a restart)",
                error(server(true, "STATEMENT", "FULL", false)));
        assertEquals("pipeline invoices: binlog_format is MIXED on MySQL 8.0.36 at db.example:3306; CDC needs row events:"
                + " SET GLOBAL binlog_format = 'ROW' (and in the server's configuration or parameter group so it survives a restart)",
                error(server(true, "MIXED", "FULL", false)));
    }

    @Test
    void otherSettingsCdcNeeds() {
        assertEquals("pipeline invoices: the binlog is off on MySQL 8.0.36 at db.example:3306; CDC reads it: start the server with"
                + " log_bin, binlog_format=ROW and binlog_row_image=FULL (RDS/Aurora: turn on automated backups and set"
                + " binlog_format in the parameter group)", error(server(false, "ROW", "FULL", false)));
        assertEquals("pipeline invoices: binlog_row_image is MINIMAL on MySQL 8.0.36 at db.example:3306; CDC needs every column"
                + " of every row, before and after: SET GLOBAL binlog_row_image = 'FULL'", error(server(true, "ROW", "MINIMAL", false)));
        assertEquals("pipeline invoices: binlog_transaction_compression is ON on MySQL 8.0.36 at db.example:3306; changepipe does"
                + " not read compressed binlog events yet: SET GLOBAL binlog_transaction_compression = OFF (and in the server's"
                + " configuration or parameter group)", error(server(true, "ROW", "FULL", true)));
        CHECK.checkBinlog(server(true, "ROW", "FULL", false));
    }

    @Test
    void mariadbBinlogCompressionIsAnError() {
        assertEquals("pipeline invoices: log_bin_compress is ON on MariaDB 10.11.6-MariaDB at db.example:3306; changepipe does"
                + " not read compressed binlog events yet: SET GLOBAL log_bin_compress = OFF (and in the server's configuration or"
                + " parameter group)", error(new ServerInfo("10.11.6-MariaDB", true, 10, 11, true, "ROW", "FULL", "FULL", true, true)));
    }

    @Test
    void mysql84UsesTheNewStatusStatement() {
        assertEquals("SHOW BINARY LOG STATUS", new ServerInfo("8.4.0", false, 8, 4, true, "ROW", "FULL", "FULL", true, false).statusStatement());
        assertEquals("SHOW MASTER STATUS", new ServerInfo("8.0.36", false, 8, 0, true, "ROW", "FULL", "FULL", true, false).statusStatement());
        assertEquals("SHOW MASTER STATUS", new ServerInfo("10.11.6-MariaDB", true, 10, 11, true, "ROW", "FULL", "FULL", true, false).statusStatement());
    }
}
