package io.changepipe.sink.sns;

import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.services.sns.SnsClient;

/** Makes {@code type: sns} sinks with the application's SnsClient. */
@ApplicationScoped
public class SnsSinkFactory implements SinkFactory {

    private final SnsClient client;
    private final Clock clock;
    private final MeterRegistry registry;

    @Inject
    public SnsSinkFactory(SnsClient client, Instance<Clock> clock, MeterRegistry registry) {
        this(client, clock.isResolvable() ? clock.get() : Clock.systemUTC(), registry);
    }

    public SnsSinkFactory(SnsClient client, Clock clock, MeterRegistry registry) {
        this.client = client;
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public String type() {
        return "sns";
    }

    @Override
    public Sink create(PipelineDef pipeline, SinkDef sink) {
        SinkDef.Sns def = (SinkDef.Sns) sink;
        DmsJsonEncoder encoder = new DmsJsonEncoder(pipeline.message(), clock);
        String keyType = keyType(pipeline.partitionKey());
        return new SnsSink("pipeline " + pipeline.name() + ", sink " + def.name(), def, client, clock,
                new MicrometerSnsMetrics(registry, pipeline.name(), def.name()),
                r -> new String(encoder.encode(r.event(), r.partitionKey(), keyType), StandardCharsets.UTF_8));
    }

    static String keyType(PartitionKeyDef key) {
        if (key instanceof PartitionKeyDef.SchemaTable) {
            return "schema-table";
        }
        if (key instanceof PartitionKeyDef.Attribute) {
            return "attribute-name";
        }
        if (key instanceof PartitionKeyDef.Constant) {
            return "constant";
        }
        return key instanceof PartitionKeyDef.TransactionId ? "transaction-id" : "primary-key";
    }
}
