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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.changepipe.sink.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buffer rules, keys, error output, spool and retries of the s3-batch sink, against an in-memory S3 and a hand-moved clock. */
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
    @TempDir
    Path state;
    long sequence;

    @AfterEach
    void close() {
        sinks.forEach(S3BatchSink::close);
    }

    S3BatchSettings settings(long size, Duration interval, boolean gzip) {
        return S3BatchSettings.of("invoices", "lake", "lake", "cdc/!{partition:table}/!{timestamp:yyyy/MM/dd/HH}/", "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM}/",
                size, interval, gzip).withCheckEvery(Duration.ZERO).withRetries(Duration.ofMillis(1), Duration.ofMillis(2));
    }

    S3BatchSink sink(S3BatchSettings settings) {
        return sink(settings, r -> oneLine(r));
    }

    S3BatchSink sink(S3BatchSettings settings, S3BatchSink.LineEncoder encoder) {
        S3BatchSink s = new S3BatchSink(s3, clock, settings, encoder, Spool.of(state, "invoices", "lake", 1L << 30));
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
    void writesAreDoneOnceSpooledAndTheSizeReachedFirstDeliversAnObject() throws Exception {
        long twelve = inserts(INVOICES, 0, 12).stream().mapToLong(r -> oneLine(r).length).sum();
        sequence = 0;
        S3BatchSink s = sink(settings(twelve, Duration.ofSeconds(60), false));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.DONE),
                done(start(s.write(inserts(INVOICES, 0, 6)))), "done once on disk, long before the object is written");
        assertTrue(keys().isEmpty());
        assertEquals(6, done(start(s.write(inserts(INVOICES, 6, 6)))).size());
        assertEquals(3, done(start(s.write(inserts(INVOICES, 12, 3)))).size());
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(1, keys().size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), ids(keys().get(0)));
        assertEquals(1, s.openBatches(), "records under the size wait for more or for the interval");
    }

    @Test
    void theIntervalReachedFirstDeliversWhatIsBuffered() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false));
        done(start(s.write(inserts(INVOICES, 0, 3))));
        clock.advance(Duration.ofSeconds(30));
        done(start(s.write(inserts(INVOICES, 3, 2))));
        clock.advance(Duration.ofSeconds(29));
        s.tick();
        s.awaitUploads(Duration.ofSeconds(10));
        assertTrue(keys().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        s.tick();
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ids(keys().get(0)), "the interval counts from the oldest record of the batch");
    }

    @Test
    void aCleanShutdownFlushesEveryBatch() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(900), true));
        done(start(s.write(inserts(INVOICES, 0, 4))));
        done(start(s.write(inserts(CUSTOMERS, 0, 2))));
        s.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(2, keys().size());
        assertEquals(0, s.openBatches());
        assertEquals(List.of(), spoolFiles(), "uploaded files leave the spool");
    }

    @Test
    void whatACrashLeftInTheSpoolIsUploadedAtTheNextStartUnderTheKeyItWasGiven() throws Exception {
        S3BatchSink first = sink(settings(1 << 20, Duration.ofSeconds(900), true));
        done(start(first.write(inserts(INVOICES, 0, 5))));
        first.close(); // a crash: nothing uploaded, the buffer is on disk
        assertTrue(keys().isEmpty());
        assertEquals(1, spoolFiles().size());
        // a record cut short by the crash was never answered done: it is dropped, the others go
        Path file = state.resolve("spool/invoices/lake").resolve(spoolFiles().get(0));
        Files.write(file, new byte[] {'R', 0, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
        S3BatchSink second = sink(settings(1 << 20, Duration.ofSeconds(900), true));
        second.awaitUploads(Duration.ofSeconds(10));
        assertEquals(1, keys().size());
        assertTrue(keys().get(0).matches("lake/cdc/invoices/2026/11/21/13/invoices-lake-2026-11-21-13-59-58-.*\\.gz"), keys().get(0));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ids(keys().get(0)));
        assertEquals(List.of(), spoolFiles());
    }

    List<String> spoolFiles() throws java.io.IOException {
        Path dir = state.resolve("spool/invoices/lake");
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".spool")).sorted().toList();
        }
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
        s.awaitUploads(Duration.ofSeconds(10));
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
    void anObjectS3RefusesIsRetriedUntilItGoesWhileTheSinkReportsTheProblem() throws Exception {
        s3.reject = k -> k.startsWith("cdc/");
        s3.status = 503;
        s3.code = "SlowDown";
        S3BatchSink s = sink(S3BatchSettings.of("invoices", "lake", "lake", "cdc/", "failed/", 1 << 20, Duration.ofSeconds(60), false)
                .withCheckEvery(Duration.ZERO).withRetries(Duration.ofMillis(1), Duration.ofMillis(5)));
        assertEquals(List.of(Outcome.DONE), done(start(s.write(List.of(insert(INVOICES, 5))))));
        CompletableFuture<Void> flushed = s.flush().subscribeAsCompletionStage();
        long until = System.nanoTime() + 10_000_000_000L;
        while (s.problem() == null && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertTrue(s.problem() != null && s.problem().contains("SlowDown"), String.valueOf(s.problem()));
        assertFalse(flushed.isDone(), "an upload is never given up");
        assertTrue(keys().isEmpty());
        s3.reject = k -> false;
        flushed.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(5L), ids(keys().get(0)));
        assertEquals(null, s.problem());
    }

    @Test
    void aTransientErrorIsRetriedAndWritesOneObject() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        s3.reject = k -> calls.incrementAndGet() <= 2;
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), done(start(s.write(inserts(INVOICES, 0, 2)))));
        s.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(3, calls.get());
        assertEquals(1, keys().size());
    }

    @Test
    void aMissingBucketStopsThePipelineAndKeepsTheSpool() throws Exception {
        s3.reject = k -> true;
        s3.status = 404;
        s3.code = "NoSuchBucket";
        S3BatchSink s = sink(settings(1 << 20, Duration.ZERO, false));
        assertEquals(1, done(start(s.write(inserts(INVOICES, 0, 1)))).size());
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.flush().subscribeAsCompletionStage().get(10, TimeUnit.SECONDS));
        assertInstanceOf(SinkFatalException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("s3://lake/cdc/invoices/2026/11/21/13/invoices-lake-"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("create the bucket or grant s3:PutObject to changepipe"), e.getCause().getMessage());
        assertInstanceOf(SinkFatalException.class, s.fatal());
        assertThrows(ExecutionException.class, () -> start(s.write(inserts(INVOICES, 1, 1))).get(10, TimeUnit.SECONDS),
                "later writes fail with it");
        assertEquals(1, spoolFiles().size(), "the records stay on disk for the next start");
    }

    @Test
    void tooManyOpenPartitionsDeliverTheOldestEarly() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ofSeconds(60), false).withMaxOpenPartitions(2));
        start(s.write(List.of(insert(INVOICES, 1))));
        clock.advance(Duration.ofSeconds(1));
        start(s.write(List.of(insert(CUSTOMERS, 1))));
        clock.advance(Duration.ofSeconds(1));
        start(s.write(List.of(insert(new TableId("democustomer", "payments"), 1))));
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(1, keys().size());
        assertTrue(keys().get(0).startsWith("lake/cdc/invoices/"), keys().get(0));
        assertEquals(2, s.openBatches());
    }

    @Test
    void intervalZeroDeliversEveryWriteAtOnce() throws Exception {
        S3BatchSink s = sink(settings(1 << 20, Duration.ZERO, false));
        assertEquals(2, done(start(s.write(inserts(INVOICES, 0, 2)))).size());
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(1, keys().size());
    }
}
