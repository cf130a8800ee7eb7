package io.changepipe.sink.kinesis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
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
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamDescription;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * An in-memory Kinesis for unit tests that must not need the emulator: streams with shards by MD5 hash range,
 * PutRecords with AWS's limits (500 records, 5 MiB, 1 MiB a record), polling reads, and resharding into children.
 * Streams start CREATING and turn ACTIVE on the first DescribeStream, so waiters wait.
 */
final class FakeKinesis implements KinesisClient {

    static final String ACCOUNT = "000000000000";
    static final BigInteger HASH_SPACE = BigInteger.ONE.shiftLeft(128);

    private final Map<String, FakeStream> streams = new LinkedHashMap<>();
    private final String region;
    private long sequence;

    FakeKinesis(String region) {
        this.region = region;
    }

    private static final class FakeShard {
        final String id;
        final BigInteger start;
        final BigInteger end;
        final String parent;
        final List<Record> records = new ArrayList<>();
        boolean closed;

        FakeShard(String id, BigInteger start, BigInteger end, String parent) {
            this.id = id;
            this.start = start;
            this.end = end;
            this.parent = parent;
        }
    }

    private static final class FakeStream {
        final String name;
        final String arn;
        final List<FakeShard> shards = new ArrayList<>();
        StreamStatus status = StreamStatus.CREATING;

        FakeStream(String name, String arn) {
            this.name = name;
            this.arn = arn;
        }

        List<FakeShard> open() {
            return shards.stream().filter(s -> !s.closed).toList();
        }
    }

    synchronized void create(String name, int shards) {
        createStream(CreateStreamRequest.builder().streamName(name).shardCount(shards).build());
        streams.get(name).status = StreamStatus.ACTIVE;
    }

    /** Closes every open shard and gives each two children splitting its range (as SplitShard would). */
    synchronized void reshard(String name) {
        FakeStream s = stream(name, null);
        for (FakeShard parent : s.open()) {
            parent.closed = true;
            BigInteger mid = parent.start.add(parent.end).shiftRight(1);
            s.shards.add(new FakeShard(shardId(s.shards.size()), parent.start, mid, parent.id));
            s.shards.add(new FakeShard(shardId(s.shards.size()), mid.add(BigInteger.ONE), parent.end, parent.id));
        }
    }

    /** Every record of a stream, shard by shard. */
    synchronized Map<String, List<Record>> contents(String name) {
        Map<String, List<Record>> m = new LinkedHashMap<>();
        stream(name, null).shards.forEach(s -> m.put(s.id, List.copyOf(s.records)));
        return m;
    }

    private static String shardId(int i) {
        return String.format("shardId-%012d", i);
    }

    private FakeStream stream(String name, String arn) {
        String key = name != null ? name : arn.substring(arn.indexOf(":stream/") + 8);
        FakeStream s = streams.get(key);
        if (s == null || arn != null && !arn.equals(s.arn)) {
            throw (ResourceNotFoundException) error(ResourceNotFoundException.builder(), "ResourceNotFoundException",
                    "Stream " + key + " under account " + ACCOUNT + " not found.", 400);
        }
        return s;
    }

