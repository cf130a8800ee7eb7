package io.changepipe.sink.kinesis;

import io.changepipe.sink.SinkFatalException;
import java.time.Duration;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;

/** Makes sure the sink's stream is there and writable before the first write: waits while it is created, creates it if asked. */
final class StreamSetup {

    private static final Logger LOG = Logger.getLogger(StreamSetup.class);
    /** AWS takes tens of seconds to create a stream, emulators milliseconds: poll often at first, then every few seconds. */
    private static final WaiterOverrideConfiguration WAIT = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(5)))
            .maxAttempts(200).waitTimeout(Duration.ofMinutes(10)).build();

    private final KinesisClient client;
    private final KinesisSinkSettings settings;

    StreamSetup(KinesisClient client, KinesisSinkSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Returns once the stream is ACTIVE or UPDATING; throws SinkFatalException for what no retry fixes. */
    void ensureActive() {
        StreamTarget stream = settings.stream();
        try {
            StreamStatus status;
            try {
                status = client.describeStreamSummary(stream.on(DescribeStreamSummaryRequest.builder()).build())
                        .streamDescriptionSummary().streamStatus();
            } catch (ResourceNotFoundException e) {
                if (!settings.createIfMissing()) {
                    throw e;
                }
                create();
                status = StreamStatus.CREATING;
            }
            if (status == StreamStatus.DELETING) {
                throw new SinkFatalException("stream " + stream + " in " + settings.region() + " is being deleted");
            }
            if (status != StreamStatus.ACTIVE && status != StreamStatus.UPDATING) {
                try (KinesisWaiter waiter = KinesisWaiter.builder().client(client).overrideConfiguration(WAIT).build()) {
                    waiter.waitUntilStreamExists(stream.on(DescribeStreamRequest.builder()).build());
                }
            }
        } catch (SinkFatalException e) {
            throw e;
        } catch (RuntimeException e) {
            if (KinesisErrors.kind(e) == KinesisErrors.Kind.FATAL) {
                throw new SinkFatalException(KinesisErrors.fatalMessage(stream, settings.region(), e), e);
            }
            throw e;
        }
    }

    private void create() {
        String name = settings.stream().name();
        try {
            client.createStream(b -> b.streamName(name).shardCount(settings.shards()));
            LOG.infof("pipeline %s, sink %s: creating stream %s in %s with %d shards", settings.pipeline(), settings.sink(), name,
                    settings.region(), settings.shards());
        } catch (ResourceInUseException e) {
            LOG.debugf("stream %s is being created by someone else: %s", name, e.getMessage());
        }
    }
}
