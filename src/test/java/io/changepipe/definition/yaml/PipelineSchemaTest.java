package io.changepipe.definition.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The published schema is the parser's own key set (sizes and durations with units are range-checked only by the parser): regenerate with {@code bin/changepipe schema > docs/pipeline.schema.json}. */
class PipelineSchemaTest {

    static final Path PUBLISHED = Path.of("docs/pipeline.schema.json");
    final ObjectMapper json = new ObjectMapper();

    @Test
    void thePublishedSchemaIsTheOneTheParserDescribes() throws IOException {
        assertEquals(PipelineSchema.json(), Files.readString(PUBLISHED),
                "docs/pipeline.schema.json is stale: run bin/changepipe schema > docs/pipeline.schema.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipelines/invoices.yaml", "src/test/resources/pipelines/good/everything.yaml",
            "src/test/resources/pipelines/good/sqlserver.yaml", "src/test/resources/pipelines/good/s3csv.yaml"})
    void filesTheParserAcceptsAreValidForTheSchema(String file) throws IOException {
        Set<ValidationMessage> errors = schema().validate(yamlAsJson(Path.of(file)));
        assertEquals(Set.of(), errors);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key-did-you-mean", "sinks-empty", "kinesis-bad-region", "wrong-api-version", "unknown-source-type",
            "kinesis-max-records-too-many", "bad-migration-type", "missing-sinks", "literal-password", "port-out-of-range"})
    void filesTheParserRejectsForTheirShapeAreInvalidForTheSchemaToo(String name) throws IOException {
        Path f = Path.of("src/test/resources/pipelines/bad/" + name + ".yaml");
        assertFalse(schema().validate(yamlAsJson(f)).isEmpty(), name + " must fail the schema as it fails the parser");
    }

    @Test
    void everyObjectForbidsUnknownKeys() throws IOException {
        JsonNode defs = json.readTree(PipelineSchema.json()).get("definitions");
        defs.fields().forEachRemaining(e -> {
            if ("object".equals(e.getValue().path("type").asText())) {
                assertTrue(e.getValue().has("additionalProperties"), e.getKey());
            }
        });
    }

    private JsonSchema schema() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(PipelineSchema.json());
    }

    private JsonNode yamlAsJson(Path file) throws IOException {
        Object tree = PipelineParser.yaml().load(Files.readString(file));
        return json.valueToTree(tree);
    }
}
