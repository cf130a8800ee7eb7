package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In the service, the kinesis sink is found by type like any plugin, with the app's client and meter registry. */
@QuarkusTest
class KinesisPluginTest {

    @Inject
    @Any
    Instance<SinkFactory> sinks;

    @Test
    void theKinesisPluginMakesTheSeedPipelinesStreamSinkWithoutTouchingTheNetwork() throws Exception {
        SinkFactory factory = new Plugins(List.of(), sinks).sink("kinesis");
        assertInstanceOf(KinesisSinkFactory.class, factory);
        PipelineDef seed = new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "secret" : null, true).parse("invoices.yaml", Path.of("pipelines"),
                Files.readString(Path.of("pipelines/invoices.yaml"))).pipelines().get(0);
        try (Sink sink = factory.create(seed, seed.sinks().get(0))) {
            assertInstanceOf(KinesisSink.class, sink);
        }
    }
}
