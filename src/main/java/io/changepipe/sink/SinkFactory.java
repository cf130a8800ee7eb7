package io.changepipe.sink;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;

/** Makes sinks of kind {@link #type()} ({@code spec.sinks[].type}). */
public interface SinkFactory {

    String type();

    Sink create(PipelineDef pipeline, SinkDef sink);
}
