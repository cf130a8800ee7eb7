package io.changepipe.sink.s3csv;

import io.changepipe.sink.SinkFactory;
import io.changepipe.config.ChangepipeConfig;
import io.changepipe.sink.spool.Spool;
import java.nio.file.Path;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.sink.Sink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/** Makes {@code type: s3-csv} sinks with the application's S3 client. */
@ApplicationScoped
public class S3CsvSinkFactory implements SinkFactory {

    private final S3Client s3;
    private final Clock clock;
    private final Duration checkEvery;
    private final Path stateDir;
    private final long spoolMaxBytes;

    @Inject
    public S3CsvSinkFactory(S3Client s3, ChangepipeConfig config) {
        this(s3, Clock.systemUTC(), Duration.ofSeconds(1), config.state().dir(), config.state().spoolMaxBytes());
    }

    /** {@code stateDir}: where the sink spools ({@code spool/<pipeline>/<sink>/}). */
    public S3CsvSinkFactory(S3Client s3, Clock clock, Duration checkEvery, Path stateDir, long spoolMaxBytes) {
        this.s3 = s3;
        this.clock = clock;
        this.checkEvery = checkEvery;
        this.stateDir = stateDir;
        this.spoolMaxBytes = spoolMaxBytes;
    }

    @Override
    public String type() {
        return "s3-csv";
    }

    @Override
    public Sink create(PipelineDef pipeline, SinkDef sink) {
        return new S3CsvSink(s3, clock, pipeline.name(), (SinkDef.S3Csv) sink, checkEvery,
                Spool.of(stateDir, pipeline.name(), sink.name(), spoolMaxBytes), Duration.ofMillis(200));
    }
}
