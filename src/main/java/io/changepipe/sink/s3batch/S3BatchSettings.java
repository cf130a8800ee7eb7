package io.changepipe.sink.s3batch;

import java.time.Duration;

/**
 * One s3-batch sink's settings. {@code bufferSize} (uncompressed bytes) and {@code bufferInterval} deliver a batch,
 * whichever comes first; at most {@code maxOpenPartitions} buffers are open (the oldest is delivered early); a failed
 * upload is retried with backoff from {@code retryBackoff} up to {@code maxRetryBackoff} until it succeeds;
 * {@code checkEvery} is how often the interval is checked (zero: never by itself, tests call {@link S3BatchSink#tick()}).
 */
public record S3BatchSettings(String pipeline, String sink, String bucket, String prefix, String errorPrefix,
        long bufferSize, Duration bufferInterval, boolean gzip, int maxOpenPartitions, Duration retryBackoff,
        Duration maxRetryBackoff, Duration checkEvery) {

    /** Firehose's default limit on active partitions. */
    public static final int MAX_OPEN_PARTITIONS = 500;

    public S3BatchSettings {
        if (bufferSize <= 0 || maxOpenPartitions <= 0) {
            throw new IllegalArgumentException("buffer size and open partitions must be positive");
        }
    }

    /** Defaults for everything a pipeline file does not set. */
    public static S3BatchSettings of(String pipeline, String sink, String bucket, String prefix, String errorPrefix,
            long bufferSize, Duration bufferInterval, boolean gzip) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                MAX_OPEN_PARTITIONS, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    public S3BatchSettings withMaxOpenPartitions(int maxOpenPartitions) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, retryBackoff, maxRetryBackoff, checkEvery);
    }

    public S3BatchSettings withRetries(Duration retryBackoff, Duration maxRetryBackoff) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, retryBackoff, maxRetryBackoff, checkEvery);
    }

    public S3BatchSettings withCheckEvery(Duration checkEvery) {
        return new S3BatchSettings(pipeline, sink, bucket, prefix, errorPrefix, bufferSize, bufferInterval, gzip,
                maxOpenPartitions, retryBackoff, maxRetryBackoff, checkEvery);
    }
}
