package io.changepipe.compile;

import io.changepipe.definition.PipelineDef;
import io.changepipe.source.Source;

/** Makes the source of a pipeline whose {@code spec.source.type} is {@link #type()}. */
public interface SourceFactory {

    String type();

    Source create(PipelineDef pipeline);
}
