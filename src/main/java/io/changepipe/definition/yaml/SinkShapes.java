package io.changepipe.definition.yaml;

import static io.changepipe.definition.yaml.PipelineShapes.BUCKET_REGEX;
import static io.changepipe.definition.yaml.PipelineShapes.BUCKET_RULE;
import static io.changepipe.definition.yaml.PipelineShapes.NAME_REGEX;
import static io.changepipe.definition.yaml.PipelineShapes.NAME_RULE;

import io.changepipe.definition.Compression;
import io.changepipe.definition.DataSize;
import io.changepipe.definition.DatePartitionDelimiter;
import io.changepipe.definition.DatePartitionSequence;
import io.changepipe.definition.SinkDef;
import io.changepipe.dms.DmsPattern;
import io.changepipe.expr.SqlExpressions;
import java.time.Duration;
import java.util.List;

/** The keys of each sink kind, with AWS's own limits as ranges. */
final class SinkShapes {

    private SinkShapes() {
    }

    static final Key<String> NAME = Key.required("name", Types.text(NAME_REGEX, NAME_RULE), "Unique within the pipeline");
    static final Key<String> BUCKET = Key.required("bucket", Types.text(BUCKET_REGEX, BUCKET_RULE), "Target bucket");

    // ---- kinesis
    static final Key<String> STREAM = Key.required("stream", Types.text(
            "[a-zA-Z0-9_.-]{1,128}|arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}",
            "a stream name (1 to 128 of a-z A-Z 0-9 _ . -) or a stream ARN"), "Stream name or ARN");
    static final Key<String> REGION = Key.optional("region", Types.text("[a-z]{2}(-[a-z]+)+-[0-9]", "an AWS region like us-east-1"),
            "Region; else the SDK's default chain");
    static final Key<Integer> MAX_RECORDS = Key.optional("maxRecords", Types.integer(1, 500), 500, "Records per PutRecords request (AWS: at most 500)");
    static final Key<DataSize> MAX_BYTES = Key.optional("maxBytes", Types.size(DataSize.ofKiB(1), DataSize.ofMiB(5)), DataSize.ofMiB(5),
            "Bytes per PutRecords request, keys included (AWS: at most 5MiB)");
    static final Key<Duration> MAX_DELAY = Key.optional("maxDelay", Types.duration(Duration.ZERO, Duration.ofSeconds(60)), Duration.ofMillis(20),
            "How long a partly filled request may wait for more records");
    static final Shape<SinkDef.KinesisBatch> BATCH_SHAPE = new Shape<>("kinesisBatch", "PutRecords batching",
            List.of(MAX_RECORDS, MAX_BYTES, MAX_DELAY), v -> new SinkDef.KinesisBatch(v.get(MAX_RECORDS), v.get(MAX_BYTES), v.get(MAX_DELAY)));
    static final SinkDef.KinesisBatch DEFAULT_BATCH = new SinkDef.KinesisBatch(500, DataSize.ofMiB(5), Duration.ofMillis(20));
    static final Key<SinkDef.KinesisBatch> BATCH = Key.optional("batch", BATCH_SHAPE, DEFAULT_BATCH, "PutRecords batching");
    static final Key<DataSize> MAX_RECORD_SIZE = Key.optional("maxRecordSize", Types.size(DataSize.ofKiB(1), DataSize.ofMiB(10)), DataSize.ofMiB(1),
            "Largest record, data plus key (AWS: 1MiB, up to 10MiB on streams raised to it)");
    static final Key<Integer> MAX_IN_FLIGHT = Key.optional("maxInFlight", Types.integer(1, 64), 8, "PutRecords requests in flight at once");
    static final Key<Boolean> CREATE_IF_MISSING = Key.optional("createIfMissing", Types.bool(), false, "Create the stream when it does not exist");
    static final Key<Integer> SHARDS = Key.optional("shards", Types.integer(1, 10000), 4, "Shards of a stream created by createIfMissing");
    static final Shape<SinkDef.Kinesis> KINESIS = new Shape<>("kinesisSink", "Kinesis Data Streams",
            List.of(NAME, Key.required("type", Types.constant("kinesis"), "kinesis"), STREAM, REGION, BATCH, MAX_RECORD_SIZE,
                    MAX_IN_FLIGHT, CREATE_IF_MISSING, SHARDS),
            v -> new SinkDef.Kinesis(v.get(NAME), v.get(STREAM), v.optional(REGION), v.get(BATCH), v.get(MAX_RECORD_SIZE),
                    v.get(MAX_IN_FLIGHT), v.get(CREATE_IF_MISSING), v.get(SHARDS)))
            .check(v -> {
                if (v.isWritten(SHARDS) && !Boolean.TRUE.equals(v.get(CREATE_IF_MISSING))) {
                    v.problem(SHARDS, "only applies with createIfMissing: true");
                }
            });

