package io.changepipe.compile;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.sink.Sink;

/** Makes sinks of kind {@link #type()} ({@code spec.sinks[].type}). */
public interface SinkFactory {

    String type();

    Sink create(PipelineDef pipeline, SinkDef sink);
}
