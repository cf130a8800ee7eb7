package io.changepipe.runtime;

import io.changepipe.config.ChangepipeConfig;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.definition.yaml.PipelineParser.FileResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/** The pipeline files of the service's directory: which are valid and what is wrong with the others. */
@ApplicationScoped
public class PipelineRegistry {

    private static final Logger LOG = Logger.getLogger(PipelineRegistry.class);

    /** What the service knows of its directory, replaced as a whole on every load. */
    public record Snapshot(Path dir, List<FileResult> files, String error) {
        public List<PipelineDef> pipelines() {
            return files.stream().flatMap(f -> f.pipelines().stream()).toList();
        }

        public List<FileResult> invalid() {
            return files.stream().filter(f -> !f.valid()).toList();
        }
    }

    private final ChangepipeConfig config;
    private final PipelineRuntime runtime;
    private volatile Snapshot snapshot;

    public PipelineRegistry(ChangepipeConfig config, PipelineRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
        this.snapshot = new Snapshot(config.pipelines().dir(), List.of(), "not loaded yet");
    }

    void onStart(@Observes StartupEvent e) {
        if (config.pipelines().autoload()) {
            load(config.pipelines().dir());
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        runtime.stopAll();
    }

    /** Reads every pipeline file of {@code dir} and (re)starts its pipelines; a bad file is reported, the others run. */
    public synchronized Snapshot load(Path dir) {
        PipelineParser parser = new PipelineParser(System::getenv, true);
        Snapshot s;
        try {
            s = new Snapshot(dir, parser.parseDirectory(dir), null);
        } catch (IOException e) {
            s = new Snapshot(dir, List.of(), "cannot read pipeline directory " + dir + ": " + e.getMessage());
            LOG.errorf("%s; set CHANGEPIPE_PIPELINES_DIR to a directory of pipeline files", s.error());
        }
        for (FileResult f : s.files()) {
            f.problems().forEach(p -> LOG.errorf("pipeline file rejected: %s", p));
            f.pipelines().forEach(p -> LOG.infof("pipeline %s loaded from %s (%s source, %d sinks)", p.name(), p.file(),
                    p.source().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), p.sinks().size()));
        }
        runtime.stopAll();
        snapshot = s;
        if (config.pipelines().run()) {
            s.pipelines().forEach(runtime::start);
        }
        return s;
    }

    public Snapshot snapshot() {
        return snapshot;
    }
}
