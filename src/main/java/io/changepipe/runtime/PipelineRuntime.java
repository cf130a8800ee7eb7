package io.changepipe.runtime;

import io.changepipe.compile.PipelineCompiler;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.offset.PositionStore;
import io.changepipe.sink.DeadLetters;
import io.changepipe.stats.TableStatistics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs pipelines, each on its own: one that cannot start or fails is reported with its reason and the others keep
 * running. A pipeline whose source or sink kind has no plugin yet stays "defined" and says what it waits for.
 */
public final class PipelineRuntime {

    private static final Logger LOG = Logger.getLogger(PipelineRuntime.class);

    /** What the status page and health show of one pipeline. */
    public record Status(String state, String reason) {
    }

    private final Plugins plugins;
    private final PositionStore store;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Function<String, TableStatistics.Listener> metrics;
    private final PipelineGraph.Settings settings;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Status> waiting = new ConcurrentHashMap<>();

    private record Running(PipelineGraph graph, TableStatistics stats) {
    }

    public PipelineRuntime(Plugins plugins, PositionStore store, DeadLetters deadLetters, Clock clock,
            Function<String, TableStatistics.Listener> metrics, PipelineGraph.Settings settings) {
        this.plugins = plugins;
        this.store = store;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Starts a pipeline, or records why it cannot start; never throws. */
    public void start(PipelineDef def) {
        List<String> missing = plugins.missing(def.source().type(), def.sinks().stream().map(SinkDef::type).toList());
        if (!missing.isEmpty()) {
            waiting.put(def.name(), new Status("defined", "not runnable yet: no plugin for " + String.join(", ", missing)));
            LOG.infof("pipeline %s: defined; not runnable yet: no plugin for %s", def.name(), String.join(", ", missing));
            return;
        }
        TableStatistics stats = new TableStatistics(clock, metrics.apply(def.name()));
        try {
            PipelineGraph.Parts parts = new PipelineCompiler(plugins, clock).compile(def);
            PipelineGraph graph = new PipelineGraph(def.name(), parts, new PipelineGraph.Services(store, deadLetters, stats::count,
                    new PipelineGraph.LoadListener(stats::fullLoadStarted, stats::fullLoadFinished)), settings);
            graph.start();
            running.put(def.name(), new Running(graph, stats));
        } catch (Exception | LinkageError e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            running.remove(def.name());
            waiting.put(def.name(), new Status("failed", reason));
            LOG.errorf("pipeline %s: cannot start: %s", def.name(), reason);
        }
    }

    /**
     * Stops every pipeline cleanly and at once: sinks deliver what they hold and positions are stored; each pipeline's
     * stop is bounded in time, so a stalled one cannot keep the others from storing theirs.
     */
    public void stopAll() {
        List<Thread> stopping = running.entrySet().stream().map(e -> new Thread(() -> {
            try {
                e.getValue().graph().stop();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }, "changepipe-" + e.getKey() + "-stop")).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
        waiting.clear();
    }

    public Status status(String pipeline) {
        Running r = running.get(pipeline);
        if (r != null) {
            PipelineGraph g = r.graph();
            List<String> problems = g.problems();
            String reason = g.failure() != null ? g.failure() : problems.isEmpty() ? null : String.join("; ", problems);
            return new Status(g.state().name().toLowerCase(java.util.Locale.ROOT), reason);
        }
        return waiting.getOrDefault(pipeline, new Status("defined", null));
    }

    public List<TableStatistics.Snapshot> tables(String pipeline) {
        Running r = running.get(pipeline);
        return r == null ? List.of() : r.stats().snapshot();
    }
}