    // ---- s3-batch
    static final Key<String> PREFIX = Key.optional("prefix", Types.checked("an S3 key prefix", t -> ObjectPrefixes.check(t, false)),
            "!{timestamp:yyyy/MM/dd/HH}/", "Key prefix; !{timestamp:pattern}, !{partition:schema|table|<column>}, !{firehose:random-string}");
    static final Key<String> ERROR_PREFIX = Key.optional("errorPrefix", Types.checked("an S3 key prefix", t -> ObjectPrefixes.check(t, true)),
            "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/", "Key prefix for records that could not be delivered");
    static final Key<DataSize> BUFFER_SIZE = Key.optional("size", Types.size(DataSize.ofMiB(1), DataSize.ofMiB(128)), DataSize.ofMiB(5),
            "Deliver when this much is buffered (Firehose: 1MiB to 128MiB)");
    static final Key<Duration> BUFFER_INTERVAL = Key.optional("interval", Types.duration(Duration.ZERO, Duration.ofSeconds(900)), Duration.ofSeconds(300),
            "Deliver when the oldest record is this old (Firehose: 0s to 900s)");
    record Buffer(DataSize size, Duration interval) {
    }
    static final Key<Buffer> BUFFER = Key.optional("buffer", new Shape<>("s3Buffer", "Buffering hints: whichever is reached first",
            List.of(BUFFER_SIZE, BUFFER_INTERVAL), v -> new Buffer(v.get(BUFFER_SIZE), v.get(BUFFER_INTERVAL))),
            new Buffer(DataSize.ofMiB(5), Duration.ofSeconds(300)), "Buffering hints");
    static final Key<Compression> COMPRESSION = Key.optional("compression", Types.choice(Compression.class), Compression.NONE, "none or gzip");
    static final Shape<SinkDef.S3Batch> S3_BATCH = new Shape<>("s3BatchSink", "Firehose-style batches of one-line JSON records",
            List.of(NAME, Key.required("type", Types.constant("s3-batch"), "s3-batch"), BUCKET, PREFIX, ERROR_PREFIX, BUFFER, COMPRESSION),
            v -> new SinkDef.S3Batch(v.get(NAME), v.get(BUCKET), v.get(PREFIX), v.get(ERROR_PREFIX), v.get(BUFFER).size(),
                    v.get(BUFFER).interval(), v.get(COMPRESSION)))
            .check(v -> {
                if (v.has(PREFIX) && v.get(PREFIX).contains("!{partition:") && v.has(BUFFER) && v.get(BUFFER).interval().isZero()) {
                    v.problem(BUFFER, "interval 0s is not available with !{partition:...} prefixes (as in Firehose dynamic partitioning)");
                }
            });

