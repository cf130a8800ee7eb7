package io.changepipe.web;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser.FileResult;
import io.changepipe.definition.yaml.PipelineSchema;
import io.changepipe.definition.yaml.Problem;
import io.changepipe.runtime.PipelineRegistry;
import io.changepipe.runtime.PipelineRuntime;
import io.changepipe.stats.TableStatistics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the service runs, as JSON: pipelines, their sources and sinks, and files rejected with their problems. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PipelinesResource {

    /** A pipeline as the status page shows it; never its connection details or secrets. */
    public record PipelineView(String name, String file, String state, String reason, String source, String migrationType,
            List<SinkView> sinks) {
    }

    public record SinkView(String name, String type) {
    }

    public record RejectedFile(String file, List<String> problems) {
    }

    public record Overview(String directory, List<PipelineView> pipelines, List<RejectedFile> rejected) {
    }

    private final PipelineRegistry registry;
    private final PipelineRuntime runtime;

    public PipelinesResource(PipelineRegistry registry, PipelineRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    @GET
    @Path("pipelines")
    public Overview pipelines() {
        PipelineRegistry.Snapshot s = registry.snapshot();
        return new Overview(s.dir().toString(), s.pipelines().stream().map(this::view).toList(),
                s.invalid().stream().map(PipelinesResource::rejected).toList());
    }

    @GET
    @Path("pipelines/{name}")
    public PipelineView pipeline(@PathParam("name") String name) {
        return registry.snapshot().pipelines().stream().filter(p -> p.name().equals(name)).findFirst()
                .map(this::view).orElseThrow(() -> new NotFoundException("no pipeline named " + name));
    }

    /** DMS-style table statistics of a pipeline (DescribeTableStatistics' fields). */
    @GET
    @Path("pipelines/{name}/tables")
    public List<TableStatistics.Snapshot> tables(@PathParam("name") String name) {
        pipeline(name);
        return runtime.tables(name);
    }

    /** The JSON Schema of pipeline files, for editors: {@code # yaml-language-server: $schema=http://host:8080/schema}. */
    @GET
    @Path("schema")
    public String schema() {
        return PipelineSchema.json();
    }

    private PipelineView view(PipelineDef p) {
        PipelineRuntime.Status st = runtime.status(p.name());
        return new PipelineView(p.name(), p.file(), st.state(), st.reason(), p.source().type(), p.source().migrationType().wireName(),
                p.sinks().stream().map(s -> new SinkView(s.name(), s.type())).toList());
    }

    private static RejectedFile rejected(FileResult f) {
        return new RejectedFile(f.file(), f.problems().stream().map(Problem::toString).toList());
    }
}
