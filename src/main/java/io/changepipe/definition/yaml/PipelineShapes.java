package io.changepipe.definition.yaml;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.JdbcConnectionDef;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.definition.MigrationType;
import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.definition.Secret;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.definition.StartPosition;
import io.changepipe.definition.TableMappingDef;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Every key of a pipeline file, declared once; the parser and the JSON Schema both come from here. */
final class PipelineShapes {

    private PipelineShapes() {
    }

    static final String API_VERSION_V1 = "changepipe.io/v1";
    static final String NAME_RULE = "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    static final String NAME_REGEX = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    // ---- source
    static final Key<String> HOST = Key.required("host", Types.text(), "Database host");
    static final Key<Integer> MYSQL_PORT = Key.optional("port", Types.integer(1, 65535), 3306, "Database port");
    static final Key<Integer> MSSQL_PORT = Key.optional("port", Types.integer(1, 65535), 1433, "Database port");
    static final Key<String> USER = Key.required("user", Types.text(), "User name");
    static final Key<Secret> PASSWORD = Key.required("password", Types.secret(), "A ${env:NAME} or ${file:/path} reference");
    static final Key<String> DATABASE = Key.optional("database", Types.text(), "Database to connect to");

    static Shape<JdbcConnectionDef> connection(String id, Key<Integer> port) {
        return new Shape<>(id, "How to reach the database", List.of(HOST, port, USER, PASSWORD, DATABASE),
                v -> new JdbcConnectionDef(v.get(HOST), v.get(port), v.get(USER), v.get(PASSWORD), v.get(DATABASE)));
    }

    static final Key<MigrationType> MIGRATION_TYPE = Key.required("migrationType", Types.choice(MigrationType.class),
            "full-load, cdc or full-load-and-cdc");
    static final ValueType<StartPosition> NAMED_START = Types.scalar("current or earliest", t -> switch (t) {
        case "current" -> new StartPosition.Current();
        case "earliest" -> new StartPosition.Earliest();
        default -> throw new IllegalArgumentException(Suggest.distance(t, "current") <= 2 || Suggest.distance(t, "earliest") <= 2
                ? Suggest.allowed(t, List.of("current", "earliest"), "")
                : "must be current, earliest, {binlogFile, binlogPosition}, {gtidSet} or {lsn}");
    }, Map.of("type", "string", "enum", List.of("current", "earliest")));
    static final Key<String> POSITION = Key.optional("position", Types.text("current|earliest", "current or earliest"), "current or earliest");
    static final Key<String> BINLOG_FILE = Key.optional("binlogFile", Types.text("[A-Za-z0-9._-]+\\.[0-9]+", "a binlog file name like mysql-bin.000042"), "Binlog file");
    static final Key<Long> BINLOG_POSITION = Key.optional("binlogPosition", Types.longInteger(4, Long.MAX_VALUE), "Byte offset in the binlog file");
    static final Key<String> GTID_SET = Key.optional("gtidSet", Types.text(), "GTID set: MySQL uuid:1-100 or MariaDB 0-1-100");
    static final Key<String> LSN = Key.optional("lsn", Types.text("0x[0-9A-Fa-f]{20}", "a 10-byte LSN in hex like 0x0000002A000001F80003"), "SQL Server LSN");
    static final Shape<StartPosition> START_OBJECT = new Shape<>("startPosition",
            "Where CDC starts when no position is stored: {position}, {binlogFile, binlogPosition}, {gtidSet} or {lsn}",
            List.of(POSITION, BINLOG_FILE, BINLOG_POSITION, GTID_SET, LSN), PipelineShapes::start)
            .check(v -> {
                int forms = (v.isWritten(POSITION) ? 1 : 0) + (v.isWritten(BINLOG_FILE) || v.isWritten(BINLOG_POSITION) ? 1 : 0)
                        + (v.isWritten(GTID_SET) ? 1 : 0) + (v.isWritten(LSN) ? 1 : 0);
                if (forms != 1) {
                    v.problem("must have exactly one of: position, binlogFile with binlogPosition, gtidSet, lsn");
                } else if (v.isWritten(BINLOG_FILE) != v.isWritten(BINLOG_POSITION)) {
                    v.problem("binlogFile and binlogPosition go together");
                }
            });
    static final Key<StartPosition> START = Key.optional("start", Types.scalarOrObject(NAMED_START, START_OBJECT),
            new StartPosition.Current(), "Where CDC starts when no position is stored (cdc only)");
    static final Key<Long> SERVER_ID = Key.optional("serverId", Types.longInteger(0, 4294967295L), 0L,
            "Replica server id; 0 derives one from the pipeline name");
    static final Key<Duration> HEARTBEAT = Key.optional("heartbeatInterval", Types.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            Duration.ofSeconds(10), "How often the stored position advances on an idle source");
    static final Key<Integer> PARALLEL_LOAD = Key.optional("parallelLoad", Types.integer(1, 32), 2, "Tables loaded at once in full load");
    static final Key<Duration> POLL_INTERVAL = Key.optional("pollInterval", Types.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            Duration.ofSeconds(1), "How often change tables are read");
    static final Key<String> TYPE_MYSQL = Key.required("type", Types.constant("mysql"), "mysql (MySQL or MariaDB)");
    static final Key<String> TYPE_SQLSERVER = Key.required("type", Types.constant("sqlserver"), "sqlserver");
    static final Key<String> TYPE_S3CSV = Key.required("type", Types.constant("s3-csv"), "s3-csv");
    static final Key<JdbcConnectionDef> MYSQL_CONNECTION = Key.required("connection", connection("mysqlConnection", MYSQL_PORT), "How to reach MySQL");
    static final Key<JdbcConnectionDef> MSSQL_CONNECTION = Key.required("connection", connection("sqlServerConnection", MSSQL_PORT), "How to reach SQL Server");

