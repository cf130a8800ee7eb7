package io.changepipe.sink.s3batch;

import io.changepipe.sink.s3.MutableClock;
import io.changepipe.sink.s3.MemoryS3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.sink.SinkFactory;
import io.changepipe.source.SourceFactory;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Sink;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.Source;
import io.changepipe.source.memory.MemorySource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
 * The seed pipeline file (pipelines/invoices.yaml) compiled with its real rules and keys, its s3-batch sink made by
 * the real factory, writing to S3Proxy (bin/services) through the SDK: full load of the invoices rows, then changes.
 */
class S3BatchSeedIT {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> COLUMNS = List.of("invoice_id", "customer_id", "billing_date", "due_date", "balance",
            "monthly_kwh_use", "total_amount_due");
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
    final String bucket = "it-s3batch-" + UUID.randomUUID().toString().substring(0, 8);
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
        return new Row(io.changepipe.event.Columns.of(COLUMNS), values);
    }

    PipelineGraph start(String yamlChanges) throws Exception {
        String text = Files.readString(Path.of("pipelines/invoices.yaml")).replace("bucket: datalake", "bucket: " + bucket);
        text = text.replace("prefix: \"cdc/!{timestamp:yyyy/MM/dd/HH}/\"", yamlChanges);
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
        List<SinkFactory> sinks = new ArrayList<>(List.of(new S3BatchSinkFactory(s3, clock, state, 1L << 30)));
        for (String type : List.of("kinesis", "s3-csv", "sns")) {
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

    /** The seed: full load of the ten invoices, then an update, a delete and an insert. */
    void seed() {
        for (Object[] row : SEED) {
            source.append(Op.LOAD, INVOICES, invoice(row), null, List.of("invoice_id"));
        }
        Object[] paid = SEED[1].clone();
        paid[4] = 10L;
        source.append(Op.UPDATE, INVOICES, invoice(paid), invoice(SEED[1]), List.of("invoice_id"));
        source.append(Op.DELETE, INVOICES, null, invoice(SEED[2]), List.of("invoice_id"));
        source.append(Op.INSERT, INVOICES, invoice(new Object[] {11L, 1219578L, "2022-05-15", "2022-05-31", null, 52L, "26"}), null,
                List.of("invoice_id"));
    }

    List<String> keys() {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    List<JsonNode> records(String key) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String line : MemoryS3.lines(key, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())) {
            l.add(JSON.readTree(line));
        }
        return l;
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
    void theSeedScenarioIsOneGzipObjectOfOneLineDmsRecordsUnderTheHourPrefix() throws Exception {
        s3.createBucket(b -> b.bucket(bucket));
        PipelineGraph g = start("prefix: \"cdc/!{timestamp:yyyy/MM/dd/HH}/\"");
        seed();
        await(() -> read.get() == 13, "the pipeline read the seed");
        assertTrue(keys().isEmpty(), "under 1 MiB and 60 s nothing is written yet");
        g.stop();
        List<String> keys = keys();
        assertEquals(1, keys.size(), keys.toString());
        assertTrue(keys.get(0).matches("cdc/2026/11/21/14/invoices-lake-2026-11-21-14-00-00-[0-9a-f-]{36}\\.gz"), keys.get(0));
        List<JsonNode> records = records(keys.get(0));
        assertEquals(13, records.size());
        List<String> ops = records.stream().map(r -> r.get("metadata").get("operation").asText()).toList();
        assertEquals(List.of("load", "load", "load", "load", "load", "load", "load", "load", "load", "load", "update", "delete", "insert"), ops);
        for (JsonNode r : records) {
            assertEquals("data", r.get("metadata").get("record-type").asText());
            assertEquals("democustomer", r.get("metadata").get("schema-name").asText());
            assertEquals("invoices", r.get("metadata").get("table-name").asText());
            assertEquals("2026-11-21T14:00:00.000000Z", r.get("metadata").get("timestamp").asText());
        }
        // the table after the changes, rebuilt from the records, equals the expected table
        Map<Long, JsonNode> table = new LinkedHashMap<>();
        for (JsonNode r : records) {
            long id = r.get("data").get("invoice_id").asLong();
            if (r.get("metadata").get("operation").asText().equals("delete")) {
                table.remove(id);
            } else {
                table.put(id, r.get("data"));
            }
        }
        assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), List.copyOf(table.keySet()));
        assertEquals(JSON.readTree("{\"invoice_id\":1,\"customer_id\":1219578,\"billing_date\":\"2022-04-15\","
                + "\"due_date\":\"2022-04-30\",\"balance\":25,\"monthly_kwh_use\":6,\"total_amount_due\":\"28\"}"), table.get(1L));
        assertEquals(10, table.get(2L).get("balance").asLong());
        assertEquals(52, table.get(11L).get("monthly_kwh_use").asLong());
    }

    @Test
    void dynamicPartitionsAndTheErrorPrefixOnS3Proxy() throws Exception {
        s3.createBucket(b -> b.bucket(bucket));
        PipelineGraph g = start("prefix: \"tables/!{partition:table}/!{partition:billing_date}/\"");
        seed();
        source.append(Op.INSERT, INVOICES, Row.of("invoice_id", 12L, "billing_date", null), null, List.of("invoice_id"));
        await(() -> read.get() == 14, "the pipeline read the seed");
        g.stop();
        List<String> keys = keys();
        assertEquals(3, keys.size(), keys.toString());
        assertTrue(keys.get(0).startsWith("errors/processing-failed/invoices-lake-2026-11-21-14-00-00-"), keys.get(0));
        assertTrue(keys.get(1).startsWith("tables/invoices/2022-04-15/invoices-lake-"), keys.get(1));
        assertTrue(keys.get(2).startsWith("tables/invoices/2022-05-15/invoices-lake-"), keys.get(2));
        assertEquals(12, records(keys.get(1)).size());
        assertEquals(1, records(keys.get(2)).size());
        JsonNode error = records(keys.get(0)).get(0);
        assertEquals("IllegalArgumentException: partition column 'billing_date' is missing or null in democustomer.invoices",
                error.get("errorMessage").asText());
        assertEquals("13", error.get("stream-position").asText());
    }
}
