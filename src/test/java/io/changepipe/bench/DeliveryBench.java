package io.changepipe.bench;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.kinesis.KinesisSinkFactory;
import io.changepipe.sink.s3batch.S3BatchSinkFactory;
import io.changepipe.sink.s3csv.S3CsvSinkFactory;
import io.changepipe.sink.sns.SnsSinkFactory;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.source.memory.MemorySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The delivery engine with the seed pipeline ({@code pipelines/invoices.yaml}, every sink at its defaults) next to the
 * same pipeline with its Kinesis sink alone (not a test; {@code bin/bench delivery}). Kinesis is a counting endpoint
 * (so the engine, not an emulator, is measured), S3 is S3Proxy and SNS fauxqs from {@code bin/services}; the source
 * is an in-memory log of invoice inserts, updates and deletes. Rounds alternate the two pipelines; medians are
 * printed with their ratio. Then the S3 sinks are pointed at a dead endpoint for a while, as in an S3 outage: the
 * pipeline keeps streaming (the spools take the records) and the live heap after GC is sampled.
 */
public final class DeliveryBench {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final String BUCKET = "bench-datalake";
    static final String TOPIC = "bench-usage-alerts";

    private final KinesisClient kinesis;
    private final S3Client s3;
    private final S3Client deadS3;
    private final SnsClient sns;
    private final PipelineDef seed;
    double lastCpuMicros;

