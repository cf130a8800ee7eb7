package io.changepipe.definition;

import java.time.Duration;
import java.util.Set;

/** Where changes come from. A new source kind is a compile error everywhere one must be handled. */
public sealed interface SourceDef permits SourceDef.MySql, SourceDef.SqlServer, SourceDef.S3Csv {

    MigrationType migrationType();

    /** The {@code type} a pipeline file names this source kind by. */
    String type();

    /** MySQL or MariaDB, read as a replica from the row-based binlog. */
    record MySql(JdbcConnectionDef connection, MigrationType migrationType, StartPosition start, long serverId,
            Duration heartbeatInterval, int parallelLoad) implements SourceDef {
        @Override
        public String type() {
            return "mysql";
        }

    }

    /** SQL Server change tables (MS-CDC), polled by LSN. */
    record SqlServer(JdbcConnectionDef connection, MigrationType migrationType, StartPosition start,
            Duration pollInterval, int parallelLoad) implements SourceDef {
        @Override
        public String type() {
            return "sqlserver";
        }

    }

    /** CSV files in the DMS S3-source layout: {@code folder/schema/table/LOAD001.csv} and change files under {@code cdcPath}. */
    record S3Csv(String bucket, String bucketFolder, String cdcPath, String tableDefinitionFile, String csvDelimiter,
            int ignoreHeaderRows, MigrationType migrationType, Duration pollInterval) implements SourceDef {
        @Override
        public String type() {
            return "s3-csv";
        }

    }

    /** The start positions each source kind understands. */
    static Set<Class<? extends StartPosition>> startKinds(Class<? extends SourceDef> kind) {
        if (kind == MySql.class) {
            return Set.of(StartPosition.Current.class, StartPosition.Earliest.class, StartPosition.BinlogFile.class,
                    StartPosition.GtidSet.class);
        }
        if (kind == SqlServer.class) {
            return Set.of(StartPosition.Current.class, StartPosition.Earliest.class, StartPosition.Lsn.class);
        }
        return Set.of(StartPosition.Current.class, StartPosition.Earliest.class);
    }
}
