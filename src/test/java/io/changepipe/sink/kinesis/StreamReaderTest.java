package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reading a stream back: every shard, parents before children, limits, one shard, where to start, following. */
class StreamReaderTest {

    final FakeKinesis kinesis = new FakeKinesis("us-east-1");
    final StreamReader reader = new StreamReader(kinesis, "s", Duration.ofMillis(5));

    void put(String key, String data) {
        kinesis.putRecords(b -> b.streamName("s").records(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(data)).build()));
    }

    static Map<String, List<String>> byKey(List<StreamReader.Received> read) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        read.forEach(r -> m.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(new String(r.data())));
        return m;
    }

    @Test
    void readsEveryShardAndAParentBeforeItsChildrenSoKeysStayInOrderAcrossAReshard() throws Exception {
        kinesis.create("s", 2);
        IntStream.range(0, 20).forEach(i -> put("k" + i, "v1"));
        kinesis.reshard("s");
        IntStream.range(0, 20).forEach(i -> put("k" + i, "v2"));
        kinesis.reshard("s");
        IntStream.range(0, 20).forEach(i -> put("k" + i, "v3"));
        List<StreamReader.Received> read = reader.readAll();
        assertEquals(60, read.size());
        assertEquals(14, reader.shards().size(), "2 + 4 + 8 shards");
        byKey(read).forEach((k, v) -> assertEquals(List.of("v1", "v2", "v3"), v, k));
    }

    @Test
    void stopsAtTheLimit() throws Exception {
        kinesis.create("s", 4);
        IntStream.range(0, 20).forEach(i -> put("k" + i, "v"));
        List<StreamReader.Received> read = new ArrayList<>();
        assertEquals(5, reader.read(StreamReader.StartAt.TRIM_HORIZON, Optional.empty(), 5, false, read::add));
        assertEquals(5, read.size());
    }

    @Test
    void readsOneShardWhenAskedAndNamesTheShardsWhenItDoesNotExist() throws Exception {
        kinesis.create("s", 4);
        IntStream.range(0, 40).forEach(i -> put("k" + i, "v"));
        List<StreamReader.Received> read = new ArrayList<>();
        reader.read(StreamReader.StartAt.TRIM_HORIZON, Optional.of("shardId-000000000002"), Long.MAX_VALUE, false, read::add);
        assertTrue(!read.isEmpty() && read.stream().allMatch(r -> r.shardId().equals("shardId-000000000002")), read.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader.read(StreamReader.StartAt.TRIM_HORIZON, Optional.of("shardId-9"), 1, false, r -> { }));
        assertEquals("stream s has no shard shardId-9 (shards: shardId-000000000000, shardId-000000000001, shardId-000000000002,"
                + " shardId-000000000003)", e.getMessage());
    }

    @Test
    void latestReadsNothingOldAndFollowWaitsForWhatComes() throws Exception {
        kinesis.create("s", 2);
        put("a", "old");
        assertEquals(0, reader.read(StreamReader.StartAt.LATEST, Optional.empty(), Long.MAX_VALUE, false, r -> { }));
        List<StreamReader.Received> read = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Long> following = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read(StreamReader.StartAt.LATEST, Optional.empty(), 2, true, read::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        put("a", "new1");
        put("b", "new2");
        assertEquals(2L, following.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("new1", "new2"), read.stream().map(r -> new String(r.data())).sorted().toList());
    }

    @Test
    void startsAtATimestamp() {
        assertEquals(new StreamReader.StartAt(ShardIteratorType.AT_TIMESTAMP, Instant.parse("2024-05-01T12:00:00Z")),
                StreamReader.StartAt.parse("timestamp:2024-05-01T12:00:00Z"));
        assertEquals("--from timestamp: wants an ISO-8601 instant like 2024-05-01T12:00:00Z (was yesterday)",
                assertThrows(IllegalArgumentException.class, () -> StreamReader.StartAt.parse("timestamp:yesterday")).getMessage());
        assertEquals("--from must be trim-horizon, latest or timestamp:<ISO-8601> (was oldest)",
                assertThrows(IllegalArgumentException.class, () -> StreamReader.StartAt.parse("oldest")).getMessage());
    }
}
