package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisServiceClientConfiguration;

/** What the plugin makes of a pipeline: the record's DMS JSON with the key type of its table, and a client for the region. */
class KinesisSinkFactoryTest {

    static PipelineDef pipeline(String sink) {
        String yaml = """
                apiVersion: changepipe.io/v1
                kind: Pipeline
                metadata: { name: shop }
                spec:
                  source: { type: mysql, connection: { host: h, user: u, password: "${env:P}" }, migrationType: cdc }
                  tableMappings:
                    rules:
                      - { rule-type: selection, rule-id: "1", rule-name: all, object-locator: { schema-name: shop, table-name: "%" }, rule-action: include }
                      - { rule-type: object-mapping, rule-id: "2", rule-name: audit, rule-action: map-record-to-document,
                          object-locator: { schema-name: shop, table-name: audit }, mapping-parameters: { partition-key-type: schema-table } }
                  partitionKey: { type: primary-key, includeSchemaTable: true }
                  message: { format: json-unformatted }
                  sinks: [ SINK ]
                """.replace("SINK", sink);
        return new PipelineParser(n -> "p", true).parse("shop.yaml", Path.of("."), yaml).pipelines().get(0);
    }

    static ChangeEvent insert(String table) {
        return ChangeEvent.of(Op.INSERT, new TableId("shop", table), Row.of("id", 1L), null, List.of("id"), new SourcePosition.Sequence(1));
    }

    @Test
    void theRecordIsTheDmsJsonWithTheKeyTypeOfItsTable() throws Exception {
        PipelineDef p = pipeline("{ name: s, type: kinesis, stream: x }");
        var encoder = KinesisSinkFactory.encoder(p, Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC));
        JsonNode orders = new ObjectMapper().readTree(encoder.apply(new SinkRecord(1, insert("orders"), "shop.orders.1")));
        assertEquals("{\"data\":{\"id\":1},\"metadata\":{\"timestamp\":\"2026-11-21T12:00:00.000000Z\",\"record-type\":\"data\","
                + "\"operation\":\"insert\",\"partition-key-type\":\"primary-key\",\"schema-name\":\"shop\",\"table-name\":\"orders\"}}",
                orders.toString());
        JsonNode audit = new ObjectMapper().readTree(encoder.apply(new SinkRecord(2, insert("audit"), "shop.audit")));
        assertEquals("schema-table", audit.get("metadata").get("partition-key-type").asText(), "the object-mapping override's type");
    }

    /** A client the environment cannot build, as the SDK's default chain fails without a region. */
    static KinesisClient unbuildable() {
        return new KinesisClient() {
            @Override
            public KinesisServiceClientConfiguration serviceClientConfiguration() {
                throw SdkClientException.create("Unable to load region from any of the providers in the chain");
            }

            @Override
            public String serviceName() {
                return "kinesis";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void withoutARegionInTheEnvironmentTheSinksRegionIsUsedOrTheErrorSaysWhereToSetOne() {
        KinesisSinkFactory factory = new KinesisSinkFactory(unbuildable(), null);
        PipelineDef withRegion = pipeline("{ name: s, type: kinesis, stream: x, region: eu-west-1 }");
        try (Sink sink = factory.create(withRegion, withRegion.sinks().get(0))) {
            assertInstanceOf(KinesisSink.class, sink);
        } finally {
            factory.close();
        }
        PipelineDef without = pipeline("{ name: s, type: kinesis, stream: x }");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory.create(without, without.sinks().get(0)));
        assertEquals("sink s: no AWS region for Kinesis (Unable to load region from any of the providers in the chain); set region on"
                + " the sink, AWS_REGION, or changepipe.kinesis.region", e.getMessage());
    }
}
