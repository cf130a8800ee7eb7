package io.changepipe.sink.s3batch;

import java.time.Duration;

/**
 * One s3-batch sink's settings. {@code bufferSize} (uncompressed bytes) and {@code bufferInterval} deliver a batch,
 * whichever comes first; {@code maxOpenPartitions}, {@code memoryLimit} and {@code maxBufferedRecords} bound what is
 * held (the oldest, resp. the largest, batch is delivered early); an upload is tried {@code uploadAttempts} times with backoff from
 * {@code retryBackoff} up to {@code maxRetryBackoff} before its records go under the error prefix; {@code checkEvery}
 * is how often the interval is checked (zero: never by itself, tests call {@link S3BatchSink#tick()}).
 */
public record S3BatchSettings(String pipeline, String sink, String bucket, String prefix, String errorPrefix,
        long bufferSize, Duration bufferInterval, boolean gzip, int maxOpenPartitions, long memoryLimit,
        int maxBufferedRecords, int uploadAttempts, Duration retryBackoff, Duration maxRetryBackoff, Duration checkEvery) {

    /** Firehose's default limit on active partitions. */
    public static final int MAX_OPEN_PARTITIONS = 500;

    /**
     * Half the engine's default in-flight limit (10,000 changes): a sink that held more unacknowledged records than the
     * engine lets into flight would stall the source until the interval passes, whatever the buffer size.
     */
    public static final int MAX_BUFFERED_RECORDS = 5_000;

    public S3BatchSettings {
        if (bufferSize <= 0 || maxOpenPartitions <= 0 || memoryLimit <= 0 || maxBufferedRecords <= 0 || uploadAttempts <= 0) {
            throw new IllegalArgumentException("buffer size, open partitions, memory limit and attempts must be positive");
        }
    }

    /** Defaults for everything a pipeline file does not set. */
    public static S3BatchSettings of(String pipeline, String sink, String bucket, String prefix, String errorPrefix,
            long bufferSize, Duration bufferInterval, boolean gzip) {
        long memory = Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                MAX_OPEN_PARTITIONS, memory, MAX_BUFFERED_RECORDS, 30, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    public S3BatchSettings withLimits(int maxOpenPartitions, long memoryLimit) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, memoryLimit, maxBufferedRecords, uploadAttempts, retryBackoff, maxRetryBackoff, checkEvery);
    }

    public S3BatchSettings withMaxBufferedRecords(int maxBufferedRecords) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, memoryLimit, maxBufferedRecords, uploadAttempts, retryBackoff, maxRetryBackoff, checkEvery);
    }

    public S3BatchSettings withRetries(int uploadAttempts, Duration retryBackoff, Duration maxRetryBackoff) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, memoryLimit, maxBufferedRecords, uploadAttempts, retryBackoff, maxRetryBackoff, checkEvery);
    }

    public S3BatchSettings withCheckEvery(Duration checkEvery) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, memoryLimit, maxBufferedRecords, uploadAttempts, retryBackoff, maxRetryBackoff, checkEvery);
    }
}
