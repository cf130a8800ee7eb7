package io.changepipe.sink.s3csv;

import io.changepipe.sink.SinkFactory;
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

    @Inject
    public S3CsvSinkFactory(S3Client s3) {
        this(s3, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    public S3CsvSinkFactory(S3Client s3, Clock clock, Duration checkEvery) {
        this.s3 = s3;
        this.clock = clock;
        this.checkEvery = checkEvery;
    }

    @Override
    public String type() {
        return "s3-csv";
    }

    @Override
    public Sink create(PipelineDef pipeline, SinkDef sink) {
        return new S3CsvSink(s3, clock, pipeline.name(), (SinkDef.S3Csv) sink, checkEvery, 30, Duration.ofMillis(200));
    }
}
