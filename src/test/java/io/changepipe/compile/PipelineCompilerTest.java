package io.changepipe.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.source.memory.MemorySource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineCompilerTest {

    static final String PIPELINE = """
            apiVersion: changepipe.io/v1
            kind: Pipeline
            metadata: { name: shop }
            spec:
              source: { type: mysql, connection: { host: h, user: u, password: "${env:P}" }, migrationType: cdc }
              tableMappings:
                rules:
                  - { rule-type: selection, rule-id: "1", rule-name: sel, object-locator: { schema-name: shop, table-name: "%" }, rule-action: include }
                  - { rule-type: transformation, rule-id: "2", rule-name: ren, rule-action: rename, rule-target: table,
                      object-locator: { schema-name: shop, table-name: Customers }, value: CustomerData }
                  - { rule-type: object-mapping, rule-id: "3", rule-name: by-name, rule-action: map-record-to-record,
                      object-locator: { schema-name: shop, table-name: Customers },
                      mapping-parameters: { partition-key-type: attribute-name, partition-key-name: name } }
              sinks: [ { name: s, type: kinesis, stream: x } ]
            """;

    @Test
    void perTableKeyRulesMatchTheSourceTableEvenWhenRulesRenameIt() {
        PipelineDef def = new PipelineParser(n -> "p", true).parse("shop.yaml", Path.of("."), PIPELINE).pipelines().get(0);
        Plugins plugins = new Plugins(List.of(new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return new MemorySource();
            }
        }), List.of(new SinkFactory() {
            public String type() {
                return "kinesis";
            }

            public Sink create(PipelineDef p, SinkDef s) {
                return new MemorySink();
            }
        }));
        PipelineGraph.Parts parts = new PipelineCompiler(plugins, Clock.systemUTC()).compile(def);
        ChangeEvent read = ChangeEvent.of(Op.INSERT, new TableId("shop", "Customers"), Row.of("id", 7L, "name", "Ada"), null,
                List.of("id"), new SourcePosition.Sequence(0));
        ChangeEvent processed = parts.processor().process(read).orElseThrow();
        assertEquals(new TableId("shop", "CustomerData"), processed.table());
        assertEquals("Ada", parts.keys().key(read, processed), "the object-mapping rule of shop.Customers keys by name");
        ChangeEvent other = ChangeEvent.of(Op.INSERT, new TableId("shop", "orders"), Row.of("id", 9L), null, List.of("id"),
                new SourcePosition.Sequence(1));
        assertEquals("shop.orders.9", parts.keys().key(other, parts.processor().process(other).orElseThrow()));
    }
}