    // ---- s3-csv
    static final Key<String> FOLDER = Key.optional("folder", Types.text(), "", "Folder above schema/table/ (DMS BucketFolder)");
    static final Key<Boolean> OP_FOR_FULL_LOAD = flag("includeOpForFullLoad", "Write the I column in full-load files too");
    static final Key<Boolean> INSERTS_ONLY = flag("cdcInsertsOnly", "Write only inserts during CDC");
    static final Key<Boolean> INSERTS_AND_UPDATES = flag("cdcInsertsAndUpdates", "Write only inserts and updates during CDC");
    static final Key<String> TIMESTAMP_COLUMN = Key.optional("timestampColumnName", Types.text(), "Add a timestamp column of this name");
    static final Key<String> DELIMITER = Key.optional("csvDelimiter", Types.text(), ",", "Column delimiter");
    static final Key<String> ROW_DELIMITER = Key.optional("csvRowDelimiter", Types.text(), "\n", "Row delimiter");
    static final Key<String> NULL_VALUE = Key.optional("csvNullValue", Types.anyText(), "", "How NULL is written");
    static final Key<Boolean> ADD_COLUMN_NAME = flag("addColumnName", "Write a header line with column names");
    static final Key<Boolean> DATE_PARTITION = flag("datePartitionEnabled", "Date folders from the commit date");
    static final Key<DatePartitionSequence> DATE_SEQUENCE = Key.optional("datePartitionSequence", Types.choice(DatePartitionSequence.class),
            DatePartitionSequence.YYYYMMDD, "Date folder order");
    static final Key<DatePartitionDelimiter> DATE_DELIMITER = Key.optional("datePartitionDelimiter", Types.choice(DatePartitionDelimiter.class),
            DatePartitionDelimiter.SLASH, "Date folder separator");
    static final Key<Duration> CDC_MAX_INTERVAL = Key.optional("cdcMaxBatchInterval", Types.duration(Duration.ofSeconds(1), Duration.ofHours(24)),
            Duration.ofSeconds(60), "Write a CDC file at least this often");
    static final Key<DataSize> CDC_MIN_SIZE = Key.optional("cdcMinFileSize", Types.size(DataSize.ofKiB(1), DataSize.ofMiB(1024)), DataSize.ofKiB(32000),
            "Write a CDC file when it reaches this size");
    static final Key<DataSize> MAX_FILE_SIZE = Key.optional("maxFileSize", Types.size(DataSize.ofMiB(1), DataSize.ofMiB(1024 * 1024)), DataSize.ofMiB(1024),
            "Largest full-load file");
    static final Shape<SinkDef.S3Csv> S3_CSV = new Shape<>("s3CsvSink", "DMS S3 target: CSV per table with an I/U/D column",
            List.of(NAME, Key.required("type", Types.constant("s3-csv"), "s3-csv"), BUCKET, FOLDER, OP_FOR_FULL_LOAD, INSERTS_ONLY,
                    INSERTS_AND_UPDATES, TIMESTAMP_COLUMN, DELIMITER, ROW_DELIMITER, NULL_VALUE, ADD_COLUMN_NAME, COMPRESSION,
                    DATE_PARTITION, DATE_SEQUENCE, DATE_DELIMITER, CDC_MAX_INTERVAL, CDC_MIN_SIZE, MAX_FILE_SIZE),
            v -> new SinkDef.S3Csv(v.get(NAME), v.get(BUCKET), v.get(FOLDER), v.get(OP_FOR_FULL_LOAD), v.get(INSERTS_ONLY),
                    v.get(INSERTS_AND_UPDATES), v.optional(TIMESTAMP_COLUMN), v.get(DELIMITER), v.get(ROW_DELIMITER), v.get(NULL_VALUE),
                    v.get(ADD_COLUMN_NAME), v.get(COMPRESSION), v.get(DATE_PARTITION), v.get(DATE_SEQUENCE), v.get(DATE_DELIMITER),
                    v.get(CDC_MAX_INTERVAL), v.get(CDC_MIN_SIZE), v.get(MAX_FILE_SIZE)))
            .check(v -> {
                if (Boolean.TRUE.equals(v.get(INSERTS_ONLY)) && Boolean.TRUE.equals(v.get(INSERTS_AND_UPDATES))) {
                    v.problem(INSERTS_AND_UPDATES, "cannot be combined with cdcInsertsOnly (DMS allows one of the two)");
                }
                if (v.has(DELIMITER) && v.has(NULL_VALUE) && v.get(NULL_VALUE).contains(v.get(DELIMITER))) {
                    v.problem(NULL_VALUE, "must not contain the csvDelimiter");
                }
                if ((v.isWritten(DATE_SEQUENCE) || v.isWritten(DATE_DELIMITER)) && !Boolean.TRUE.equals(v.get(DATE_PARTITION))) {
                    v.problem(DATE_PARTITION, "must be true when datePartitionSequence or datePartitionDelimiter is set");
                }
            });

