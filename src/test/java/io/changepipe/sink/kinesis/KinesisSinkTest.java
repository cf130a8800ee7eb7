package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.InternalFailureException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;

/** The sink on its own, against the in-memory Kinesis with faults: limits, order per key, outcomes, fatal errors, setup. */
class KinesisSinkTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final String STREAM = "invoices-cdc";

    final FakeKinesis fake = new FakeKinesis("us-east-1");
    final FaultyKinesis kinesis = new FaultyKinesis(fake, 7);
    final List<KinesisSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        sinks.forEach(KinesisSink::close);
    }

    KinesisSink sink(KinesisSinkSettings settings) {
        return sink(settings, KinesisMetrics.NONE);
    }

    KinesisSink sink(KinesisSinkSettings settings, KinesisMetrics metrics) {
        KinesisSink s = new KinesisSink(kinesis, settings, r -> ((String) r.event().image().get("body")).getBytes(StandardCharsets.UTF_8), metrics);
        sinks.add(s);
        return s;
    }

    static KinesisSinkSettings settings() {
        return KinesisSinkSettings.defaults("invoices", "stream", STREAM, "us-east-1");
    }

    /** A record whose data is {@code body}. */
    static SinkRecord record(long seq, String key, String body) {
        return new SinkRecord(seq, ChangeEvent.of(Op.INSERT, INVOICES, Row.of("id", seq, "body", body), null, List.of("id"),
                new SourcePosition.Sequence(seq)), key);
    }

    static List<Outcome> write(KinesisSink sink, List<SinkRecord> records) {
        return sink.write(records).await().atMost(Duration.ofSeconds(30));
    }

    static List<String> keysOf(PutRecordsRequest r) {
        return r.records().stream().map(PutRecordsRequestEntry::partitionKey).toList();
    }

    static long bytesOf(PutRecordsRequest r) {
        return r.records().stream().mapToLong(e -> e.data().asByteArrayUnsafe().length + e.partitionKey().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    /** Data of every record in the stream, by partition key, in stream order. */
    Map<String, List<String>> streamByKey() {
        return fake.contents(STREAM).values().stream().flatMap(List::stream).collect(Collectors.groupingBy(Record::partitionKey,
                Collectors.mapping(r -> r.data().asUtf8String(), Collectors.toList())));
    }

    @Test
    void everyRecordIsAcceptedAndLandsOnTheShardOfItsKey() {
        fake.create(STREAM, 4);
        List<SinkRecord> records = IntStream.range(0, 40).mapToObj(i -> record(i, "democustomer.invoices." + i, "{\"id\":" + i + "}")).toList();
        assertEquals(java.util.Collections.nCopies(40, Outcome.DONE), write(sink(settings()), records));
        Map<String, List<Record>> shards = fake.contents(STREAM);
        assertEquals(40, shards.values().stream().mapToInt(List::size).sum());
        assertEquals(4, shards.values().stream().filter(l -> !l.isEmpty()).count(), "40 keys spread over 4 shards");
    }

    @Test
    void fiveHundredAndOneRecordsAreNeverOneRequest() {
        fake.create(STREAM, 4);
        List<SinkRecord> records = IntStream.range(0, 501).mapToObj(i -> record(i, "k" + i, "x")).toList();
        assertTrue(write(sink(settings()), records).stream().allMatch(o -> o == Outcome.DONE));
        assertEquals(List.of(250, 251), kinesis.requests().stream().map(r -> r.records().size()).sorted().toList(),
                "two requests side by side, evenly filled");
        assertEquals(501, fake.contents(STREAM).values().stream().mapToInt(List::size).sum());
    }

    @Test
    void aBatchOverFiveMiBIsSplitIntoRequestsUnderIt() {
        fake.create(STREAM, 4);
        String body = "x".repeat(600_000);
        List<SinkRecord> records = IntStream.range(0, 12).mapToObj(i -> record(i, "k" + i, body)).toList();
        assertTrue(write(sink(settings()), records).stream().allMatch(o -> o == Outcome.DONE));
        List<PutRecordsRequest> requests = kinesis.requests();
        assertTrue(requests.size() >= 2, "7.2 MB cannot go in one request");
        requests.forEach(r -> assertTrue(bytesOf(r) <= 5 * 1024 * 1024, "request of " + bytesOf(r) + " bytes"));
        assertEquals(12, requests.stream().mapToInt(r -> r.records().size()).sum());
    }

    @Test
    void aRecordOverMaxRecordSizeFailsAndIsNeverSent() {
        fake.create(STREAM, 4);
        List<SinkRecord> records = List.of(record(0, "a", "{}"), record(1, "big", "x".repeat(1024 * 1024)), record(2, "c", "{}"));
        List<Outcome> outcomes = write(sink(settings()), records);
        assertEquals(List.of(Outcome.DONE, Outcome.failed("record of 1048579 bytes exceeds maxRecordSize 1048576"), Outcome.DONE), outcomes);
        assertTrue(kinesis.requests().stream().flatMap(r -> keysOf(r).stream()).noneMatch("big"::equals), "never sent");
    }

    @Test
    void aRecordTheStreamRejectsFailsTheSinkWithAHint() {
        fake.create(STREAM, 4);
        KinesisSink raised = sink(settings().withLimits(500, 5 << 20, 2 << 20));
        SinkFatalException e = assertThrows(SinkFatalException.class, () -> write(raised, List.of(record(0, "big", "x".repeat(1_500_000)))));
        assertEquals("stream invoices-cdc in us-east-1 rejected a request (InvalidArgumentException: Record size 1500003 exceeds the stream's"
                + " max record size of 1048576 bytes); if a record is too large, lower maxRecordSize to the stream's maximum record size", e.getMessage());
    }

    @Test
    void aRequestNeverHoldsTwoRecordsOfOneKeyAndKeysKeepTheirOrder() {
        fake.create(STREAM, 4);
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(record(i, "k" + (i % 3), "v" + i));
        }
        assertTrue(write(sink(settings()), records).stream().allMatch(o -> o == Outcome.DONE));
        kinesis.requests().forEach(r -> assertEquals(new HashSet<>(keysOf(r)).size(), r.records().size(), "distinct keys: " + keysOf(r)));
        Map<String, List<String>> byKey = streamByKey();
        for (int k = 0; k < 3; k++) {
            int key = k;
            assertEquals(IntStream.range(0, 60).filter(i -> i % 3 == key).mapToObj(i -> "v" + i).toList(), byKey.get("k" + k));
        }
    }

    @Test
    void aFailedEntryHoldsBackTheLaterRecordsOfItsKeyUnsent() {
        fake.create(STREAM, 4);
        Set<String> failedOnce = new HashSet<>();
        kinesis.failing(e -> e.data().asUtf8String().equals("a") && failedOnce.add("a"));
        KinesisSink sink = sink(settings());
        List<SinkRecord> records = List.of(record(0, "k1", "a"), record(1, "k2", "b"), record(2, "k1", "c"), record(3, "k2", "d"));
        List<Outcome> outcomes = write(sink, records);
        assertEquals(Outcome.retry("ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000 in stream under account 000000000000."),
                outcomes.get(0));
        assertEquals(List.of(Outcome.DONE, Outcome.retry(KinesisSink.HELD_BACK), Outcome.DONE), outcomes.subList(1, 4));
        assertTrue(kinesis.requests().stream().flatMap(r -> r.records().stream()).noneMatch(e -> e.data().asUtf8String().equals("c")),
                "the held-back record was not sent");
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), write(sink, List.of(records.get(0), records.get(2))));
        assertEquals(Map.of("k1", List.of("a", "c"), "k2", List.of("b", "d")), streamByKey());
    }

    @Test
    void throttledAndTransientRequestsAreAnsweredRetryNotFatal() {
        fake.create(STREAM, 4);
        KinesisSink sink = sink(settings());
        List<SinkRecord> records = List.of(record(0, "a", "1"), record(1, "b", "2"), record(2, "a", "3"));
        List<RuntimeException> errors = List.of(
                (RuntimeException) FakeKinesis.error(LimitExceededException.builder(), "LimitExceededException", "Rate exceeded", 400),
                (RuntimeException) FakeKinesis.error(InternalFailureException.builder(), "InternalFailure", "Internal service failure.", 500),
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));
        for (RuntimeException e : errors) {
            kinesis.nextPutFails(e);
            List<Outcome> outcomes = write(sink, records);
            assertTrue(outcomes.get(0) instanceof Outcome.Retry && outcomes.get(1) instanceof Outcome.Retry, e + " -> " + outcomes);
            assertEquals(Outcome.retry(KinesisSink.HELD_BACK), outcomes.get(2));
        }
        assertTrue(fake.contents(STREAM).values().stream().allMatch(List::isEmpty));
    }

    @Test
    void aMissingStreamFailsTheSinkWithWhatToDo() {
        SinkFatalException e = assertThrows(SinkFatalException.class, () -> write(sink(settings()), List.of(record(0, "a", "1"))));
        assertEquals("stream invoices-cdc does not exist in us-east-1; create it or set createIfMissing: true", e.getMessage());
        assertTrue(kinesis.requests().isEmpty(), "found out before any PutRecords");
    }

    @Test
    void aStreamDeletedWhileRunningFailsTheSink() {
        fake.create(STREAM, 4);
        KinesisSink sink = sink(settings());
        assertEquals(List.of(Outcome.DONE), write(sink, List.of(record(0, "a", "1"))));
        fake.deleteStream(b -> b.streamName(STREAM));
        SinkFatalException e = assertThrows(SinkFatalException.class, () -> write(sink, List.of(record(1, "a", "2"))));
        assertEquals("stream invoices-cdc does not exist in us-east-1; create it or set createIfMissing: true", e.getMessage());
    }

    @Test
    void accessDeniedFailsTheSinkWithWhatToCheck() {
        fake.create(STREAM, 4);
        kinesis.nextPutFails((RuntimeException) FakeKinesis.error(AccessDeniedException.builder(), "AccessDeniedException",
                "User: arn:aws:sts::000000000000:assumed-role/cdc is not authorized to perform: kinesis:PutRecords", 400));
        SinkFatalException e = assertThrows(SinkFatalException.class, () -> write(sink(settings()), List.of(record(0, "a", "1"))));
        assertEquals("access to stream invoices-cdc in us-east-1 denied (AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/cdc"
                + " is not authorized to perform: kinesis:PutRecords); check the credentials and that the IAM policy allows kinesis:PutRecords"
                + " and kinesis:DescribeStreamSummary on it", e.getMessage());
    }

    @Test
    void createIfMissingCreatesTheStreamWithItsShardsAndWaitsUntilActive() {
        KinesisSink sink = sink(settings().withCreateIfMissing(2));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), write(sink, List.of(record(0, "a", "1"), record(1, "b", "2"))));
        assertEquals(2, fake.contents(STREAM).size(), "two shards");
        assertEquals(Map.of("a", List.of("1"), "b", List.of("2")), streamByKey());
    }

    @Test
    void aStreamArnIsAddressedByArn() {
        fake.create(STREAM, 1);
        String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + STREAM;
        KinesisSink sink = sink(KinesisSinkSettings.defaults("invoices", "stream", arn, "us-east-1"));
        assertEquals(List.of(Outcome.DONE), write(sink, List.of(record(0, "a", "1"))));
        PutRecordsRequest r = kinesis.requests().get(0);
        assertEquals(arn, r.streamARN());
        assertNull(r.streamName());
    }

    @Test
    void metricsCountRecordsBytesRequestsAndFailures() {
        fake.create(STREAM, 4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Set<String> failedOnce = new HashSet<>();
        kinesis.failing(e -> e.partitionKey().equals("b") && failedOnce.add("b"));
        KinesisSink sink = sink(settings(), KinesisMetrics.micrometer(registry, "invoices", "stream"));
        write(sink, List.of(record(0, "a", "12345"), record(1, "b", "1"), record(2, "b", "2")));
        double records = registry.get("changepipe.kinesis.records").tag("pipeline", "invoices").tag("sink", "stream").counter().count();
        assertEquals(1.0, records);
        assertEquals(6.0, registry.get("changepipe.kinesis.bytes").counter().count(), "5 bytes of data + 1 of key");
        assertEquals(1.0, registry.get("changepipe.kinesis.failed.entries").counter().count());
        assertEquals(1.0, registry.get("changepipe.kinesis.throttles").counter().count());
        assertEquals(2.0, registry.get("changepipe.kinesis.retries").counter().count(), "the failed entry and the one held back");
        assertEquals(1L, registry.get("changepipe.kinesis.requests").counter().count(), 0.0);
        assertEquals(2.0, registry.get("changepipe.kinesis.batch.size").summary().totalAmount());
        assertEquals(1L, registry.get("changepipe.kinesis.request.latency").timer().count());
    }
}
