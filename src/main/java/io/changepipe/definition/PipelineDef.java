package io.changepipe.definition;

import java.util.List;
import java.util.Map;

/** One pipeline file, parsed and validated: a source, the DMS table mappings, how keys are made, and its sinks. */
public record PipelineDef(
        String name,
        String file,
        Map<String, String> labels,
        SourceDef source,
        TableMappingDef tableMappings,
        PartitionKeyDef partitionKey,
        MessageDef message,
        List<SinkDef> sinks) {

    public PipelineDef {
        labels = Map.copyOf(labels);
        sinks = List.copyOf(sinks);
    }
}
