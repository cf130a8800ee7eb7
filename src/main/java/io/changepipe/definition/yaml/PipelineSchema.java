package io.changepipe.definition.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The JSON Schema of pipeline files, written from the same key declarations the parser reads with. */
public final class PipelineSchema {

    public static final String ID = "https://changepipe.io/schemas/pipeline-v1.json";

    private PipelineSchema() {
    }

    /** The schema as pretty JSON with a trailing newline (the text of {@code docs/pipeline.schema.json}). */
    public static String json() {
        SchemaDefs defs = new SchemaDefs();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", ID);
        root.put("title", "changepipe pipeline");
        root.putAll(PipelineParser.schemaDocument().schema(defs));
        root.put("definitions", new TreeMap<>(defs.all()));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    // Map.of iterates in a different order each JVM run; the published file must not
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
