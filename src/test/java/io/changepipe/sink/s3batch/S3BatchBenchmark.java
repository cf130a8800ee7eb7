package io.changepipe.sink.s3batch;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.SinkRecord;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Not run by default (no Test/IT suffix). Run: {@code ./mvnw -o verify -Dit.test=S3BatchBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false} with S3Proxy up. Prints MB/s and CPU per MB of gzip'd batches, and the heap
 * used while 100 dynamic partitions are open.
 */
class S3BatchBenchmark {

    static final Columns COLUMNS = Columns.of("invoice_id", "customer_id", "billing_date", "due_date", "balance", "monthly_kwh_use",
            "total_amount_due");

    final S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + S3BatchSeedIT.port()))
            .forcePathStyle(true).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create()).build();

    static SinkRecord record(long i, int partitions) {
        Row row = new Row(COLUMNS, new Object[] {i, 1_000_000L + i % partitions, LocalDate.of(2022, 4, 15), LocalDate.of(2022, 5, 1),
            i % 7 == 0 ? null : i % 100, i % 60, Long.toString(i % 97) + ".5"});
        ChangeEvent e = ChangeEvent.of(Op.INSERT, new TableId("democustomer", "invoices"), row, null, List.of("invoice_id"),
                new SourcePosition.Sequence(i));
        return new SinkRecord(i, e, "democustomer.invoices." + i);
    }

    void run(String label, String prefix, int records, int partitions) throws Exception {
        String bucket = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        DmsJsonEncoder json = new DmsJsonEncoder(new MessageDef(MessageFormat.JSON_UNFORMATTED, true, false, false, false, false,
                new MessageDef.BeforeImage(false, "BI", BeforeImageColumns.ALL)), Clock.systemUTC());
        AtomicLong bytes = new AtomicLong();
        S3BatchSink sink = new S3BatchSink(s3, Clock.systemUTC(), S3BatchSettings.of("bench", "lake", bucket, prefix, "errors/",
                5L << 20, Duration.ofSeconds(300), true), r -> {
                    byte[] line = json.encode(r.event(), r.partitionKey(), "primary-key");
                    bytes.addAndGet(line.length);
                    return line;
                }, io.changepipe.sink.spool.Spool.of(java.nio.file.Files.createTempDirectory("bench-spool"), "bench", "lake", 1L << 34));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long maxHeap = 0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<CompletableFuture<List<Outcome>>> writes = new ArrayList<>();
        for (long i = 0; i < records; i += 500) {
            List<SinkRecord> batch = new ArrayList<>(500);
            for (long j = i; j < i + 500; j++) {
                batch.add(record(j, partitions));
            }
            writes.add(sink.write(batch).subscribeAsCompletionStage());
            while (writes.size() > 20) {
                // the engine lets at most 10,000 changes into flight
                writes.remove(0).get(5, TimeUnit.MINUTES);
            }
            if (i % 50_000 == 0) {
                System.gc();
                maxHeap = Math.max(maxHeap, memory.getHeapMemoryUsage().getUsed());
            }
        }
        sink.flush().await().atMost(Duration.ofMinutes(5));
        for (CompletableFuture<List<Outcome>> w : writes) {
            w.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        long stored = s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().mapToLong(o -> o.size()).sum();
        long objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().count();
        double mb = bytes.get() / 1e6;
        System.out.printf("%s: %d records, %.1f MB of JSON -> %d objects, %.1f MB gzip'd, %.1f s, %.1f MB/s (JSON in), %.2f CPU-s, "
                + "%.3f CPU-s per MB, live heap before %d MB, max after GC while running %d MB%n", label, records, mb, objects, stored / 1e6, seconds,
                mb / seconds, cpuSeconds, cpuSeconds / mb, heapBefore >> 20, maxHeap >> 20);
        sink.close();
    }

    @Test
    void throughputAndMemory() throws Exception {
        run("warm-up", "cdc/!{timestamp:yyyy/MM/dd/HH}/", 50_000, 1);
        run("one partition", "cdc/!{timestamp:yyyy/MM/dd/HH}/", 300_000, 1);
        run("100 partitions", "cdc/!{partition:customer_id}/", 60_000, 100);
    }
}
