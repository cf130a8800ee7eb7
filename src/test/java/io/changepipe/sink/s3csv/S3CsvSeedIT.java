package io.changepipe.sink.s3csv;

import io.changepipe.sink.s3.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.sink.SinkFactory;
import io.changepipe.source.SourceFactory;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Sink;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.Source;
import io.changepipe.source.memory.MemorySource;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The seed pipeline file's dms-csv sink, made by the real factory, writing to S3Proxy (bin/services): the CSV files
 * read back and applied in order (I/U/D) equal the invoices table after its full load and changes.
 */
class S3CsvSeedIT {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final Columns COLUMNS = Columns.of("invoice_id", "customer_id", "billing_date", "due_date", "balance", "monthly_kwh_use",
            "total_amount_due");
    static final Object[][] SEED = {
        {1L, 1219578L, "2022-04-15", "2022-04-30", 25L, 6L, "28"},
        {2L, 1365142L, "2022-04-15", "2022-04-28", null, 41L, "20.5"},
        {3L, 1368834L, "2022-04-15", "2022-05-05", null, 31L, "15.5"},
        {4L, 1226431L, "2022-04-15", "2022-04-28", null, 47L, "23.5"},
        {5L, 1499194L, "2022-04-15", "2022-05-01", null, 39L, "19.5"},
        {6L, 1221240L, "2022-04-15", "2022-05-02", null, 38L, "19"},
        {7L, 1235442L, "2022-04-15", "2022-04-27", null, 50L, "25"},
        {8L, 1306894L, "2022-04-15", "2022-05-02", null, 16L, "8"},
        {9L, 1343570L, "2022-04-15", "2022-05-03", null, 39L, "19.5"},
        {10L, 1465198L, "2022-04-15", "2022-05-04", null, 47L, "23.5"},
    };

    @TempDir
    Path state;

    final S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port()))
            .forcePathStyle(true).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create()).build();
    final String bucket = "it-s3csv-" + UUID.randomUUID().toString().substring(0, 8);
    final MemorySource source = new MemorySource();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T14:00:00Z"));
    final AtomicInteger read = new AtomicInteger();

    static int port() {
        String v = System.getenv("CHANGEPIPE_S3_PORT");
        return v == null ? 14573 : Integer.parseInt(v);
    }

    @AfterEach
    void close() {
        s3.close();
    }

    static Row invoice(Object[] v) {
        Object[] values = v.clone();
        values[2] = LocalDate.parse((String) v[2]);
        values[3] = LocalDate.parse((String) v[3]);
        return new Row(COLUMNS, values);
    }

    PipelineGraph start() throws Exception {
        String text = Files.readString(Path.of("pipelines/invoices.yaml")).replace("bucket: datalake", "bucket: " + bucket);
        PipelineDef def = new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "secret" : null, true)
                .parse("invoices.yaml", Path.of("pipelines"), text).pipelines().get(0);
        SourceFactory memory = new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return source;
            }
        };
        List<SinkFactory> sinks = new ArrayList<>(List.of(new S3CsvSinkFactory(s3, clock, Duration.ofMillis(5), state, 1L << 30)));
        for (String type : List.of("kinesis", "s3-batch", "sns")) {
            sinks.add(new SinkFactory() {
                public String type() {
                    return type;
                }

                public Sink create(PipelineDef p, SinkDef s) {
                    return new MemorySink();
                }
            });
        }
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(memory), sinks), clock).compile(def);
        PipelineGraph g = new PipelineGraph("invoices", parts,
                new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> { }, e -> read.incrementAndGet()),
                PipelineGraph.Settings.DEFAULT.withBatch(100, Duration.ofMillis(2)));
        g.start();
        return g;
    }

    List<String> keys() {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theCsvFilesAppliedInOrderEqualTheTableAfterFullLoadAndChanges() throws Exception {
        s3.createBucket(b -> b.bucket(bucket));
        PipelineGraph g = start();
        for (Object[] row : SEED) {
            source.append(Op.LOAD, INVOICES, invoice(row), null, List.of("invoice_id"));
        }
        await(() -> read.get() == 10, "the full load read");
        Object[] paid = SEED[1].clone();
        paid[4] = 10L;
        source.append(Op.UPDATE, INVOICES, invoice(paid), invoice(SEED[1]), List.of("invoice_id"));
        await(() -> read.get() == 11 && keys().size() == 1, "the first change ends the full-load file");
        clock.advance(Duration.ofSeconds(61));
        await(() -> keys().size() == 2, "cdcMaxBatchInterval writes the change file");
        source.append(Op.DELETE, INVOICES, null, invoice(SEED[2]), List.of("invoice_id"));
        source.append(Op.INSERT, INVOICES, invoice(new Object[] {11L, 1219578L, "2022-05-15", "2022-05-31", null, 52L, "26"}), null,
                List.of("invoice_id"));
        await(() -> read.get() == 13, "the changes read");
        g.stop();

        String dir = "raw/dms/democustomer/invoices/";
        assertEquals(List.of(dir + "20261121-140101000.csv", dir + "20261121-140101001.csv", dir + "LOAD00000001.csv"), keys());
        List<String> order = new ArrayList<>(keys());
        order.add(0, order.remove(2));
        Map<String, List<String>> table = new TreeMap<>();
        for (String key : order) {
            String csv = new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), StandardCharsets.UTF_8);
            for (CSVRecord r : CSVFormat.RFC4180.parse(new StringReader(csv))) {
                List<String> values = r.toList().subList(1, r.size());
                switch (r.get(0)) {
                    case "I", "U" -> table.put(values.get(0), values);
                    case "D" -> table.remove(values.get(0));
                    default -> throw new AssertionError("operation column " + r.get(0) + " in " + key);
                }
            }
        }
        Map<String, List<String>> expected = new TreeMap<>();
        for (Object[] row : SEED) {
            expected.put(row[0].toString(), text(row));
        }
        expected.put("2", text(paid));
        expected.remove("3");
        expected.put("11", text(new Object[] {11L, 1219578L, "2022-05-15", "2022-05-31", null, 52L, "26"}));
        assertEquals(expected, table);
    }

    static List<String> text(Object[] row) {
        return Arrays.stream(row).map(v -> v == null ? "" : v.toString()).toList();
    }
}
