package io.changepipe.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.FileDeadLetters;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.ChangeEmitter;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import io.changepipe.source.memory.MemorySource;
import io.changepipe.stats.TableStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed pipeline file, compiled with its real rules and keys, run on in-memory plugins registered by type. */
class PipelineRuntimeTest {

    @TempDir
    Path state;

    final MemorySource source = new MemorySource();
    final Map<String, MemorySink> sinks = new ConcurrentHashMap<>();
    PipelineRuntime runtime;

    SourceFactory memorySource(String type) {
        return new SourceFactory() {
            public String type() {
                return type;
            }

            public Source create(PipelineDef p) {
                return source;
            }
        };
    }

    SinkFactory memorySink(String type) {
        return new SinkFactory() {
            public String type() {
                return type;
            }

            public Sink create(PipelineDef p, SinkDef s) {
                return sinks.computeIfAbsent(p.name() + "/" + s.name(), k -> new MemorySink());
            }
        };
    }

    PipelineRuntime runtime(List<SourceFactory> sources) {
        Plugins plugins = new Plugins(sources, List.of(memorySink("kinesis"), memorySink("s3-batch"), memorySink("s3-csv"), memorySink("sns")));
        runtime = new PipelineRuntime(plugins, new FilePositionStore(state.resolve("positions")),
                new FileDeadLetters(state.resolve("dead-letters"), Clock.systemUTC()), Clock.systemUTC(), p -> (t, op) -> { },
                PipelineGraph.Settings.DEFAULT.withBatch(100, Duration.ofMillis(2)));
        return runtime;
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stopAll();
        }
    }

    static PipelineDef seed(String name) throws Exception {
        String text = Files.readString(Path.of("pipelines/invoices.yaml")).replace("\n  name: invoices\n", "\n  name: " + name + "\n");
        return new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "secret" : null, true).parse(name + ".yaml", Path.of("pipelines"), text).pipelines().get(0);
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder b = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("changepipe-healthy")) {
                        b.append("\n").append(t.getName()).append(" ").append(t.getState());
                        for (int i = 0; i < Math.min(12, st.length); i++) {
                            b.append("\n    ").append(st[i]);
                        }
                    }
                });
                throw new AssertionError("timed out waiting for " + what + b);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void theSeedPipelineSelectsItsTableKeysByPrimaryKeyAndFansOutToEverySink() throws Exception {
        runtime(List.of(memorySource("mysql"))).start(seed("invoices"));
        TableId invoices = new TableId("democustomer", "invoices");
        for (long i = 1; i <= 10; i++) {
            source.append(Op.LOAD, invoices, Row.of("invoice_id", i, "monthly_kwh_use", 40 + i), null, List.of("invoice_id"));
        }
        source.append(Op.INSERT, new TableId("democustomer", "payments"), Row.of("id", 1L), null, List.of("id"));
        source.append(Op.UPDATE, invoices, Row.of("invoice_id", 7L, "monthly_kwh_use", 60L), Row.of("invoice_id", 7L, "monthly_kwh_use", 47L), List.of("invoice_id"));
        await(() -> sinks.size() == 4 && sinks.values().stream().allMatch(s -> s.delivered().size() == 11), "11 invoice changes in each sink");
        MemorySink stream = sinks.get("invoices/stream");
        assertEquals("democustomer.invoices.7", stream.delivered().get(10).partitionKey(), "includeSchemaTable: schema.table.pk");
        assertEquals("democustomer.invoices.7", stream.delivered().get(6).partitionKey(), "a row's load and update share a key");
        assertTrue(stream.delivered().stream().noneMatch(r -> r.event().table().table().equals("payments")), "payments is not selected");
        assertEquals(new PipelineRuntime.Status("running", null), runtime.status("invoices"));
        await(() -> runtime.tables("invoices").size() == 1 && runtime.tables("invoices").get(0).updates() == 1, "statistics");
        TableStatistics.Snapshot t = runtime.tables("invoices").get(0);
        assertEquals(List.of(10L, 1L, 0L), List.of(t.fullLoadRows(), t.updates(), t.inserts()));
        runtime.stopAll();
        assertEquals(Optional.of(new SourcePosition.Sequence(11)), new FilePositionStore(state.resolve("positions")).load("invoices"),
                "a clean stop stores the position of the last change, the unselected one included");
    }

    @Test
    void aPipelineThatFailsDoesNotStopAnother() throws Exception {
        Source broken = new Source() {
            public void run(Optional<SourcePosition> from, ChangeEmitter emitter) {
                throw new IllegalStateException("binlog_format is STATEMENT; set binlog_format=ROW");
            }

            public void stop() {
            }
        };
        SourceFactory byName = new SourceFactory() {
            public String type() {
                return "mysql";
            }

            public Source create(PipelineDef p) {
                return p.name().equals("broken") ? broken : source;
            }
        };
        runtime(List.of(byName));
        runtime.start(seed("broken"));
        runtime.start(seed("healthy"));
        source.append(Op.INSERT, new TableId("democustomer", "invoices"), Row.of("invoice_id", 1L), null, List.of("invoice_id"));
        await(() -> runtime.status("broken").state().equals("failed"), "the broken pipeline fails");
        assertEquals("binlog_format is STATEMENT; set binlog_format=ROW", runtime.status("broken").reason());
        await(() -> sinks.containsKey("healthy/stream") && sinks.get("healthy/stream").delivered().size() == 1, "the healthy one delivers");
        assertEquals("running", runtime.status("healthy").state());
    }

    @Test
    void withoutPluginsAPipelineStaysDefinedAndSaysWhatItWaitsFor() throws Exception {
        runtime = new PipelineRuntime(new Plugins(List.of(), List.of(memorySink("sns"))), new FilePositionStore(state),
                new FileDeadLetters(state, Clock.systemUTC()), Clock.systemUTC(), p -> (t, op) -> { }, PipelineGraph.Settings.DEFAULT);
        runtime.start(seed("invoices"));
        assertEquals(new PipelineRuntime.Status("defined", "not runnable yet: no plugin for source mysql, sink kinesis, sink s3-batch, sink s3-csv"),
                runtime.status("invoices"));
    }

    @Test
    void aPipelineWhosePositionFileCannotBeReadShowsFailedWithTheReason() throws Exception {
        Files.createDirectories(state.resolve("positions"));
        Files.writeString(state.resolve("positions/broken.position"), "garbage");
        PipelineRuntime r = runtime(List.of(memorySource("mysql")));
        r.start(seed("broken"));
        PipelineRuntime.Status st = r.status("broken");
        assertEquals("failed", st.state());
        assertTrue(st.reason().contains("broken.position"), st.reason());
    }
}
