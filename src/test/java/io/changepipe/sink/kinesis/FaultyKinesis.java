package io.changepipe.sink.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.CreateStreamResponse;
import software.amazon.awssdk.services.kinesis.model.DeleteStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DeleteStreamResponse;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Wraps a Kinesis client (the real SDK client against the emulator, or {@link FakeKinesis}) and makes PutRecords fail
 * the ways AWS does and emulators never do: single entries failing with ProvisionedThroughputExceededException or
 * InternalFailure (those entries are not written), bursts of whole-request throttling, and requests that were written
 * but whose answer was lost (a timeout). Records every PutRecords request it is given, before any fault.
 */
final class FaultyKinesis implements KinesisClient {

    private final KinesisClient delegate;
    private final Random random;
    private final List<PutRecordsRequest> requests = new CopyOnWriteArrayList<>();
    private volatile double entryFailures;
    private volatile double burstChance;
    private volatile int burstLength;
    private volatile double lostAnswers;
    private volatile Predicate<PutRecordsRequestEntry> failEntry = e -> false;
    private volatile RuntimeException nextError;
    private final java.util.concurrent.atomic.AtomicInteger lostCopies = new java.util.concurrent.atomic.AtomicInteger();
    private int burstLeft;

    FaultyKinesis(KinesisClient delegate, long seed) {
        this.delegate = delegate;
        this.random = new Random(seed);
    }

    /** A share of entries fails, half for throughput, half InternalFailure. */
    FaultyKinesis failingEntries(double share) {
        this.entryFailures = share;
        return this;
    }

    /** Entries matching {@code which} fail for throughput whenever they are sent. */
    FaultyKinesis failing(Predicate<PutRecordsRequestEntry> which) {
        this.failEntry = which;
        return this;
    }

    /** With chance {@code chance} per request, the next {@code length} requests are throttled as a whole. */
    FaultyKinesis throttlingBursts(double chance, int length) {
        this.burstChance = chance;
        this.burstLength = length;
        return this;
    }

    /** A share of requests is written but answered with a timeout. */
    FaultyKinesis losingAnswers(double share) {
        this.lostAnswers = share;
        return this;
    }

    /** The next PutRecords throws {@code e} (once). */
    FaultyKinesis nextPutFails(RuntimeException e) {
        this.nextError = e;
        return this;
    }

    /** Records written in requests whose answer was lost: each will be in the stream once more than the source has it. */
    int lostCopies() {
        return lostCopies.get();
    }

    List<PutRecordsRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest r) {
        requests.add(r);
        RuntimeException once = nextError;
        if (once != null) {
            nextError = null;
            throw once;
        }
        synchronized (random) {
            if (burstLeft == 0 && random.nextDouble() < burstChance) {
                burstLeft = burstLength;
            }
            if (burstLeft > 0) {
                burstLeft--;
                throw (ProvisionedThroughputExceededException) FakeKinesis.error(ProvisionedThroughputExceededException.builder(),
                        "ProvisionedThroughputExceededException", "Rate exceeded for stream under account " + FakeKinesis.ACCOUNT + ".", 400);
            }
        }
        List<PutRecordsResultEntry> failures = new ArrayList<>();
        List<PutRecordsRequestEntry> sent = new ArrayList<>();
        boolean lose;
        synchronized (random) {
            for (PutRecordsRequestEntry e : r.records()) {
                boolean chosen = failEntry.test(e);
                boolean fail = chosen || random.nextDouble() < entryFailures;
                boolean throttled = chosen || random.nextBoolean();
                failures.add(!fail ? null : throttled
                        ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage("Rate exceeded for shard shardId-000000000000 in stream under account " + FakeKinesis.ACCOUNT + ".").build()
                        : PutRecordsResultEntry.builder().errorCode("InternalFailure").errorMessage("Internal service failure.").build());
                if (!fail) {
                    sent.add(e);
                }
            }
            lose = random.nextDouble() < lostAnswers;
        }
        List<PutRecordsResultEntry> written = sent.isEmpty() ? List.of() : delegate.putRecords(r.toBuilder().records(sent).build()).records();
        if (lose) {
            lostCopies.addAndGet(written.size());
            throw SdkClientException.create("Unable to execute HTTP request: Read timed out");
        }
        List<PutRecordsResultEntry> out = new ArrayList<>(r.records().size());
        int next = 0;
        int failed = 0;
        for (PutRecordsResultEntry f : failures) {
            if (f == null) {
                out.add(written.get(next++));
            } else {
                out.add(f);
                failed++;
            }
        }
        return PutRecordsResponse.builder().failedRecordCount(failed).records(out).build();
    }

    @Override
    public DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest r) {
        return delegate.describeStreamSummary(r);
    }

    @Override
    public DescribeStreamResponse describeStream(DescribeStreamRequest r) {
        return delegate.describeStream(r);
    }

    @Override
    public CreateStreamResponse createStream(CreateStreamRequest r) {
        return delegate.createStream(r);
    }

    @Override
    public DeleteStreamResponse deleteStream(DeleteStreamRequest r) {
        return delegate.deleteStream(r);
    }

    @Override
    public ListShardsResponse listShards(ListShardsRequest r) {
        return delegate.listShards(r);
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest r) {
        return delegate.getShardIterator(r);
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest r) {
        return delegate.getRecords(r);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
    }
}