    static final Shape<SourceDef.MySql> MYSQL = new Shape<>("mysqlSource", "MySQL or MariaDB binlog (binlog_format=ROW)",
            List.of(TYPE_MYSQL, MYSQL_CONNECTION, MIGRATION_TYPE, START, SERVER_ID, HEARTBEAT, PARALLEL_LOAD),
            v -> new SourceDef.MySql(v.get(MYSQL_CONNECTION), v.get(MIGRATION_TYPE), v.get(START), v.get(SERVER_ID),
                    v.get(HEARTBEAT), v.get(PARALLEL_LOAD)))
            .check(v -> checkStart(v, SourceDef.MySql.class));
    static final Shape<SourceDef.SqlServer> SQLSERVER = new Shape<>("sqlServerSource", "SQL Server change tables (MS-CDC)",
            List.of(TYPE_SQLSERVER, MSSQL_CONNECTION, MIGRATION_TYPE, START, POLL_INTERVAL, PARALLEL_LOAD),
            v -> new SourceDef.SqlServer(v.get(MSSQL_CONNECTION), v.get(MIGRATION_TYPE), v.get(START), v.get(POLL_INTERVAL),
                    v.get(PARALLEL_LOAD)))
            .check(v -> checkStart(v, SourceDef.SqlServer.class));

    static final Key<String> SOURCE_BUCKET = Key.required("bucket", Types.text(PipelineShapes.BUCKET_REGEX, PipelineShapes.BUCKET_RULE), "Bucket holding the files");
    static final Key<String> BUCKET_FOLDER = Key.optional("bucketFolder", Types.text(), "Folder above schema/table/");
    static final Key<String> CDC_PATH = Key.optional("cdcPath", Types.text(), "Folder of CDC files (CDC00001.csv...)");
    static final Key<String> TABLE_DEFINITION = Key.required("tableDefinitionFile", Types.text(), "DMS external table definition JSON, relative to the pipeline file");
    static final Key<String> CSV_DELIMITER = Key.optional("csvDelimiter", Types.text(), ",", "Column delimiter");
    static final Key<Integer> IGNORE_HEADER_ROWS = Key.optional("ignoreHeaderRows", Types.integer(0, 1), 0, "1 skips a header line");
    static final Key<Duration> S3_POLL = Key.optional("pollInterval", Types.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            Duration.ofSeconds(10), "How often new CDC files are listed");
    static final Shape<SourceDef.S3Csv> S3CSV = new Shape<>("s3CsvSource", "CSV files in the DMS S3-source layout",
            List.of(TYPE_S3CSV, SOURCE_BUCKET, BUCKET_FOLDER, CDC_PATH, TABLE_DEFINITION, CSV_DELIMITER, IGNORE_HEADER_ROWS, MIGRATION_TYPE, S3_POLL),
            v -> new SourceDef.S3Csv(v.get(SOURCE_BUCKET), v.get(BUCKET_FOLDER), v.get(CDC_PATH), v.get(TABLE_DEFINITION),
                    v.get(CSV_DELIMITER), v.get(IGNORE_HEADER_ROWS), v.get(MIGRATION_TYPE), v.get(S3_POLL)))
            .check(v -> {
                MigrationType m = v.get(MIGRATION_TYPE);
                if (m != null && m != MigrationType.FULL_LOAD && !v.isWritten(CDC_PATH)) {
                    v.problem(MIGRATION_TYPE, m.wireName() + " on an s3-csv source needs cdcPath (the folder of CDC files)");
                }
            });

