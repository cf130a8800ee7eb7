package io.changepipe.sink.s3batch;

import io.changepipe.sink.SinkFactory;
import io.changepipe.config.ChangepipeConfig;
import io.changepipe.sink.spool.Spool;
import java.nio.file.Path;
import io.changepipe.definition.Compression;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.partition.PartitionKeyStrategy;
import io.changepipe.partition.PartitionKeys;
import io.changepipe.sink.Sink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/** Makes {@code type: s3-batch} sinks with the application's S3 client. */
@ApplicationScoped
public class S3BatchSinkFactory implements SinkFactory {

    private final S3Client s3;
    private final Clock clock;
    private final Path stateDir;
    private final long spoolMaxBytes;

    @Inject
    public S3BatchSinkFactory(S3Client s3, ChangepipeConfig config) {
        this(s3, Clock.systemUTC(), config.state().dir(), config.state().spoolMaxBytes());
    }

    /** {@code stateDir}: where the sink spools ({@code spool/<pipeline>/<sink>/}). */
    public S3BatchSinkFactory(S3Client s3, Clock clock, Path stateDir, long spoolMaxBytes) {
        this.s3 = s3;
        this.clock = clock;
        this.stateDir = stateDir;
        this.spoolMaxBytes = spoolMaxBytes;
    }

    @Override
    public String type() {
        return "s3-batch";
    }

    @Override
    public Sink create(PipelineDef pipeline, SinkDef sink) {
        SinkDef.S3Batch def = (SinkDef.S3Batch) sink;
        S3BatchSettings settings = S3BatchSettings.of(pipeline.name(), def.name(), def.bucket(), def.prefix(), def.errorPrefix(),
                def.bufferSize().bytes(), def.bufferInterval(), def.compression() == Compression.GZIP);
        return new S3BatchSink(s3, clock, settings, encoder(pipeline, clock), Spool.of(stateDir, pipeline.name(), def.name(), spoolMaxBytes));
    }

    /** DMS JSON, one line per record whatever the pipeline's message format, so Athena and Glue read the objects. */
    static S3BatchSink.LineEncoder encoder(PipelineDef pipeline, Clock clock) {
        MessageDef m = pipeline.message();
        DmsJsonEncoder json = new DmsJsonEncoder(new MessageDef(MessageFormat.JSON_UNFORMATTED, m.includeTransactionDetails(),
                m.includePartitionValue(), m.includeTableAlterOperations(), m.includeControlDetails(), m.includeNullAndEmpty(),
                m.beforeImage()), clock);
        PartitionKeyStrategy keys = PartitionKeys.of(pipeline.partitionKey(),
                pipeline.tableMappings().rules(TableMappingDef.ObjectMapping.class));
        return r -> json.encode(r.event(), r.partitionKey(), keys.forTable(r.event().table()).typeName());
    }
}
