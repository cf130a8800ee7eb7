package io.changepipe.sink.kinesis;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.partition.PartitionKeyStrategy;
import io.changepipe.partition.PartitionKeys;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFactory;
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
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The {@code kinesis} sink plugin. Records are the pipeline's DMS JSON; the injected client serves every sink in its
 * region, and a sink in another region (its {@code region}, or its stream ARN's) gets a client like it for that region
 * (or, when the environment names no region at all, one with the SDK's default credentials).
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
        Optional<AwsServiceClientConfiguration> conf;
        try {
            conf = configuration(client);
        } catch (RuntimeException e) {
            // the application's client cannot be built here (typically: no region in the environment)
            if (!(e instanceof SdkClientException) && !(e.getCause() instanceof SdkClientException)) {
                throw e;
            }
            String r = region.orElseThrow(() -> new IllegalStateException("sink " + k.name() + ": no AWS region for Kinesis ("
                    + e.getMessage() + "); set region on the sink, AWS_REGION, or changepipe.kinesis.region", e));
            return sink(pipeline, k, stream, r, otherRegions.computeIfAbsent(r, x -> clientFor(x, null)));
        }
        String clientRegion = conf.map(AwsServiceClientConfiguration::region).map(Region::id).orElse(null);
        AwsServiceClientConfiguration like = conf.orElse(null);
        KinesisClient c = region.filter(r -> clientRegion != null && !r.equals(clientRegion))
                .map(r -> otherRegions.computeIfAbsent(r, x -> clientFor(x, like))).orElse(client);
        return sink(pipeline, k, stream, region.orElse(clientRegion == null ? "the client's region" : clientRegion), c);
    }

    private Sink sink(PipelineDef pipeline, SinkDef.Kinesis k, StreamTarget stream, String region, KinesisClient c) {
        KinesisSinkSettings settings = new KinesisSinkSettings(pipeline.name(), k.name(), stream, region, k.batch().maxRecords(),
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

    private static Optional<AwsServiceClientConfiguration> configuration(KinesisClient c) {
        try {
            return Optional.of(c.serviceClientConfiguration());
        } catch (UnsupportedOperationException e) {
            return Optional.empty();   // a test double
        }
    }

    /** A client for another region: the endpoint and credentials of {@code like}, or the SDK's default credentials. */
    private static KinesisClient clientFor(String region, AwsServiceClientConfiguration like) {
        KinesisClientBuilder b = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.of(region));
        if (like != null) {
            b.credentialsProvider(like.credentialsProvider());
            like.endpointOverride().ifPresent(b::endpointOverride);
        }
        return b.build();
    }

    @PreDestroy
    void close() {
        otherRegions.values().forEach(KinesisClient::close);
        otherRegions.clear();
    }
}
