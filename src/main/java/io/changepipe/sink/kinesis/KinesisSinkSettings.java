package io.changepipe.sink.kinesis;

/**
 * What one Kinesis sink needs: where it writes ({@code stream} is a name or an ARN, {@code region} is only for
 * messages) and the AWS limits it keeps. Sizes count a record's data plus its partition key's UTF-8 bytes, as AWS does.
 */
public record KinesisSinkSettings(String pipeline, String sink, StreamTarget stream, String region, int maxRecords,
        long maxBytes, long maxRecordSize, int maxInFlight, boolean createIfMissing, int shards) {

    /** AWS's PutRecords limits. */
    public static final int MAX_RECORDS = 500;
    public static final long MAX_REQUEST_BYTES = 5L * 1024 * 1024;

    public KinesisSinkSettings {
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be 1 to " + MAX_RECORDS + " (was " + maxRecords + ")");
        }
        if (maxBytes < 1 || maxBytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxBytes must be 1 to " + MAX_REQUEST_BYTES + " (was " + maxBytes + ")");
        }
        if (maxRecordSize < 1 || maxInFlight < 1 || shards < 1) {
            throw new IllegalArgumentException("maxRecordSize, maxInFlight and shards must be positive");
        }
    }

    /** AWS's defaults: 500 records and 5 MiB a request, 1 MiB a record, 8 requests in flight; no stream creation. */
    public static KinesisSinkSettings defaults(String pipeline, String sink, String stream, String region) {
        return new KinesisSinkSettings(pipeline, sink, StreamTarget.of(stream), region, MAX_RECORDS, MAX_REQUEST_BYTES,
                1024 * 1024, 8, false, 4);
    }

    public KinesisSinkSettings withLimits(int maxRecords, long maxBytes, long maxRecordSize) {
        return new KinesisSinkSettings(pipeline, sink, stream, region, maxRecords, maxBytes, maxRecordSize, maxInFlight,
                createIfMissing, shards);
    }

    public KinesisSinkSettings withCreateIfMissing(int shards) {
        return new KinesisSinkSettings(pipeline, sink, stream, region, maxRecords, maxBytes, maxRecordSize, maxInFlight, true, shards);
    }
}
