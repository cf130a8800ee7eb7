package io.changepipe.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the pipeline directory was read, every file in it is valid, no pipeline failed or could not start, and no
 * sink is retrying a failing service; reasons in the data.
 */
@Readiness
@ApplicationScoped
public class PipelinesHealthCheck implements HealthCheck {

    private final PipelineRegistry registry;
    private final PipelineRuntime runtime;

    public PipelinesHealthCheck(PipelineRegistry registry, PipelineRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        PipelineRegistry.Snapshot s = registry.snapshot();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("pipelines")
                .withData("directory", s.dir().toString())
                .withData("pipelines", s.pipelines().size());
        if (s.error() != null) {
            return b.down().withData("error", s.error()).build();
        }
        s.invalid().forEach(f -> b.withData(f.file(), f.problems().size() + " problem(s), first: " + f.problems().get(0)));
        boolean failed = false;
        for (var p : s.pipelines()) {
            PipelineRuntime.Status st = runtime.status(p.name());
            b.withData("pipeline " + p.name(), st.state() + (st.reason() == null ? "" : ": " + st.reason()));
            // a sink retrying in the background (uploads failing) has a reason while running: not ready either
            failed |= st.state().equals("failed") || st.reason() != null;
        }
        return (s.invalid().isEmpty() && !failed ? b.up() : b.down()).build();
    }
}
