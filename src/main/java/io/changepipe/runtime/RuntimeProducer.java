package io.changepipe.runtime;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.sink.SinkFactory;
import io.changepipe.source.SourceFactory;
import io.changepipe.config.ChangepipeConfig;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.DeadLetters;
import io.changepipe.sink.FileDeadLetters;
import io.changepipe.stats.TableStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Builds the pipeline runtime from the plugins on the classpath and the state directory. */
@ApplicationScoped
public class RuntimeProducer {

    @Produces
    @ApplicationScoped
    PipelineRuntime runtime(ChangepipeConfig config, @Any Instance<SourceFactory> sources, @Any Instance<SinkFactory> sinks,
            MeterRegistry registry) {
        Clock clock = Clock.systemUTC();
        Plugins plugins = new Plugins(sources, sinks);
        DeadLetters files = new FileDeadLetters(config.state().dir().resolve("dead-letters"), clock);
        DeadLetters counted = (pipeline, sink, record, reason) -> {
            files.write(pipeline, sink, record, reason);
            registry.counter("changepipe.dead.letters", "pipeline", pipeline, "sink", sink).increment();
        };
        return new PipelineRuntime(plugins, new FilePositionStore(config.state().dir().resolve("positions")), counted, clock,
                pipeline -> counters(registry, pipeline), PipelineGraph.Settings.DEFAULT);
    }

    /** changepipe_changes_total{pipeline, schema, table, operation}: one counter per label set, looked up once. */
    private static TableStatistics.Listener counters(MeterRegistry registry, String pipeline) {
        Map<String, Counter> cache = new ConcurrentHashMap<>();
        return (TableId table, String operation) -> cache.computeIfAbsent(table + "\u0000" + operation,
                k -> Counter.builder("changepipe.changes").description("Changes selected by the pipeline's rules")
                        .tag("pipeline", pipeline).tag("schema", table.schema()).tag("table", table.table())
                        .tag("operation", operation).register(registry)).increment();
    }
}