    private static StartPosition start(Values v) {
        if (v.has(POSITION)) {
            return v.get(POSITION).equals("earliest") ? new StartPosition.Earliest() : new StartPosition.Current();
        }
        if (v.has(BINLOG_FILE)) {
            return new StartPosition.BinlogFile(v.get(BINLOG_FILE), v.get(BINLOG_POSITION));
        }
        if (v.has(GTID_SET)) {
            return new StartPosition.GtidSet(v.get(GTID_SET));
        }
        return new StartPosition.Lsn(v.get(LSN));
    }

    private static void checkStart(Values v, Class<? extends SourceDef> kind) {
        if (!v.isWritten(START) || !v.has(MIGRATION_TYPE)) {
            return;
        }
        if (v.get(MIGRATION_TYPE) != MigrationType.CDC) {
            v.problem(START, "only for migrationType cdc (" + v.get(MIGRATION_TYPE).wireName()
                    + (v.get(MIGRATION_TYPE) == MigrationType.FULL_LOAD ? " reads no changes)" : " continues from its snapshot's own position)"));
        } else if (v.has(START) && !SourceDef.startKinds(kind).contains(v.get(START).getClass())) {
            v.problem(START, "a " + (kind == SourceDef.MySql.class ? "mysql" : "sqlserver") + " source starts at "
                    + (kind == SourceDef.MySql.class ? "current, earliest, {binlogFile, binlogPosition} or {gtidSet}" : "current, earliest or {lsn}"));
        }
    }

    static final Key<SourceDef> SOURCE = Key.required("source", Types.variants("type", List.of(
            new Types.Variant<>("mysql", MYSQL), new Types.Variant<>("sqlserver", SQLSERVER), new Types.Variant<>("s3-csv", S3CSV))),
            "Where changes come from");

    // ---- partition key, message
    static final Key<Boolean> INCLUDE_SCHEMA_TABLE = Key.optional("includeSchemaTable", Types.bool(), true,
            "Prefix keys with schema.table. so small keys of many tables spread over shards");
    static final Key<List<String>> KEY_COLUMNS = Key.required("columns", Types.list(Types.text(), 1), "Columns whose values make the key");
    static final Key<String> KEY_VALUE = Key.required("value", Types.text(".{1,256}", "1 to 256 characters"), "The one key");
    static final Key<Boolean> ATTRIBUTE_INCLUDE_SCHEMA_TABLE = Key.optional("includeSchemaTable", Types.bool(), false, "Prefix keys with schema.table.");
    static final Key<PartitionKeyDef> PARTITION_KEY = Key.optional("partitionKey", Types.variants("type", List.of(
            new Types.Variant<>("primary-key", new Shape<>("primaryKeyPartition", "Primary key values (default)",
                    List.of(Key.required("type", Types.constant("primary-key"), "primary-key"), INCLUDE_SCHEMA_TABLE),
                    v -> new PartitionKeyDef.PrimaryKey(v.get(INCLUDE_SCHEMA_TABLE)))),
            new Types.Variant<>("schema-table", new Shape<>("schemaTablePartition", "schema.table: a table on one shard",
                    List.of(Key.required("type", Types.constant("schema-table"), "schema-table")), v -> new PartitionKeyDef.SchemaTable())),
            new Types.Variant<>("attribute", new Shape<>("attributePartition", "Values of chosen columns",
                    List.of(Key.required("type", Types.constant("attribute"), "attribute"), KEY_COLUMNS, ATTRIBUTE_INCLUDE_SCHEMA_TABLE),
                    v -> new PartitionKeyDef.Attribute(v.get(KEY_COLUMNS), v.get(ATTRIBUTE_INCLUDE_SCHEMA_TABLE)))),
            new Types.Variant<>("constant", new Shape<>("constantPartition", "One key for everything",
                    List.of(Key.required("type", Types.constant("constant"), "constant"), KEY_VALUE), v -> new PartitionKeyDef.Constant(v.get(KEY_VALUE)))),
            new Types.Variant<>("transaction-id", new Shape<>("transactionIdPartition", "The source transaction id",
                    List.of(Key.required("type", Types.constant("transaction-id"), "transaction-id")), v -> new PartitionKeyDef.TransactionId())))),
            new PartitionKeyDef.PrimaryKey(true), "How Kinesis partition keys are made");

