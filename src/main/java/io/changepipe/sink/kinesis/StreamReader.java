package io.changepipe.sink.kinesis;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads a stream the way a polling consumer does (ListShards, GetShardIterator, GetRecords), every shard, a parent
 * shard before its children so a key's records come out in order across a reshard. Polls with a short pause while a
 * shard has nothing new. For {@code changepipe tail} and tests, not for production consumers.
 */
public final class StreamReader {

    /** One record as read: where it sits and its data. */
    public record Received(String shardId, String sequenceNumber, String partitionKey, Instant arrival, byte[] data) {
    }

    /** Where reading starts: {@code trim-horizon}, {@code latest} or {@code timestamp:<ISO-8601 instant>}. */
    public record StartAt(ShardIteratorType type, Instant timestamp) {

        public static final StartAt TRIM_HORIZON = new StartAt(ShardIteratorType.TRIM_HORIZON, null);
        public static final StartAt LATEST = new StartAt(ShardIteratorType.LATEST, null);

        public static StartAt parse(String text) {
            if (text.equals("trim-horizon")) {
                return TRIM_HORIZON;
            }
            if (text.equals("latest")) {
                return LATEST;
            }
            if (text.startsWith("timestamp:")) {
                try {
                    return new StartAt(ShardIteratorType.AT_TIMESTAMP, Instant.parse(text.substring("timestamp:".length())));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--from timestamp: wants an ISO-8601 instant like 2024-05-01T12:00:00Z (was "
                            + text.substring("timestamp:".length()) + ")");
                }
            }
            throw new IllegalArgumentException("--from must be trim-horizon, latest or timestamp:<ISO-8601> (was " + text + ")");
        }
    }

    private final KinesisClient client;
    private final StreamTarget stream;
    private final Duration pause;

    /** {@code pause}: how long to wait before polling shards again when none had anything new. */
    public StreamReader(KinesisClient client, String stream, Duration pause) {
        this.client = client;
        this.stream = StreamTarget.of(stream);
        this.pause = pause;
    }

    /** Every shard of the stream, open and closed. */
    public List<Shard> shards() {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListShardsResponse r = client.listShards(t == null ? stream.on(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(t).build());
            shards.addAll(r.shards());
            token = r.nextToken();
        } while (token != null);
        return shards;
    }

    /** Everything in the stream now, every shard from its oldest record. */
    public List<Received> readAll() throws InterruptedException {
        List<Received> all = new ArrayList<>();
        read(StartAt.TRIM_HORIZON, Optional.empty(), Long.MAX_VALUE, false, all::add);
        return all;
    }

    /**
     * Hands records to {@code out} until {@code limit} records, or (unless {@code follow}) until every shard is caught
     * up; returns how many it handed over. {@code shard} limits reading to that shard.
     */
    public long read(StartAt from, Optional<String> shard, long limit, boolean follow, Consumer<Received> out) throws InterruptedException {
        List<Cursor> cursors = cursors(shard);
        long count = 0;
        while (count < limit) {
            boolean fresh = false;
            boolean caughtUp = true;
            for (Cursor c : cursors) {
                if (c.done || !c.parentsDone(cursors)) {
                    caughtUp &= c.done;
                    continue;
                }
                GetRecordsResponse r = next(c, from);
                if (r == null) {
                    caughtUp = false;
                    continue;
                }
                for (Record rec : r.records()) {
                    c.last = rec.sequenceNumber();
                    out.accept(new Received(c.id, rec.sequenceNumber(), rec.partitionKey(), rec.approximateArrivalTimestamp(), rec.data().asByteArray()));
                    if (++count >= limit) {
                        return count;
                    }
                }
                c.iterator = r.nextShardIterator();
                c.done = c.iterator == null;
                fresh |= !r.records().isEmpty();
                caughtUp &= c.done || r.records().isEmpty() && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0);
            }
            if (caughtUp && !follow) {
                return count;
            }
            if (!fresh) {
                Thread.sleep(pause.toMillis());
            }
        }
        return count;
    }

    private List<Cursor> cursors(Optional<String> only) {
        List<Shard> shards = shards();
        if (only.isPresent()) {
            Shard s = shards.stream().filter(x -> x.shardId().equals(only.get())).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "stream " + stream + " has no shard " + only.get() + " (shards: "
                            + shards.stream().map(Shard::shardId).collect(Collectors.joining(", ")) + ")"));
            return List.of(new Cursor(s.shardId(), null, null));
        }
        Map<String, Shard> byId = shards.stream().collect(Collectors.toMap(Shard::shardId, s -> s));
        // a parent that is no longer listed (trimmed) does not hold its children back
        return shards.stream().map(s -> new Cursor(s.shardId(), byId.containsKey(s.parentShardId()) ? s.parentShardId() : null,
                byId.containsKey(s.adjacentParentShardId()) ? s.adjacentParentShardId() : null)).toList();
    }

    /** The next GetRecords answer of a shard, or null when throttled (try again after the pause). */
    private GetRecordsResponse next(Cursor c, StartAt from) {
        if (c.iterator == null) {
            // a shard whose parents were read to their end starts at its beginning
            c.iterator = iterator(c, c.parent == null && c.adjacent == null ? from : StartAt.TRIM_HORIZON);
        }
        try {
            return client.getRecords(b -> b.shardIterator(c.iterator));
        } catch (ProvisionedThroughputExceededException e) {
            return null;
        } catch (ExpiredIteratorException e) {
            c.iterator = c.last == null ? iterator(c, from) : client.getShardIterator(stream.on(GetShardIteratorRequest.builder())
                    .shardId(c.id).shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(c.last).build()).shardIterator();
            return null;
        }
    }

    private String iterator(Cursor c, StartAt from) {
        return client.getShardIterator(stream.on(GetShardIteratorRequest.builder()).shardId(c.id).shardIteratorType(from.type())
                .timestamp(from.timestamp()).build()).shardIterator();
    }

    /** Reading state of one shard. */
    private static final class Cursor {
        final String id;
        final String parent;
        final String adjacent;
        String iterator;
        String last;
        boolean done;

        Cursor(String id, String parent, String adjacent) {
            this.id = id;
            this.parent = parent;
            this.adjacent = adjacent;
        }

        boolean parentsDone(List<Cursor> all) {
            return all.stream().filter(o -> o.id.equals(parent) || o.id.equals(adjacent)).allMatch(o -> o.done);
        }
    }
}
