package io.changepipe.compile;

import io.changepipe.sink.SinkFactory;
import io.changepipe.source.SourceFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** Source and sink factories by type: one match, or an error that lists the choices. */
public final class Plugins {

    private final Map<String, SourceFactory> sources = new TreeMap<>();
    private final Map<String, SinkFactory> sinks = new TreeMap<>();

    public Plugins(Iterable<SourceFactory> sources, Iterable<SinkFactory> sinks) {
        sources.forEach(f -> register(this.sources, f.type(), f, "source"));
        sinks.forEach(f -> register(this.sinks, f.type(), f, "sink"));
    }

    private static <F> void register(Map<String, F> map, String type, F factory, String what) {
        F old = map.putIfAbsent(type, factory);
        if (old != null) {
            throw new IllegalStateException("two " + what + " plugins for type '" + type + "': "
                    + old.getClass().getName() + " and " + factory.getClass().getName());
        }
    }

    public SourceFactory source(String type) {
        return find(sources, type, "source");
    }

    public SinkFactory sink(String type) {
        return find(sinks, type, "sink");
    }

    /** What a pipeline needs that no plugin provides yet, e.g. "source mysql", "sink kinesis". */
    public List<String> missing(String sourceType, List<String> sinkTypes) {
        return java.util.stream.Stream.concat(
                Optional.of(sourceType).filter(t -> !sources.containsKey(t)).map(t -> "source " + t).stream(),
                sinkTypes.stream().distinct().filter(t -> !sinks.containsKey(t)).map(t -> "sink " + t)).toList();
    }

    private static <F> F find(Map<String, F> map, String type, String what) {
        F f = map.get(type);
        if (f == null) {
            throw new IllegalArgumentException("no " + what + " plugin for type '" + type + "' (available: "
                    + (map.isEmpty() ? "none" : String.join(", ", map.keySet())) + ")");
        }
        return f;
    }

}
