package io.changepipe.source.mysql;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.SinkRecord;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.stats.TableStatistics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Pipelines compiled by the real compiler (rules, keys) around the MySQL source, into sinks the test hands in. */
final class Graphs {

    static final PipelineGraph.Settings SETTINGS = new PipelineGraph.Settings(10_000, Duration.ofMillis(50),
            PipelineGraph.Settings.DEFAULT.sinks()).withSinkBackoff(Duration.ofMillis(1), Duration.ofMillis(20)).withBatch(500, Duration.ofMillis(2));

    static final MySqlSource.Settings SOURCE = MySqlSource.Settings.DEFAULT.withProgressEvery(Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    private Graphs() {
    }

    /** The MySQL source plugin with test timings. */
    static SourceFactory mysql() {
        return new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return new MySqlSource(p.name(), (SourceDef.MySql) p.source(), p.tableMappings(), SOURCE);
            }
        };
    }

    /** Sink plugins of the four kinds that hand out {@code sinks.apply(sinkName)}. */
    static List<SinkFactory> sinks(Function<String, Sink> sinks) {
        return List.of("kinesis", "s3-batch", "s3-csv", "sns").stream().map(type -> (SinkFactory) new SinkFactory() {
            public String type() {
                return type;
            }

            public Sink create(PipelineDef p, SinkDef s) {
                return sinks.apply(s.name());
            }
        }).toList();
    }

    /** Compiles and starts a graph whose only sink ({@code stream}) is {@code sink}; positions live under {@code state}. */
    static PipelineGraph start(PipelineDef def, Path state, Sink sink, TableStatistics stats) throws Exception {
        PipelineGraph.Parts parts = new PipelineCompiler(new Plugins(List.of(mysql()), sinks(n -> sink)), Clock.systemUTC()).compile(def);
        PipelineGraph g = new PipelineGraph(def.name(), parts, new PipelineGraph.Services(new FilePositionStore(state),
                (p, s, r, reason) -> {
                    throw new AssertionError("dead letter " + s + ": " + reason);
                }, stats::count, new PipelineGraph.LoadListener(stats::fullLoadStarted, stats::fullLoadFinished)), SETTINGS);
        g.start();
        return g;
    }

    /** A sink that keeps what it is sent (in order) and never fails. */
    static final class Recording implements Sink {
        final List<SinkRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public io.smallrye.mutiny.Uni<List<io.changepipe.sink.Outcome>> write(List<SinkRecord> batch) {
            records.addAll(batch);
            return io.smallrye.mutiny.Uni.createFrom().item(batch.stream().map(r -> io.changepipe.sink.Outcome.DONE).toList());
        }
    }
}