    // ---- sns
    static final Key<String> TOPIC_ARN = Key.required("topicArn", Types.text("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?",
            "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:alerts"), "Topic to publish to");
    static final ValueType<String> TEMPLATE = Types.checked("text with ${col} references", SqlExpressions::checkTemplate);
    static final ValueType<String> CONDITION = Types.checked("an SQL condition", t -> {
        try {
            SqlExpressions.compile(t);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    });
    static final Key<String> RULE_NAME = Key.required("name", Types.text(NAME_REGEX, NAME_RULE), "Unique within the sink");
    static final Key<String> WHEN = Key.required("when", CONDITION, "SQL condition over the row, before.col and $operation, $table, $schema");
    static final Key<String> TABLES = Key.optional("tables", Types.checked("schema.table with DMS wildcards", SinkShapes::checkTables), "%.%",
            "Tables the rule sees: schema.table, DMS wildcards allowed");
    static final Key<String> SUBJECT = Key.optional("subject", Types.checked("an SNS subject", t -> {
        String bad = SqlExpressions.checkTemplate(t);
        if (bad != null) {
            return bad;
        }
        if (t.length() > 100 || !t.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "must be at most 100 printable ASCII characters on one line (an SNS subject)";
        }
        return null;
    }), "Subject template");
    static final Key<String> MESSAGE = Key.optional("message", TEMPLATE, "Message template; default: the change as the pipeline's JSON");
    static final Key<String> DEDUPE_KEY = Key.required("key", TEMPLATE, "Template of what makes two alerts the same");
    static final Key<Duration> DEDUPE_WINDOW = Key.required("window", Types.duration(Duration.ofSeconds(1), Duration.ofDays(30)), "How long a key suppresses repeats");
    static final Key<SinkDef.Dedupe> DEDUPE = Key.optional("dedupe", new Shape<>("alertDedupe", "One alert per key within a window",
            List.of(DEDUPE_KEY, DEDUPE_WINDOW), v -> new SinkDef.Dedupe(v.get(DEDUPE_KEY), v.get(DEDUPE_WINDOW))), "Suppress repeats");
    static final Key<Integer> RATE_COUNT = Key.required("count", Types.integer(1, 1_000_000), "Alerts allowed per period");
    static final Key<Duration> RATE_PER = Key.optional("per", Types.duration(Duration.ofSeconds(1), Duration.ofDays(1)), Duration.ofMinutes(1), "The period");
    static final Key<SinkDef.RateLimit> RATE_LIMIT = Key.optional("rateLimit", new Shape<>("alertRateLimit", "At most count alerts per period",
            List.of(RATE_COUNT, RATE_PER), v -> new SinkDef.RateLimit(v.get(RATE_COUNT), v.get(RATE_PER))), "Protect the topic from floods");
    static final Shape<SinkDef.AlertRule> ALERT_RULE = new Shape<>("alertRule", "Publish when a change matches",
            List.of(RULE_NAME, WHEN, TABLES, SUBJECT, MESSAGE, DEDUPE, RATE_LIMIT),
            v -> new SinkDef.AlertRule(v.get(RULE_NAME), v.get(WHEN), v.get(TABLES), v.optional(SUBJECT), v.optional(MESSAGE),
                    v.optional(DEDUPE), v.optional(RATE_LIMIT)));
    static final Key<List<SinkDef.AlertRule>> ALERT_RULES = Key.required("rules", Types.list(ALERT_RULE, 1), "Alert rules");
    static final Shape<SinkDef.Sns> SNS = new Shape<>("snsSink", "SNS alerts on data conditions",
            List.of(NAME, Key.required("type", Types.constant("sns"), "sns"), TOPIC_ARN, ALERT_RULES),
            v -> new SinkDef.Sns(v.get(NAME), v.get(TOPIC_ARN), v.get(ALERT_RULES)))
            .check(v -> {
                List<SinkDef.AlertRule> rules = v.get(ALERT_RULES);
                if (rules == null) {
                    return;
                }
                for (int i = 0; i < rules.size(); i++) {
                    for (int j = 0; j < i; j++) {
                        if (rules.get(i).name().equals(rules.get(j).name())) {
                            v.reader().problem(v.path(ALERT_RULES) + "[" + i + "].name", "'" + rules.get(i).name()
                                    + "' is already the name of rules[" + j + "]");
                        }
                    }
                }
            });

    static final ValueType<SinkDef> SINK = Types.variants("type", List.of(
            new Types.Variant<>("kinesis", KINESIS), new Types.Variant<>("s3-batch", S3_BATCH),
            new Types.Variant<>("s3-csv", S3_CSV), new Types.Variant<>("sns", SNS)));

    private static Key<Boolean> flag(String name, String description) {
        return Key.optional(name, Types.bool(), false, description);
    }

    private static String checkTables(String t) {
        int dot = t.indexOf('.');
        if (dot <= 0 || dot == t.length() - 1) {
            return "must be schema.table (DMS wildcards allowed, e.g. %.invoices)";
        }
        try {
            DmsPattern.compile(t.substring(0, dot));
            DmsPattern.compile(t.substring(dot + 1));
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a valid DMS name pattern: " + e.getMessage();
        }
    }
}
