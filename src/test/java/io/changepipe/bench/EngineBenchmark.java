package io.changepipe.bench;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.partition.PartitionKeyStrategy;
import io.changepipe.partition.PartitionKeys;
import io.changepipe.rules.RuleEngine;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rules + expression + partition key + DMS JSON encoding per event, on a 10-column table with 3 rules (a filtered
 * selection, a column rename, an add-column expression). Run with {@code bin/bench}; prints events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

    static final String PIPELINE = """
            apiVersion: changepipe.io/v1
            kind: Pipeline
            metadata: { name: bench }
            spec:
              source: { type: mysql, connection: { host: h, user: u, password: "${env:P}" }, migrationType: cdc }
              tableMappings:
                rules:
                  - { rule-type: selection, rule-id: "1", rule-name: sel, object-locator: { schema-name: shop, table-name: orders }, rule-action: include,
                      filters: [ { filter-type: source, column-name: status, filter-conditions: [ { filter-operator: noteq, value: "deleted" } ] } ] }
                  - { rule-type: transformation, rule-id: "2", rule-name: ren, rule-action: rename, rule-target: column,
                      object-locator: { schema-name: shop, table-name: orders, column-name: cust }, value: customer_id }
                  - { rule-type: transformation, rule-id: "3", rule-name: total, rule-action: add-column, rule-target: column,
                      object-locator: { schema-name: shop, table-name: orders }, value: total_with_tax,
                      expression: "round($amount * 1.2, 2)", data-type: { type: numeric, precision: 12, scale: 2 } }
              partitionKey: { type: primary-key, includeSchemaTable: true }
              message: { format: json-unformatted, includeTransactionDetails: true }
              sinks: [ { name: s, type: kinesis, stream: x } ]
            """;

    static final Columns COLUMNS = Columns.of("id", "cust", "status", "amount", "qty", "sku", "note", "created", "shipped", "flag");
    static final TableId ORDERS = new TableId("shop", "orders");

    RuleEngine rules;
    PartitionKeyStrategy keys;
    DmsJsonEncoder encoder;
    ChangeEvent[] events;
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    int next;

    @Setup
    public void setup() {
        PipelineDef def = new PipelineParser(n -> "p", true).parse("bench.yaml", Path.of("."), PIPELINE).pipelines().get(0);
        Clock clock = Clock.systemUTC();
        rules = RuleEngine.compile(def.tableMappings(), PipelineCompiler.expressions(clock));
        keys = PartitionKeys.of(def.partitionKey(), def.tableMappings().rules(TableMappingDef.ObjectMapping.class));
        encoder = new DmsJsonEncoder(def.message(), clock);
        events = new ChangeEvent[1024];
        for (int i = 0; i < events.length; i++) {
            Row row = new Row(COLUMNS, new Object[] {(long) i, 1000L + i % 97, i % 10 == 0 ? "deleted" : "open",
                new BigDecimal("19.99").add(BigDecimal.valueOf(i % 50)), (long) (i % 7), "SKU-" + i, "note " + i,
                LocalDateTime.of(2026, 11, 21, 12, 0).plusSeconds(i), LocalDate.of(2026, 11, 22), i % 2 == 0});
            events[i] = new ChangeEvent(Op.INSERT, ORDERS, row, null, List.of("id"), Instant.parse("2026-11-21T12:00:00Z"),
                    Long.toString(9_000_000L + i / 10), i % 10 + 1, null, 0, new SourcePosition.BinlogPosition("mariadb-bin.000001", 4 + i * 100L, 0, ""), null);
        }
    }

    /** One event through rules, key and encoding; returns the encoded size so nothing is optimised away. */
    @Benchmark
    public int rulesKeyAndEncode() {
        ChangeEvent e = events[next++ & 1023];
        Optional<ChangeEvent> out1 = rules.process(e);
        if (out1.isEmpty()) {
            return 0;
        }
        ChangeEvent t = out1.get();
        out.reset();
        encoder.encode(t, keys.key(t), keys.typeName(), out);
        return out.size();
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
