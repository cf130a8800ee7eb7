package io.changepipe.definition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where changes go. Every pipeline fans out to one or more sinks, each acknowledging on its own. */
public sealed interface SinkDef permits SinkDef.Kinesis, SinkDef.S3Batch, SinkDef.S3Csv, SinkDef.Sns {

    String name();

    /** The {@code type} a pipeline file names this sink kind by. */
    String type();

    /** Kinesis Data Streams through PutRecords. */
    record Kinesis(String name, String stream, Optional<String> region, KinesisBatch batch, DataSize maxRecordSize,
            int maxInFlight, boolean createIfMissing, int shards) implements SinkDef {
        @Override
        public String type() {
            return "kinesis";
        }

    }

    /** PutRecords batching: a request goes when it has {@code maxRecords}, {@code maxBytes} or has waited {@code maxDelay}. */
    record KinesisBatch(int maxRecords, DataSize maxBytes, Duration maxDelay) {
    }

    /** Firehose-style batches of one-line JSON records as S3 objects. */
    record S3Batch(String name, String bucket, String prefix, String errorPrefix, DataSize bufferSize,
            Duration bufferInterval, Compression compression) implements SinkDef {
        @Override
        public String type() {
            return "s3-batch";
        }

    }

    /** DMS's S3 target: CSV files per table with an I/U/D column. */
    record S3Csv(String name, String bucket, String folder, boolean includeOpForFullLoad, boolean cdcInsertsOnly,
            boolean cdcInsertsAndUpdates, Optional<String> timestampColumnName, String csvDelimiter,
            String csvRowDelimiter, String csvNullValue, boolean addColumnName, Compression compression,
            boolean datePartitionEnabled, DatePartitionSequence datePartitionSequence,
            DatePartitionDelimiter datePartitionDelimiter, Duration cdcMaxBatchInterval, DataSize cdcMinFileSize,
            DataSize maxFileSize) implements SinkDef {
        @Override
        public String type() {
            return "s3-csv";
        }

    }

    /** Alert rules evaluated on every change; a match is published to an SNS topic. */
    record Sns(String name, String topicArn, List<AlertRule> rules) implements SinkDef {
        @Override
        public String type() {
            return "sns";
        }

        public Sns {
            rules = List.copyOf(rules);
        }
    }

    /** One alert: when {@code when} holds for a change of a table matching {@code tables}, publish subject and message. */
    record AlertRule(String name, String when, String tables, Optional<String> subject, Optional<String> message,
            Optional<Dedupe> dedupe, Optional<RateLimit> rateLimit) {
    }

    /** At most one alert per {@code key} value within {@code window}. */
    record Dedupe(String key, Duration window) {
    }

    /** At most {@code count} alerts of a rule per {@code per}. */
    record RateLimit(int count, Duration per) {
    }
}