    DeliveryBench(KinesisClient kinesis, S3Client s3, S3Client deadS3, SnsClient sns) throws Exception {
        this.kinesis = kinesis;
        this.s3 = s3;
        this.deadS3 = deadS3;
        this.sns = sns;
        // a bucket and topic of its own, so the benchmark's objects and alerts never mix with the demo's
        String text = Files.readString(Path.of("pipelines/invoices.yaml")).replace("bucket: datalake", "bucket: " + BUCKET)
                .replace(":usage-alerts", ":" + TOPIC);
        this.seed = new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "bench" : null, true)
                .parse("invoices.yaml", Path.of("pipelines"), text).pipelines().get(0);
    }

    PipelineDef kinesisOnly() {
        return only(List.of("kinesis"));
    }

    /** The seed pipeline with the sinks of these types only. */
    PipelineDef only(List<String> types) {
        return new PipelineDef(seed.name(), seed.file(), seed.labels(), seed.source(), seed.tableMappings(), seed.partitionKey(),
                seed.message(), seed.sinks().stream().filter(s -> types.contains(s.type())).toList());
    }

    /** Invoice changes: per row an insert, two updates (2 % over the alert threshold), every fourth row deleted. */
    static MemorySource log(int rows) {
        MemorySource source = new MemorySource();
        List<String> key = List.of("invoice_id");
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, invoice(i, 20), null, key);
        }
        for (int i = 0; i < rows; i++) {
            source.append(Op.UPDATE, INVOICES, invoice(i, i % 50 == 0 ? 48 : 30), invoice(i, 20), key);
        }
        for (int i = 0; i < rows; i++) {
            source.append(Op.UPDATE, INVOICES, invoice(i, 31), invoice(i, 30), key);
        }
        for (int i = 0; i < rows; i += 4) {
            source.append(Op.DELETE, INVOICES, null, invoice(i, 31), key);
        }
        return source;
    }

    static Row invoice(long id, int kwh) {
        return Row.of("invoice_id", id, "customer_id", 1_200_000 + id % 5000, "billing_date", LocalDate.of(2022, 4, 15),
                "due_date", LocalDate.of(2022, 4, 30), "balance", id % 3 == 0 ? null : 25L, "monthly_kwh_use", (long) kwh,
                "total_amount_due", kwh / 2.0 + "");
    }

    PipelineGraph graph(PipelineDef def, Source source, S3Client s3Client, Path state) throws Exception {
        SourceFactory memory = new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return source;
            }
        };
        long spool = 16L << 30;
        List<SinkFactory> sinks = List.of(new KinesisSinkFactory(kinesis, new SimpleMeterRegistry()),
                new S3BatchSinkFactory(s3Client, Clock.systemUTC(), state, spool),
                new S3CsvSinkFactory(s3Client, Clock.systemUTC(), Duration.ofSeconds(1), state, spool),
                new SnsSinkFactory(sns, Clock.systemUTC(), new SimpleMeterRegistry()));
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(memory), sinks), Clock.systemUTC()).compile(def);
        return new PipelineGraph(def.name(), parts, new PipelineGraph.Services(new FilePositionStore(state.resolve("positions")),
                (p, s, r, reason) -> {
                    throw new IllegalStateException(s + ": " + reason);
                }, e -> { }), PipelineGraph.Settings.DEFAULT);
    }

    /** Changes/s from start to the last change acknowledged by every sink (the stop's flush is not counted). */
    double run(PipelineDef def, int rows) throws Exception {
        MemorySource source = log(rows);
        int changes = source.events().size();
        Path state = Files.createTempDirectory("bench-delivery");
        PipelineGraph g = graph(def, source, s3, state);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        g.start();
        awaitAcknowledged(g, changes - 1);
        double rate = changes * 1e9 / (System.nanoTime() - start);
        lastCpuMicros = (os.getProcessCpuTime() - cpu) / 1e3 / changes;
        g.stop();
        delete(state);
        return rate;
    }

    static void awaitAcknowledged(PipelineGraph g, long last) throws InterruptedException {
        while (!(g.acknowledged() instanceof SourcePosition.Sequence s && s.value() == last)) {
            if (g.state() == PipelineGraph.State.FAILED) {
                throw new IllegalStateException(g.failure());
            }
            Thread.sleep(1);
        }
    }

    /** Invoice changes made up as they are read (nothing kept), until stopped: the source of the outage run. */
    static final class Endless implements Source {
        private volatile boolean stopped;
        volatile long emitted;

        @Override
        public void run(java.util.Optional<SourcePosition> from, io.changepipe.source.ChangeEmitter emitter) throws InterruptedException {
            List<String> key = List.of("invoice_id");
            for (long n = 0; !stopped; n++) {
                long id = n / 3;
                Op op = n % 3 == 0 ? Op.INSERT : Op.UPDATE;
                Row after = invoice(id, (int) (20 + n % 3));
                emitter.emit(io.changepipe.event.ChangeEvent.of(op, INVOICES, after, op == Op.INSERT ? null : invoice(id, 20), key,
                        new SourcePosition.Sequence(n)));
                emitted = n + 1;
            }
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    /** The seed pipeline with S3 unreachable for {@code during}: changes/s, live heap after GC and spool size over time. */
    void outage(Duration during) throws Exception {
        Path state = Files.createTempDirectory("bench-outage");
        Endless source = new Endless();
        PipelineGraph g = graph(seed, source, deadS3, state);
        g.start();
        var memory = ManagementFactory.getMemoryMXBean();
        long t0 = System.nanoTime();
        long end = t0 + during.toNanos();
        System.out.println("S3 unreachable:   elapsed   changes acked   changes/s   live heap after GC   spool on disk   in flight");
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            System.gc();
            double s = (System.nanoTime() - t0) / 1e9;
            long acked = g.acknowledged() instanceof SourcePosition.Sequence q ? q.value() + 1 : 0;
            System.out.printf("                 %6.0fs   %,13d   %,9.0f   %,15.1f MB   %,10.1f MB   %,9d%n", s, acked, acked / s,
                    memory.getHeapMemoryUsage().getUsed() / 1e6, size(state.resolve("spool")) / 1e6, g.inFlight());
        }
        System.out.printf("problems reported while S3 was down: %s%n", g.problems());
        g.kill();
        delete(state);
    }

    /** Bytes of the spool files (uploads come and go meanwhile: a file gone is 0). */
    static long size(Path dir) throws java.io.IOException {
        try (Stream<Path> sinks = Files.list(dir.resolve("invoices"))) {
            long total = 0;
            for (Path sink : sinks.toList()) {
                try (Stream<Path> files = Files.list(sink)) {
                    total += files.mapToLong(f -> f.toFile().length()).sum();
                }
            }
            return total;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int outageSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        // a Kinesis endpoint (e.g. the emulator of bin/services); by default one that only counts
        String kinesisEndpoint = args.length > 3 && args[3].startsWith("http") ? args[3] : null;
        // or a PutRecords round trip for the counting endpoint, in ms (a real stream answers in 10-50 ms)
        long latency = args.length > 3 && !args[3].startsWith("http") ? Long.parseLong(args[3]) : 0;
        if (kinesisEndpoint == null) {
            System.setProperty("aws.cborEnabled", "false");
        }
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        URI s3Endpoint = URI.create(System.getenv().getOrDefault("CHANGEPIPE_S3_ENDPOINT", "http://127.0.0.1:14573"));
        URI snsEndpoint = URI.create(System.getenv().getOrDefault("CHANGEPIPE_SNS_ENDPOINT", "http://127.0.0.1:14566"));
        try (CountingKinesis counting = new CountingKinesis();
                KinesisClient kinesis = KinesisClient.builder()
                        .endpointOverride(kinesisEndpoint != null ? URI.create(kinesisEndpoint) : counting.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                S3Client s3 = S3Client.builder().endpointOverride(s3Endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                S3Client dead = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:9")).forcePathStyle(true)
                        .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                SnsClient sns = SnsClient.builder().endpointOverride(snsEndpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            try {
                s3.createBucket(b -> b.bucket(BUCKET));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                // exists already
            }
            sns.createTopic(t -> t.name(TOPIC));
            counting.latencyMillis = latency;
            DeliveryBench bench = new DeliveryBench(kinesis, s3, dead, sns);
            int changes = log(rows).events().size();
            System.out.printf("%,d changes a round (%,d invoices: insert, 2 updates, 1/4 deleted), %d rounds each, alternating; "
                    + "Kinesis: %s%n", changes, rows, rounds, kinesisEndpoint != null ? kinesisEndpoint : "a counting endpoint answering in " + latency + " ms");
            if (rounds > 0) {
                bench.run(bench.kinesisOnly(), rows / 4); // warm-up
                bench.run(bench.seed, rows / 4);
            }
            List<Double> alone = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            List<Double> aloneCpu = new ArrayList<>();
            List<Double> allCpu = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                alone.add(bench.run(bench.kinesisOnly(), rows));
                aloneCpu.add(bench.lastCpuMicros);
                all.add(bench.run(bench.seed, rows));
                allCpu.add(bench.lastCpuMicros);
                System.out.printf("round %d: kinesis alone %,8.0f changes/s (%.1f µs CPU/change)   all four sinks %,8.0f changes/s (%.1f µs)%n",
                        i + 1, alone.get(i), aloneCpu.get(i), all.get(i), allCpu.get(i));
            }
            double a = rounds > 0 ? median(alone) : 0;
            double b = rounds > 0 ? median(all) : 0;
            System.out.printf(rounds == 0 ? "" : "median: kinesis alone %,8.0f changes/s (%.1f µs CPU/change), all four sinks %,8.0f changes/s (%.1f µs): "
                    + "ratio %.2f (aim >= 0.80)%n", a, rounds > 0 ? median(aloneCpu) : 0, b, rounds > 0 ? median(allCpu) : 0, b / a);
            if (System.getProperty("bench.each") != null) {
                for (String type : List.of("s3-batch", "s3-csv", "sns")) {
                    System.out.printf("kinesis + %s: %,8.0f changes/s (%.1f µs CPU/change)%n", type,
                            bench.run(bench.only(List.of("kinesis", type)), rows), bench.lastCpuMicros);
                }
            }
            if (outageSeconds > 0) {
                bench.outage(Duration.ofSeconds(outageSeconds));
            }
        }
    }
}
