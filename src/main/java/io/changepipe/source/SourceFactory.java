package io.changepipe.source;

import io.changepipe.definition.PipelineDef;

/** Makes the source of a pipeline whose {@code spec.source.type} is {@link #type()}. */
public interface SourceFactory {

    String type();

    Source create(PipelineDef pipeline);
}
