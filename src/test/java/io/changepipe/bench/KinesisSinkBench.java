package io.changepipe.bench;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.kinesis.KinesisSinkFactory;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.source.memory.MemorySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;

/**
 * The Kinesis sink's records/s next to a plain PutRecords loop with the same client and record size (the ceiling),
 * against an endpoint that only counts ({@link CountingKinesis}) or any other ({@code --endpoint}, e.g. kinesalite),
 * CBOR off. Also the whole pipeline (memory source, rules, keys, runner, sink) and the change-to-acknowledgement
 * latency at a steady rate. Not a test: {@code bin/bench kinesis [--seconds N] [--rounds N] [--pad BYTES] [--rate N]
 * [--runner-batch N] [--endpoint URL]}.
 */
public final class KinesisSinkBench {

    static final String PIPELINE = """
            apiVersion: changepipe.io/v1
            kind: Pipeline
            metadata: { name: bench }
            spec:
              source: { type: mysql, connection: { host: h, user: u, password: "${env:P}" }, migrationType: cdc }
              tableMappings:
                rules:
                  - { rule-type: selection, rule-id: "1", rule-name: sel, object-locator: { schema-name: shop, table-name: orders }, rule-action: include }
              partitionKey: { type: primary-key, includeSchemaTable: true }
              message: { format: json-unformatted, includeTransactionDetails: true }
              sinks: [ { name: stream, type: kinesis, stream: bench, region: us-east-1, createIfMissing: true, shards: 4 } ]
            """;
    static final TableId ORDERS = new TableId("shop", "orders");
    static final Columns COLUMNS = Columns.of("id", "customer_id", "qty", "warehouse", "flag", "sku", "amount", "created", "note");
    static final int BATCH = 500;

    private final KinesisClient client;
    private final PipelineDef def;
    private final Duration warmup;
    private final Duration measure;
    private final String pad;
    private int runnerBatch = 500;

    KinesisSinkBench(KinesisClient client, Duration warmup, Duration measure, int pad) {
        this.client = client;
        this.def = new PipelineParser(n -> "p", true).parse("bench.yaml", Path.of("."), PIPELINE).pipelines().get(0);
        this.warmup = warmup;
        this.measure = measure;
        this.pad = "x".repeat(pad);
    }

    /** The workload of shared/reference/performance-targets.md: INT key, 3 INT, TINYINT, VARCHAR(64), DECIMAL(10,2), DATETIME(3). */
    Row row(long id) {
        return new Row(COLUMNS, new Object[] {id, 1000L + id % 97, id % 13, id % 5, id % 2, "SKU-" + id + "-abcdefghijklmnopqrstuvwxyz",
            new BigDecimal("19.99").add(BigDecimal.valueOf(id % 50)), LocalDateTime.of(2026, 11, 21, 12, 0).plusNanos(id * 1_000_000), pad});
    }

    ChangeEvent event(long id) {
        return ChangeEvent.of(Op.INSERT, ORDERS, row(id), null, List.of("id"), new SourcePosition.Sequence(id));
    }

    static String key(long id) {
        return "shop.orders." + id;
    }

