package io.changepipe.sink;

import io.changepipe.event.ChangeEvent;

/** One change as a sink receives it: the transformed event and its partition key; {@code sequence} orders it in the pipeline. */
public record SinkRecord(long sequence, ChangeEvent event, String partitionKey) {
}
