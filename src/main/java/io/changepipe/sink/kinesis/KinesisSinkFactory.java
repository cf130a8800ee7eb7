package io.changepipe.sink.kinesis;

import io.changepipe.compile.SinkFactory;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.partition.PartitionKeyStrategy;
import io.changepipe.partition.PartitionKeys;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The {@code kinesis} sink plugin. Records are the pipeline's DMS JSON; the injected client serves every sink in its
 * region, and a sink in another region (its {@code region}, or its stream ARN's) gets a client like it for that region.
 */
@ApplicationScoped
public class KinesisSinkFactory implements SinkFactory {

    private final KinesisClient client;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, KinesisClient> otherRegions = new ConcurrentHashMap<>();

    @Inject
    public KinesisSinkFactory(KinesisClient client, MeterRegistry registry) {
        this(client, registry, Clock.systemUTC());
    }

    public KinesisSinkFactory(KinesisClient client, MeterRegistry registry, Clock clock) {
        this.client = client;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "kinesis";
    }

    @Override
    public Sink create(PipelineDef pipeline, SinkDef def) {
        if (!(def instanceof SinkDef.Kinesis k)) {
            throw new IllegalArgumentException("sink " + def.name() + " is " + def.type() + ", not kinesis");
        }
        StreamTarget stream = StreamTarget.of(k.stream());
        Optional<String> region = k.region().or(stream::arnRegion);
        String clientRegion = clientRegion(client).orElse(null);
        KinesisClient c = region.filter(r -> clientRegion != null && !r.equals(clientRegion))
                .map(r -> otherRegions.computeIfAbsent(r, this::clientFor)).orElse(client);
        KinesisSinkSettings settings = new KinesisSinkSettings(pipeline.name(), k.name(), stream,
                region.orElse(clientRegion == null ? "the client's region" : clientRegion), k.batch().maxRecords(),
                k.batch().maxBytes().bytes(), k.maxRecordSize().bytes(), k.maxInFlight(), k.createIfMissing(), k.shards());
        KinesisMetrics metrics = registry == null ? KinesisMetrics.NONE : KinesisMetrics.micrometer(registry, pipeline.name(), k.name());
        return new KinesisSink(c, settings, encoder(pipeline, clock), metrics);
    }

    /** A record's data: the DMS JSON of its change, with the partition-key-type of the strategy that keyed its table. */
    static Function<SinkRecord, byte[]> encoder(PipelineDef pipeline, Clock clock) {
        DmsJsonEncoder json = new DmsJsonEncoder(pipeline.message(), clock);
        PartitionKeyStrategy keys = PartitionKeys.of(pipeline.partitionKey(), pipeline.tableMappings().rules(TableMappingDef.ObjectMapping.class));
        return r -> json.encode(r.event(), r.partitionKey(), keys.forTable(r.event().table()).typeName());
    }

    private static Optional<String> clientRegion(KinesisClient c) {
        try {
            AwsServiceClientConfiguration conf = c.serviceClientConfiguration();
            return Optional.ofNullable(conf.region()).map(Region::id);
        } catch (UnsupportedOperationException e) {
            return Optional.empty();   // a test double
        }
    }

    /** The injected client's endpoint and credentials, another region. */
    private KinesisClient clientFor(String region) {
        AwsServiceClientConfiguration conf = client.serviceClientConfiguration();
        KinesisClientBuilder b = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.of(region))
                .credentialsProvider(conf.credentialsProvider());
        conf.endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    @PreDestroy
    void close() {
        otherRegions.values().forEach(KinesisClient::close);
        otherRegions.clear();
    }
}