    static final Key<Boolean> BI_ENABLED = Key.optional("enabled", Types.bool(), false, "Add the row before to updates and deletes");
    static final Key<String> BI_FIELD = Key.optional("fieldName", Types.text(), "before-image", "Attribute that holds it");
    static final Key<BeforeImageColumns> BI_COLUMNS = Key.optional("columnFilter", Types.choice(BeforeImageColumns.class), BeforeImageColumns.PK_ONLY, "pk-only, non-lob or all");
    static final MessageDef.BeforeImage NO_BEFORE_IMAGE = new MessageDef.BeforeImage(false, "before-image", BeforeImageColumns.PK_ONLY);
    static final Key<MessageDef.BeforeImage> BEFORE_IMAGE = Key.optional("beforeImage", new Shape<>("beforeImage", "DMS BeforeImageSettings",
            List.of(BI_ENABLED, BI_FIELD, BI_COLUMNS), v -> new MessageDef.BeforeImage(v.get(BI_ENABLED), v.get(BI_FIELD), v.get(BI_COLUMNS))),
            NO_BEFORE_IMAGE, "Before-image of updates and deletes");
    static final Key<MessageFormat> FORMAT = Key.optional("format", Types.choice(MessageFormat.class), MessageFormat.JSON, "json or json-unformatted");
    static final Key<Boolean> TX_DETAILS = flag("includeTransactionDetails", "Transaction id, record id, commit time and stream position");
    static final Key<Boolean> PARTITION_VALUE = flag("includePartitionValue", "The partition key in the metadata");
    static final Key<Boolean> ALTER_OPS = flag("includeTableAlterOperations", "DDL as control records");
    static final Key<Boolean> CONTROL_DETAILS = flag("includeControlDetails", "Table definitions in control records");
    static final Key<Boolean> NULL_AND_EMPTY = flag("includeNullAndEmpty", "Null and empty values in records");
    static final MessageDef DEFAULT_MESSAGE = new MessageDef(MessageFormat.JSON, false, false, false, false, false, NO_BEFORE_IMAGE);
    static final Key<MessageDef> MESSAGE = Key.optional("message", new Shape<>("message", "DMS message settings",
            List.of(FORMAT, TX_DETAILS, PARTITION_VALUE, ALTER_OPS, CONTROL_DETAILS, NULL_AND_EMPTY, BEFORE_IMAGE),
            v -> new MessageDef(v.get(FORMAT), v.get(TX_DETAILS), v.get(PARTITION_VALUE), v.get(ALTER_OPS), v.get(CONTROL_DETAILS),
                    v.get(NULL_AND_EMPTY), v.get(BEFORE_IMAGE))), DEFAULT_MESSAGE, "What records carry");

    private static Key<Boolean> flag(String name, String description) {
        return Key.optional(name, Types.bool(), false, description);
    }

    static final String BUCKET_REGEX = "(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
    static final String BUCKET_RULE = "an S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit";

    static final Key<TableMappingDef> TABLE_MAPPINGS = Key.optional("tableMappings", TableMappingShapes.MAPPINGS, "AWS DMS table mappings, verbatim");
    static final Key<String> TABLE_MAPPINGS_FILE = Key.optional("tableMappingsFile", Types.text(), "A DMS table-mapping JSON file, relative to this file");
    static final Key<List<SinkDef>> SINKS = Key.required("sinks", Types.list(SinkShapes.SINK, 1), "Where changes go; each sink acknowledges on its own");
}