    static <B extends software.amazon.awssdk.awscore.exception.AwsServiceException.Builder> Throwable error(B b, String code,
            String message, int status) {
        b.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName("Kinesis").build());
        return b.build();
    }

    @Override
    public synchronized CreateStreamResponse createStream(CreateStreamRequest r) {
        if (streams.containsKey(r.streamName())) {
            throw (ResourceInUseException) error(ResourceInUseException.builder(), "ResourceInUseException", "Stream " + r.streamName()
                    + " under account " + ACCOUNT + " already exists.", 400);
        }
        FakeStream s = new FakeStream(r.streamName(), "arn:aws:kinesis:" + region + ":" + ACCOUNT + ":stream/" + r.streamName());
        BigInteger span = HASH_SPACE.divide(BigInteger.valueOf(r.shardCount()));
        for (int i = 0; i < r.shardCount(); i++) {
            BigInteger start = span.multiply(BigInteger.valueOf(i));
            BigInteger end = i == r.shardCount() - 1 ? HASH_SPACE.subtract(BigInteger.ONE) : start.add(span).subtract(BigInteger.ONE);
            s.shards.add(new FakeShard(shardId(i), start, end, null));
        }
        streams.put(s.name, s);
        return CreateStreamResponse.builder().build();
    }

    @Override
    public synchronized DeleteStreamResponse deleteStream(DeleteStreamRequest r) {
        streams.remove(stream(r.streamName(), r.streamARN()).name);
        return DeleteStreamResponse.builder().build();
    }

    @Override
    public synchronized DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest r) {
        FakeStream s = stream(r.streamName(), r.streamARN());
        return DescribeStreamSummaryResponse.builder().streamDescriptionSummary(StreamDescriptionSummary.builder().streamName(s.name)
                .streamARN(s.arn).streamStatus(s.status).openShardCount(s.open().size()).build()).build();
    }

    @Override
    public synchronized DescribeStreamResponse describeStream(DescribeStreamRequest r) {
        FakeStream s = stream(r.streamName(), r.streamARN());
        StreamStatus seen = s.status;
        s.status = StreamStatus.ACTIVE;
        return DescribeStreamResponse.builder().streamDescription(StreamDescription.builder().streamName(s.name).streamARN(s.arn)
                .streamStatus(seen).hasMoreShards(false).shards(shards(s)).build()).build();
    }

    @Override
    public synchronized PutRecordsResponse putRecords(PutRecordsRequest r) {
        FakeStream s = stream(r.streamName(), r.streamARN());
        if (s.status != StreamStatus.ACTIVE) {
            throw (ResourceNotFoundException) error(ResourceNotFoundException.builder(), "ResourceNotFoundException",
                    "Stream " + s.name + " is not active", 400);
        }
        if (r.records().size() > 500) {
            throw invalid("1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
        }
        long total = 0;
        for (PutRecordsRequestEntry e : r.records()) {
            long size = e.data().asByteArrayUnsafe().length + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
            if (size > 1024 * 1024) {
                throw invalid("Record size " + size + " exceeds the stream's max record size of 1048576 bytes");
            }
            total += size;
        }
        if (total > 5L * 1024 * 1024) {
            throw invalid("Records size " + total + " exceeds 5 MiB");
        }
        List<PutRecordsResultEntry> out = new ArrayList<>();
        for (PutRecordsRequestEntry e : r.records()) {
            BigInteger hash = md5(e.partitionKey());
            FakeShard shard = s.open().stream().filter(x -> x.start.compareTo(hash) <= 0 && x.end.compareTo(hash) >= 0).findFirst().orElseThrow();
            String seq = String.format("%056d", ++sequence);
            shard.records.add(Record.builder().sequenceNumber(seq).partitionKey(e.partitionKey()).data(SdkBytes.fromByteArray(e.data().asByteArray()))
                    .approximateArrivalTimestamp(Instant.now()).build());
            out.add(PutRecordsResultEntry.builder().shardId(shard.id).sequenceNumber(seq).build());
        }
        return PutRecordsResponse.builder().failedRecordCount(0).records(out).build();
    }

    private static InvalidArgumentException invalid(String message) {
        return (InvalidArgumentException) error(InvalidArgumentException.builder(), "InvalidArgumentException", message, 400);
    }

    @Override
    public synchronized ListShardsResponse listShards(ListShardsRequest r) {
        return ListShardsResponse.builder().shards(shards(stream(r.streamName(), r.streamARN()))).build();
    }

    private static List<Shard> shards(FakeStream s) {
        return s.shards.stream().map(x -> Shard.builder().shardId(x.id).parentShardId(x.parent)
                .hashKeyRange(HashKeyRange.builder().startingHashKey(x.start.toString()).endingHashKey(x.end.toString()).build())
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("0").build()).build()).toList();
    }

    @Override
    public synchronized GetShardIteratorResponse getShardIterator(GetShardIteratorRequest r) {
        FakeStream s = stream(r.streamName(), r.streamARN());
        FakeShard shard = s.shards.stream().filter(x -> x.id.equals(r.shardId())).findFirst().orElseThrow();
        int at = switch (r.shardIteratorType()) {
            case TRIM_HORIZON -> 0;
            case LATEST -> shard.records.size();
            case AT_TIMESTAMP -> (int) shard.records.stream().filter(x -> x.approximateArrivalTimestamp().isBefore(r.timestamp())).count();
            case AFTER_SEQUENCE_NUMBER -> (int) shard.records.stream().filter(x -> x.sequenceNumber().compareTo(r.startingSequenceNumber()) <= 0).count();
            default -> throw new UnsupportedOperationException(r.shardIteratorTypeAsString());
        };
        return GetShardIteratorResponse.builder().shardIterator(s.name + "/" + shard.id + "/" + at).build();
    }

    @Override
    public synchronized GetRecordsResponse getRecords(GetRecordsRequest r) {
        String[] it = r.shardIterator().split("/");
        FakeShard shard = stream(it[0], null).shards.stream().filter(x -> x.id.equals(it[1])).findFirst().orElseThrow();
        int at = Integer.parseInt(it[2]);
        int to = Math.min(shard.records.size(), at + (r.limit() == null ? 10_000 : r.limit()));
        boolean end = shard.closed && to == shard.records.size();
        return GetRecordsResponse.builder().records(shard.records.subList(at, to)).millisBehindLatest(0L)
                .nextShardIterator(end ? null : it[0] + "/" + it[1] + "/" + to).build();
    }

    static BigInteger md5(String key) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
    }
}
