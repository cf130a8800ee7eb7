package io.changepipe.sink.s3batch;

import io.changepipe.sink.s3.MutableClock;
import io.changepipe.sink.s3.MemoryS3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Buffer rules, keys, error output and retries of the s3-batch sink, against an in-memory S3 and a hand-moved clock. */
class S3BatchSinkTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final TableId CUSTOMERS = new TableId("democustomer", "customers");
    static final Instant START = Instant.parse("2026-11-21T13:59:58.250Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final MemoryS3 s3 = new MemoryS3();
    final MutableClock clock = new MutableClock(START);
    final DmsJsonEncoder json = new DmsJsonEncoder(new MessageDef(MessageFormat.JSON, false, false, false, false, false,
            new MessageDef.BeforeImage(false, "BI", BeforeImageColumns.ALL)), clock);
    final List<S3BatchSink> sinks = new ArrayList<>();
    long sequence;

    @AfterEach
    void close() {
        sinks.forEach(S3BatchSink::close);
    }

    S3BatchSettings settings(long size, Duration interval, boolean gzip) {
        return S3BatchSettings.of("invoices", "lake", "lake", "cdc/!{partition:table}/!{timestamp:yyyy/MM/dd/HH}/", "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM}/",
                size, interval, gzip).withCheckEvery(Duration.ZERO).withRetries(3, Duration.ofMillis(1), Duration.ofMillis(2));
    }

    S3BatchSink sink(S3BatchSettings settings) {
        return sink(settings, r -> oneLine(r));
    }

    S3BatchSink sink(S3BatchSettings settings, S3BatchSink.LineEncoder encoder) {
        S3BatchSink s = new S3BatchSink(s3, clock, settings, encoder);
        sinks.add(s);
        return s;
    }

    byte[] oneLine(SinkRecord r) {
        DmsJsonEncoder unformatted = new DmsJsonEncoder(new MessageDef(MessageFormat.JSON_UNFORMATTED, false, false, false, false, false,
                new MessageDef.BeforeImage(false, "BI", BeforeImageColumns.ALL)), clock);
        return unformatted.encode(r.event(), r.partitionKey(), "primary-key");
    }

    SinkRecord insert(TableId table, long id) {
        long seq = sequence++;
        ChangeEvent e = ChangeEvent.of(Op.INSERT, table, Row.of("id", id, "note", "row " + id), null, List.of("id"),
                new SourcePosition.Sequence(seq));
        return new SinkRecord(seq, e, table + "." + id);
    }

    List<SinkRecord> inserts(TableId table, int from, int count) {
        List<SinkRecord> l = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            l.add(insert(table, i));
        }
        return l;
    }

    static CompletableFuture<List<Outcome>> start(io.smallrye.mutiny.Uni<List<Outcome>> uni) {
        return uni.subscribeAsCompletionStage();
    }

    static List<Outcome> done(CompletableFuture<List<Outcome>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    List<Long> ids(String key) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String line : s3.lines(key)) {
            ids.add(JSON.readTree(line).get("data").get("id").asLong());
        }
        return ids;
    }

    List<String> keys() {
        return List.copyOf(s3.objects.keySet());
    }

    @Test
    void theSizeReachedFirstDeliversAnObjectAndOnlyItsWritesComplete() throws Exception {
        long twelve = inserts(INVOICES, 0, 12).stream().mapToLong(r -> oneLine(r).length).sum();
        sequence = 0;
        S3BatchSink s = sink(settings(twelve, Duration.ofSeconds(60), false));
        CompletableFuture<List<Outcome>> first = start(s.write(inserts(INVOICES, 0, 6)));
        CompletableFuture<List<Outcome>> second = start(s.write(inserts(INVOICES, 6, 6)));
        CompletableFuture<List<Outcome>> third = start(s.write(inserts(INVOICES, 12, 3)));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE), done(first));
        assertEquals(6, done(second).size());
        assertEquals(1, keys().size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), ids(keys().get(0)));
        assertFalse(third.isDone(), "records under the size wait for more or for the interval");
        assertEquals(1, s.openBatches());
    }

    @Test
    void theIntervalReachedFirstDeliversWhatIsBuffered() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false));
        CompletableFuture<List<Outcome>> w = start(s.write(inserts(INVOICES, 0, 3)));
        clock.advance(Duration.ofSeconds(30));
        CompletableFuture<List<Outcome>> later = start(s.write(inserts(INVOICES, 3, 2)));
        clock.advance(Duration.ofSeconds(29));
        s.tick();
        assertFalse(w.isDone());
        assertTrue(keys().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        s.tick();
        assertEquals(3, done(w).size());
        assertEquals(2, done(later).size(), "the interval counts from the oldest record of the batch");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ids(keys().get(0)));
    }

    @Test
    void aCleanShutdownFlushesEveryBatch() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(900), true));
        CompletableFuture<List<Outcome>> a = start(s.write(inserts(INVOICES, 0, 4)));
        CompletableFuture<List<Outcome>> b = start(s.write(inserts(CUSTOMERS, 0, 2)));
        assertFalse(a.isDone());
        s.flush().await().atMost(Duration.ofSeconds(10));
        assertTrue(a.isDone() && b.isDone(), "flush completes when every batch is written");
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), done(b));
        assertEquals(2, keys().size());
        assertEquals(0, s.openBatches());
    }

    @Test
    void keysFollowFirehoseWithTheOldestArrivalForEveryTimestamp() throws Exception {
        S3BatchSink s = sink(S3BatchSettings.of("invoices", "lake", "lake",
                "cdc/!{partition:schema}/!{partition:table}/!{timestamp:yyyy/MM/dd/HH}/!{timestamp:HH-mm}/", "errors/", 1 << 20,
                Duration.ofSeconds(60), true).withCheckEvery(Duration.ZERO));
        CompletableFuture<List<Outcome>> w = start(s.write(List.of(insert(INVOICES, 1), insert(CUSTOMERS, 1))));
        clock.advance(Duration.ofSeconds(10));
        start(s.write(List.of(insert(INVOICES, 2))));
        clock.advance(Duration.ofSeconds(50));
        s.tick();
        done(w);
        List<String> keys = keys();
        assertEquals(2, keys.size(), keys.toString());
        String pattern = "lake/cdc/democustomer/%s/2026/11/21/13/13-59/invoices-lake-2026-11-21-13-59-58-"
                + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.gz";
        assertTrue(keys.get(0).matches(pattern.formatted("customers")), keys.get(0));
        assertTrue(keys.get(1).matches(pattern.formatted("invoices")), keys.get(1));
        assertEquals(List.of(1L, 2L), ids(keys.get(1)));
    }

    @Test
    void aColumnPartitionSplitsBatchesByValue() throws Exception {
        S3BatchSink s = sink(S3BatchSettings.of("invoices", "lake", "lake", "by-note/!{partition:id}/", "errors/", 1 << 20,
                Duration.ofSeconds(60), false).withCheckEvery(Duration.ZERO));
        CompletableFuture<List<Outcome>> w = start(s.write(List.of(insert(INVOICES, 7), insert(INVOICES, 8), insert(INVOICES, 7))));
        s.flush().await().atMost(Duration.ofSeconds(10));
        done(w);
        assertEquals(List.of("by-note/7/", "by-note/8/"), keys().stream().map(k -> k.substring(5, k.indexOf('/', 13) + 1)).toList());
    }

    @Test
    void aRecordThatCannotBeEncodedGoesUnderTheErrorPrefixWithItsReason() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), true), r -> {
            if (r.event().image().get("id").equals(2L)) {
                throw new IllegalArgumentException("unsupported value type java.util.UUID in column note");
            }
            return oneLine(r);
        });
        CompletableFuture<List<Outcome>> w = start(s.write(inserts(INVOICES, 1, 3)));
        s.flush().await().atMost(Duration.ofSeconds(10));
        List<Outcome> outcomes = done(w);
        assertEquals(Outcome.DONE, outcomes.get(0));
        assertEquals(Outcome.failed("processing-failed: IllegalArgumentException: unsupported value type java.util.UUID in column note"),
                outcomes.get(1));
        assertEquals(Outcome.DONE, outcomes.get(2));
        String errorKey = keys().stream().filter(k -> k.startsWith("lake/errors/")).findFirst().orElseThrow();
        assertTrue(errorKey.matches("lake/errors/processing-failed/2026/11/invoices-lake-2026-11-21-13-59-58-.*\\.gz"), errorKey);
        List<String> lines = s3.lines(errorKey);
        assertEquals(1, lines.size());
        JsonNode error = JSON.readTree(lines.get(0));
        assertEquals("processing-failed", error.get("errorCode").asText());
        assertEquals("IllegalArgumentException: unsupported value type java.util.UUID in column note", error.get("errorMessage").asText());
        assertEquals("1", error.get("stream-position").asText());
        assertEquals("invoices", error.get("table-name").asText());
        assertEquals("row 2", error.get("row").get("note").asText());
        assertEquals(List.of(1L, 3L), ids(keys().stream().filter(k -> k.startsWith("lake/cdc/")).findFirst().orElseThrow()));
    }

    @Test
    void aRecordWhoseObjectS3RefusesIsDeliveredUnderTheErrorPrefixWithTheRawRecord() throws Exception {
        s3.reject = k -> k.startsWith("cdc/");
        s3.status = 400;
        s3.code = "InvalidRequest";
        S3BatchSink s = sink(S3BatchSettings.of("invoices", "lake", "lake", "cdc/", "failed/", 1 << 20, Duration.ofSeconds(60), false)
                .withCheckEvery(Duration.ZERO));
        SinkRecord r = insert(INVOICES, 5);
        CompletableFuture<List<Outcome>> w = start(s.write(List.of(r)));
        s.flush().await().atMost(Duration.ofSeconds(10));
        Outcome outcome = done(w).get(0);
        assertInstanceOf(Outcome.Failed.class, outcome);
        assertTrue(((Outcome.Failed) outcome).reason().startsWith("delivery-failed: S3Exception: injected InvalidRequest"), outcome.toString());
        String key = keys().get(0);
        assertTrue(key.startsWith("lake/failed/delivery-failed/invoices-lake-"), "the error type is appended: " + key);
        JsonNode error = JSON.readTree(s3.lines(key).get(0));
        assertEquals("delivery-failed", error.get("errorCode").asText());
        assertEquals(new String(oneLine(r)), new String(Base64.getDecoder().decode(error.get("rawData").asText())));
    }

    @Test
    void aTransientErrorIsRetriedAndWritesOneObject() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        s3.reject = k -> calls.incrementAndGet() <= 2;
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false));
        CompletableFuture<List<Outcome>> w = start(s.write(inserts(INVOICES, 0, 2)));
        s.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), done(w));
        assertEquals(3, calls.get());
        assertEquals(1, keys().size());
    }

    @Test
    void aMissingBucketStopsThePipeline() {
        s3.reject = k -> true;
        s3.status = 404;
        s3.code = "NoSuchBucket";
        S3BatchSink s = sink(settings(1 << 20, Duration.ZERO, false));
        CompletableFuture<List<Outcome>> w = start(s.write(inserts(INVOICES, 0, 1)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> w.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SinkFatalException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("s3://lake/cdc/invoices/2026/11/21/13/invoices-lake-"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().endsWith("create the bucket or grant s3:PutObject to changepipe"), e.getCause().getMessage());
    }

    @Test
    void tooManyOpenPartitionsDeliverTheOldestEarly() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false).withLimits(2, 1 << 30));
        CompletableFuture<List<Outcome>> oldest = start(s.write(List.of(insert(INVOICES, 1))));
        clock.advance(Duration.ofSeconds(1));
        start(s.write(List.of(insert(CUSTOMERS, 1))));
        clock.advance(Duration.ofSeconds(1));
        start(s.write(List.of(insert(new TableId("democustomer", "payments"), 1))));
        assertEquals(List.of(Outcome.DONE), done(oldest));
        assertEquals(2, s.openBatches());
    }

    @Test
    void aMemoryLimitDeliversTheLargestBatchEarly() throws Exception {
        S3BatchSink s = sink(settings(1 << 30, Duration.ofSeconds(60), false).withLimits(500, 8192 * 2 + 2000));
        CompletableFuture<List<Outcome>> small = start(s.write(inserts(CUSTOMERS, 0, 1)));
        CompletableFuture<List<Outcome>> large = start(s.write(inserts(INVOICES, 0, 40)));
        assertEquals(40, done(large).size());
        assertFalse(small.isDone());
        assertEquals(1, s.openBatches());
    }

    @Test
    void moreBufferedRecordsThanTheEngineLetsIntoFlightDeliverEveryBatch() throws Exception {
        S3BatchSink s = sink(settings(1 << 30, Duration.ofSeconds(60), false).withMaxBufferedRecords(10));
        CompletableFuture<List<Outcome>> oldest = start(s.write(inserts(CUSTOMERS, 0, 2)));
        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<List<Outcome>> large = start(s.write(inserts(INVOICES, 0, 9)));
        assertEquals(2, done(oldest).size(), "11 records buffered: every batch goes, so every write completes");
        assertEquals(9, done(large).size());
        assertEquals(0, s.openBatches());
    }

    @Test
    void intervalZeroDeliversEveryWriteAtOnce() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ZERO, false));
        assertEquals(2, done(start(s.write(inserts(INVOICES, 0, 2)))).size());
        assertEquals(1, keys().size());
    }
}
