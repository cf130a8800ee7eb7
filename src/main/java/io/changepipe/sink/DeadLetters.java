package io.changepipe.sink;

/** Where records a sink can never deliver go, with the reason; nothing is dropped silently. */
public interface DeadLetters {

    void write(String pipeline, String sink, SinkRecord record, String reason);
}
