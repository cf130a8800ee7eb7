package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.source.memory.MemorySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The repository's seed pipeline (pipelines/invoices.yaml: real rules, keys and DMS JSON through the compiler and the
 * kinesis plugin) fed the seed table's 10 rows, then updates, deletes and an insert, writing to kinesis-mock with the
 * real SDK client. The stream is read back shard by shard: every change once, as DMS JSON, each key in order; primary
 * keys spread over all 4 shards, schema-table and constant keys put everything on one.
 */
class KinesisSeedPipelineIT {

    static final KinesisClient CLIENT = LocalKinesis.client();
    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    final MemorySource source = new MemorySource();
    final List<PipelineGraph> graphs = new ArrayList<>();
    final List<String> streams = new ArrayList<>();

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (PipelineGraph g : graphs) {
            g.stop();
        }
        streams.forEach(s -> CLIENT.deleteStream(b -> b.streamName(s)));   // the emulator is shared and has a shard limit
    }

    /** The seed pipeline writing to a fresh stream, with {@code partitionKey} in place of its own. */
    static PipelineDef seed(String stream, String partitionKey) throws Exception {
        String text = Files.readString(Path.of("pipelines/invoices.yaml"))
                .replace("stream: invoices-cdc", "stream: " + stream)
                .replace("partitionKey: { type: primary-key, includeSchemaTable: true }", "partitionKey: " + partitionKey);
        return new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "secret" : null, true).parse("invoices.yaml", Path.of("pipelines"), text)
                .pipelines().get(0);
    }

    PipelineGraph run(PipelineDef def) throws Exception {
        SourceFactory mysql = new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return source;
            }
        };
        List<SinkFactory> sinks = new ArrayList<>(List.of(new KinesisSinkFactory(CLIENT, new SimpleMeterRegistry())));
        for (String type : List.of("s3-batch", "s3-csv", "sns")) {
            sinks.add(new SinkFactory() {
                public String type() {
                    return type;
                }

                public Sink create(PipelineDef p, SinkDef s) {
                    return new MemorySink();
                }
            });
        }
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(mysql), sinks), Clock.systemUTC()).compile(def);
        PipelineGraph g = new PipelineGraph(def.name(), parts, new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> {
            throw new AssertionError("dead letter from " + s + ": " + reason);
        }, e -> { }), PipelineGraph.Settings.DEFAULT.withBatch(100, Duration.ofMillis(5)));
        graphs.add(g);
        g.start();
        return g;
    }

    static Row invoice(long id, long customer, String billing, String due, Long balance, long kwh, String total) {
        return Row.of("invoice_id", id, "customer_id", customer, "billing_date", LocalDate.parse(billing), "due_date", LocalDate.parse(due),
                "balance", balance, "monthly_kwh_use", kwh, "total_amount_due", total);
    }

    /** demo/seed.sql's rows as a full load, then what the application does to them. */
    void seedChanges() {
        List<Row> rows = List.of(
                invoice(1, 1219578, "2022-04-15", "2022-04-30", 25L, 6, "28"),
                invoice(2, 1365142, "2022-04-15", "2022-04-28", null, 41, "20.5"),
                invoice(3, 1368834, "2022-04-15", "2022-05-05", null, 31, "15.5"),
                invoice(4, 1226431, "2022-04-15", "2022-04-28", null, 47, "23.5"),
                invoice(5, 1499194, "2022-04-15", "2022-05-01", null, 39, "19.5"),
                invoice(6, 1221240, "2022-04-15", "2022-05-02", null, 38, "19"),
                invoice(7, 1235442, "2022-04-15", "2022-04-27", null, 50, "25"),
                invoice(8, 1306894, "2022-04-15", "2022-05-02", null, 16, "8"),
                invoice(9, 1343570, "2022-04-15", "2022-05-03", null, 39, "19.5"),
                invoice(10, 1465198, "2022-04-15", "2022-05-04", null, 47, "23.5"));
        List<String> pk = List.of("invoice_id");
        rows.forEach(r -> source.append(Op.LOAD, INVOICES, r, null, pk));
        List<Row> current = new ArrayList<>(rows);
        for (int round = 1; round <= 3; round++) {
            for (int i : new int[] {1, 3, 6, 9}) {
                Row before = current.get(i);
                Row after = invoice(i + 1, (Long) before.get("customer_id"), "2022-04-15", "2022-05-10", (long) round * 10,
                        (Long) before.get("monthly_kwh_use") + round, before.get("total_amount_due") + "0");
                source.append(Op.UPDATE, INVOICES, after, before, pk);
                current.set(i, after);
            }
        }
        source.append(Op.DELETE, INVOICES, null, current.get(2), pk);
        source.append(Op.DELETE, INVOICES, null, current.get(7), pk);
        source.append(Op.INSERT, INVOICES, invoice(11, 1500000, "2022-05-15", "2022-05-31", null, 44, "22"), null, pk);
        source.append(Op.UPDATE, INVOICES, invoice(11, 1500000, "2022-05-15", "2022-05-31", 5L, 44, "22"),
                invoice(11, 1500000, "2022-05-15", "2022-05-31", null, 44, "22"), pk);
    }

    void awaitAcknowledged(PipelineGraph g) throws InterruptedException {
        long last = source.events().size() - 1;
        KinesisFaultScenarios.await(() -> g.acknowledged() instanceof SourcePosition.Sequence s && s.value() == last
                || g.state() == PipelineGraph.State.FAILED, "every change acknowledged");
        assertEquals(PipelineGraph.State.RUNNING, g.state(), g.failure());
    }

    /** Writes the seed changes with {@code partitionKey}; checks the stream holds them all, in order per key; returns records per shard. */
    Map<String, Integer> writeAndReadBack(String partitionKey, String keyType) throws Exception {
        String stream = "seed-" + UUID.randomUUID().toString().substring(0, 8);
        streams.add(stream);
        PipelineGraph g = run(seed(stream, partitionKey));
        seedChanges();
        awaitAcknowledged(g);
        List<StreamReader.Received> read = new StreamReader(CLIENT, stream, Duration.ofMillis(20)).readAll();
        List<ChangeEvent> events = source.events();
        assertEquals(events.size(), read.size(), "every change once");

        Map<String, Integer> perShard = new LinkedHashMap<>();
        Map<String, List<String>> positionsByKey = new LinkedHashMap<>();
        for (StreamReader.Received r : read) {
            JsonNode record = JSON.readTree(r.data());
            JsonNode meta = record.get("metadata");
            ChangeEvent e = events.get(Integer.parseInt(meta.get("stream-position").asText()));
            assertEquals(e.op().wireName(), meta.get("operation").asText());
            assertEquals(List.of("data", keyType, "democustomer", "invoices"), List.of(meta.get("record-type").asText(),
                    meta.get("partition-key-type").asText(), meta.get("schema-name").asText(), meta.get("table-name").asText()));
            Row image = e.image();
            assertEquals(image.get("invoice_id"), record.get("data").get("invoice_id").asLong());
            assertEquals(image.get("monthly_kwh_use"), record.get("data").get("monthly_kwh_use").asLong());
            assertEquals(image.get("total_amount_due"), record.get("data").get("total_amount_due").asText());
            assertEquals(image.get("due_date").toString(), record.get("data").get("due_date").asText());
            assertEquals(image.get("balance") == null, !record.get("data").has("balance"), "nulls are left out, as DMS does");
            perShard.merge(r.shardId(), 1, Integer::sum);
            positionsByKey.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(meta.get("stream-position").asText());
        }
        positionsByKey.forEach((key, positions) -> assertEquals(positions.stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a),
                Integer.parseInt(b))).toList(), positions, key + " in source order"));
        return perShard;
    }

    @Test
    void primaryKeysSpreadTheSeedChangesOverAllFourShardsEveryKeyInOrder() throws Exception {
        Map<String, Integer> perShard = writeAndReadBack("{ type: primary-key, includeSchemaTable: true }", "primary-key");
        assertEquals(4, perShard.size(), "records on every shard: " + perShard);
    }

    @Test
    void schemaTableKeysPutEveryChangeOnOneShard() throws Exception {
        Map<String, Integer> perShard = writeAndReadBack("{ type: schema-table }", "schema-table");
        assertEquals(1, perShard.size(), perShard.toString());
        assertEquals(new TreeSet<>(List.of(source.events().size())), new TreeSet<>(perShard.values()));
    }

    @Test
    void aConstantKeyPutsEveryChangeOnOneShard() throws Exception {
        Map<String, Integer> perShard = writeAndReadBack("{ type: constant, value: everything }", "constant");
        assertEquals(List.of(source.events().size()), List.copyOf(perShard.values()), perShard.toString());
    }
}