    /** Runs {@code work} (which returns records done) for warmup, then for the measured time; records/s. */
    double rate(java.util.concurrent.Callable<Integer> work) throws Exception {
        long end = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < end) {
            work.call();
        }
        long n = 0;
        long start = System.nanoTime();
        end = start + measure.toNanos();
        while (System.nanoTime() < end) {
            n += work.call();
        }
        return n * 1e9 / (System.nanoTime() - start);
    }

    int recordSize() {
        DmsJsonEncoder json = new DmsJsonEncoder(def.message(), Clock.systemUTC());
        long total = 0;
        for (long i = 0; i < 1000; i++) {
            total += json.encode(event(i), key(i), "primary-key").length + key(i).length();
        }
        return (int) (total / 1000);
    }

    double plainLoop(int size, int threads) throws Exception {
        List<PutRecordsRequest> requests = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String k = key(t * BATCH + i);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(k).data(SdkBytes.fromByteArray(new byte[size - k.length()])).build());
            }
            requests.add(PutRecordsRequest.builder().streamName("bench").records(entries).build());
        }
        if (threads == 1) {
            return rate(() -> client.putRecords(requests.get(0)).records().size());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return rate(() -> {
                List<Future<Integer>> calls = new ArrayList<>();
                for (PutRecordsRequest r : requests) {
                    calls.add(pool.submit(() -> client.putRecords(r).records().size()));
                }
                int n = 0;
                for (Future<Integer> f : calls) {
                    n += f.get();
                }
                return n;
            });
        } finally {
            pool.shutdownNow();
        }
    }

    double sinkWrites() throws Exception {
        List<List<SinkRecord>> batches = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            List<SinkRecord> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                long id = (long) b * BATCH + i;
                batch.add(new SinkRecord(id, event(id), key(id)));
            }
            batches.add(batch);
        }
        try (Sink sink = new KinesisSinkFactory(client, new SimpleMeterRegistry()).create(def, def.sinks().get(0))) {
            int[] next = {0};
            return rate(() -> {
                List<Outcome> outcomes = sink.write(batches.get(next[0]++ % batches.size())).await().indefinitely();
                return (int) outcomes.stream().filter(o -> o == Outcome.DONE).count();
            });
        }
    }

    /** The compiled pipeline with a memory source, its kinesis sink wrapped by {@code wrap}. */
    PipelineGraph graph(MemorySource source, java.util.function.UnaryOperator<Sink> wrap, Path state) throws Exception {
        SourceFactory memory = new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return source;
            }
        };
        KinesisSinkFactory kinesis = new KinesisSinkFactory(client, new SimpleMeterRegistry());
        SinkFactory wrapped = new SinkFactory() {
            public String type() {
                return "kinesis";
            }

            public Sink create(PipelineDef p, SinkDef s) {
                return wrap.apply(kinesis.create(p, s));
            }
        };
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(memory), List.of(wrapped)), Clock.systemUTC()).compile(def);
        return new PipelineGraph("bench", parts, new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> {
            throw new IllegalStateException(reason);
        }, e -> { }), PipelineGraph.Settings.DEFAULT.withBatch(runnerBatch, Duration.ofMillis(20)));
    }

    /** Changes/s from a full memory source to every change acknowledged. */
    double pipeline(int changes) throws Exception {
        MemorySource source = new MemorySource();
        for (long i = 0; i < changes; i++) {
            source.append(Op.INSERT, ORDERS, row(i), null, List.of("id"));
        }
        Path state = Files.createTempDirectory("bench");
        PipelineGraph g = graph(source, s -> s, state);
        long start = System.nanoTime();
        g.start();
        while (!(g.acknowledged() instanceof SourcePosition.Sequence s && s.value() == changes - 1)) {
            if (g.state() == PipelineGraph.State.FAILED) {
                throw new IllegalStateException(g.failure());
            }
            Thread.sleep(1);
        }
        double rate = changes * 1e9 / (System.nanoTime() - start);
        g.stop();
        return rate;
    }

    /** Change appended to the source → acknowledged by the sink, at a steady {@code perSecond}; p50 and p99 in ms. */
    double[] latency(int perSecond, Duration during) throws Exception {
        MemorySource source = new MemorySource();
        int total = (int) (perSecond * during.toSeconds());
        long[] appended = new long[total];
        long[] acked = new long[total];
        Path state = Files.createTempDirectory("bench");
        PipelineGraph g = graph(source, inner -> new Sink() {
            public Uni<List<Outcome>> write(List<SinkRecord> records) {
                return inner.write(records).invoke(outcomes -> {
                    long now = System.nanoTime();
                    for (int i = 0; i < outcomes.size(); i++) {
                        if (outcomes.get(i) == Outcome.DONE) {
                            acked[(int) ((SourcePosition.Sequence) records.get(i).event().position()).value()] = now;
                        }
                    }
                });
            }

            public void close() {
                inner.close();
            }
        }, state);
        g.start();
        long start = System.nanoTime();
        long every = 1_000_000_000L / perSecond;
        for (int i = 0; i < total; i++) {
            long due = start + i * every;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            appended[i] = System.nanoTime();
            source.append(Op.INSERT, ORDERS, row(i), null, List.of("id"));
        }
        while (!(g.acknowledged() instanceof SourcePosition.Sequence s && s.value() == total - 1)) {
            Thread.sleep(1);
        }
        g.stop();
        // the first second is warm-up
        double[] ms = new double[total - perSecond];
        for (int i = perSecond; i < total; i++) {
            ms[i - perSecond] = (acked[i] - appended[i]) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[(int) (ms.length * 0.99)], ms[ms.length - 1]};
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    public static void main(String[] args) throws Exception {
        // the counting endpoint (and kinesalite) speak JSON only; read when the client is built
        System.setProperty("aws.cborEnabled", "false");
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        int seconds = Integer.parseInt(opts.getOrDefault("--seconds", "3"));
        int pad = Integer.parseInt(opts.getOrDefault("--pad", "0"));
        int rate = Integer.parseInt(opts.getOrDefault("--rate", "2000"));
        int runnerBatch = Integer.parseInt(opts.getOrDefault("--runner-batch", "500"));
        CountingKinesis counting = opts.containsKey("--endpoint") ? null : new CountingKinesis();
        URI endpoint = counting != null ? counting.endpoint() : URI.create(opts.get("--endpoint"));
        try (KinesisClient client = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            if (counting == null) {
                try {
                    client.createStream(b -> b.streamName("bench").shardCount(4));
                    client.waiter().waitUntilStreamExists(b -> b.streamName("bench"));
                } catch (ResourceInUseException e) {
                    // there already
                }
            }
            KinesisSinkBench bench = new KinesisSinkBench(client, Duration.ofSeconds(1), Duration.ofSeconds(seconds), pad);
            bench.runnerBatch = runnerBatch;
            int size = bench.recordSize();
            System.out.printf("endpoint %s, record %d bytes (DMS JSON + key), %d records a request, %d s measured%n",
                    counting != null ? "counting PutRecords endpoint" : endpoint, size, BATCH, seconds);
            // the machine is shared: alternate loop and sink, and compare each pair measured side by side
            int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "5"));
            double[] plains = new double[rounds];
            double[] sinks = new double[rounds];
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                plains[i] = bench.plainLoop(size, 1);
                sinks[i] = bench.sinkWrites();
                ratios[i] = sinks[i] / plains[i];
                System.out.printf("  round %d: plain loop %,8.0f, sink %,8.0f records/s (%.2fx)%n", i + 1, plains[i], sinks[i], ratios[i]);
            }
            double plain = median(plains);
            double sink = median(sinks);
            System.out.printf("plain PutRecords loop, 1 thread     %,10.0f records/s (median of %d)%n", plain, rounds);
            System.out.printf("KinesisSink.write (500 a write)     %,10.0f records/s (median), %.2fx the loop (median of the rounds' ratios)%n",
                    sink, median(ratios));
            System.out.printf("plain PutRecords loop, 8 threads    %,10.0f records/s%n", bench.plainLoop(size, 8));
            double whole = bench.pipeline(Math.max(50_000, (int) (sink * 10)));
            System.out.printf("whole pipeline (source→ack)         %,10.0f changes/s %.2fx the 1-thread loop (runner batches of %d)%n",
                    whole, whole / plain, runnerBatch);
            double[] lat = bench.latency(rate, Duration.ofSeconds(10));
            System.out.printf("change → ack at %,d changes/s       p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", rate, lat[0], lat[1], lat[2]);
        } finally {
            if (counting != null) {
                counting.close();
            }
        }
    }
}
