package io.changepipe.sink.kinesis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** What a Kinesis sink reports; {@link #NONE} for tests, {@link #micrometer} in the service. */
public interface KinesisMetrics {

    /** A PutRecords request answered (fully or partly) after {@code nanos}, carrying {@code records} records. */
    void request(int records, long nanos);

    /** Records Kinesis accepted, and their bytes (data plus key). */
    void accepted(int records, long bytes);

    /** Entries of answered requests that Kinesis failed, {@code throttled} of them for throughput. */
    void failedEntries(int failed, int throttled);

    /** A whole request that failed; {@code throttled} when Kinesis or the SDK said so. */
    void failedRequest(boolean throttled);

    /** Records answered {@code retry}: failed entries, those of failed requests and those held back behind them. */
    void retried(int records);

    KinesisMetrics NONE = new KinesisMetrics() {
        public void request(int records, long nanos) {
        }

        public void accepted(int records, long bytes) {
        }

        public void failedEntries(int failed, int throttled) {
        }

        public void failedRequest(boolean throttled) {
        }

        public void retried(int records) {
        }
    };

    /** Meters named {@code changepipe.kinesis.*}, tagged {@code pipeline} and {@code sink}. */
    static KinesisMetrics micrometer(MeterRegistry registry, String pipeline, String sink) {
        String[] tags = {"pipeline", pipeline, "sink", sink};
        Counter records = Counter.builder("changepipe.kinesis.records").description("Records Kinesis accepted").tags(tags).register(registry);
        Counter bytes = Counter.builder("changepipe.kinesis.bytes").description("Bytes Kinesis accepted (data plus partition key)")
                .baseUnit("bytes").tags(tags).register(registry);
        Counter requests = Counter.builder("changepipe.kinesis.requests").description("PutRecords requests answered").tags(tags).register(registry);
        Counter failedRequests = Counter.builder("changepipe.kinesis.failed.requests").description("PutRecords requests that failed as a whole")
                .tags(tags).register(registry);
        Counter failedEntries = Counter.builder("changepipe.kinesis.failed.entries").description("PutRecords entries Kinesis failed")
                .tags(tags).register(registry);
        Counter throttles = Counter.builder("changepipe.kinesis.throttles").description("Throttled entries and throttled requests")
                .tags(tags).register(registry);
        Counter retries = Counter.builder("changepipe.kinesis.retries").description("Records answered retry (failed or held back)")
                .tags(tags).register(registry);
        DistributionSummary batch = DistributionSummary.builder("changepipe.kinesis.batch.size").description("Records per PutRecords request")
                .tags(tags).publishPercentileHistogram().register(registry);
        Timer latency = Timer.builder("changepipe.kinesis.request.latency").description("PutRecords round trip")
                .tags(tags).publishPercentileHistogram().register(registry);
        return new KinesisMetrics() {
            public void request(int n, long nanos) {
                requests.increment();
                batch.record(n);
                latency.record(nanos, TimeUnit.NANOSECONDS);
            }

            public void accepted(int n, long b) {
                records.increment(n);
                bytes.increment(b);
            }

            public void failedEntries(int failed, int throttled) {
                failedEntries.increment(failed);
                throttles.increment(throttled);
            }

            public void failedRequest(boolean throttled) {
                failedRequests.increment();
                if (throttled) {
                    throttles.increment();
                }
            }

            public void retried(int n) {
                retries.increment(n);
            }
        };
    }
}
