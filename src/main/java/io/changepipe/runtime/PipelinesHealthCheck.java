package io.changepipe.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the pipeline directory was read and every file in it is valid; the reasons are in the response. */
@Readiness
@ApplicationScoped
public class PipelinesHealthCheck implements HealthCheck {

    private final PipelineRegistry registry;

    public PipelinesHealthCheck(PipelineRegistry registry) {
        this.registry = registry;
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
        return (s.invalid().isEmpty() ? b.up() : b.down()).build();
    }
}
