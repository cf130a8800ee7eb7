package io.changepipe.sink.s3csv;

import io.changepipe.sink.s3.MutableClock;
import io.changepipe.sink.s3.MemoryS3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.Compression;
import io.changepipe.definition.DataSize;
import io.changepipe.definition.DatePartitionDelimiter;
import io.changepipe.definition.DatePartitionSequence;
import io.changepipe.definition.SinkDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.SinkRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.changepipe.sink.spool.Spool;
import java.nio.file.Path;

/** File names, layout and the DMS column options of the s3-csv sink, against an in-memory S3 and a hand-moved clock. */
class S3CsvSinkTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final Instant START = Instant.parse("2026-11-21T14:00:00.123Z");

    final MemoryS3 s3 = new MemoryS3();
    final MutableClock clock = new MutableClock(START);
    final List<S3CsvSink> sinks = new ArrayList<>();
    @TempDir
    Path state;
    long sequence;

    @AfterEach
    void close() {
        sinks.forEach(S3CsvSink::close);
    }

    static SinkDef.S3Csv def(boolean opForLoad, boolean insertsOnly, boolean insertsAndUpdates, Optional<String> timestamp, String nullValue,
            boolean header, Compression compression, boolean datePartition, long minSize, long maxFile) {
        return new SinkDef.S3Csv("dms-csv", "lake", "raw/dms", opForLoad, insertsOnly, insertsAndUpdates, timestamp, ",", "\n", nullValue,
                header, compression, datePartition, DatePartitionSequence.YYYYMMDD, DatePartitionDelimiter.SLASH, Duration.ofSeconds(60),
                new DataSize(minSize), new DataSize(maxFile));
    }

    static SinkDef.S3Csv plain() {
        return def(true, false, false, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 1 << 30);
    }

    S3CsvSink sink(SinkDef.S3Csv def) {
        S3CsvSink s = new S3CsvSink(s3, clock, "invoices", def, Duration.ZERO, Spool.of(state, "invoices", def.name(), 1L << 30),
                Duration.ofMillis(1));
        sinks.add(s);
        return s;
    }

    SinkRecord change(Op op, long id, Object note) {
        long seq = sequence++;
        Row row = Row.of("id", id, "note", note, "billed", LocalDate.of(2022, 4, 15));
        ChangeEvent e = new ChangeEvent(op, INVOICES, op == Op.DELETE ? null : row, op == Op.DELETE ? row : null, List.of("id"),
                op == Op.LOAD ? null : Instant.parse("2026-11-20T23:59:59.5Z"), null, 0, null, 0, new SourcePosition.Sequence(seq), null);
        return new SinkRecord(seq, e, "k" + id);
    }

    static List<Outcome> done(CompletableFuture<List<Outcome>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    String text(String key) {
        return new String(s3.objects.get(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void fullLoadFilesCountInHexAndChangesGoToTimestampNamedFiles() throws Exception {
        S3CsvSink s = sink(def(true, false, false, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 1));
        List<SinkRecord> load = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            load.add(change(Op.LOAD, i, "n" + i));
        }
        assertEquals(11, done(s.write(load).subscribeAsCompletionStage()).size());
        CompletableFuture<List<Outcome>> cdc = s.write(List.of(change(Op.UPDATE, 2, "paid"), change(Op.DELETE, 3, "n3"),
                change(Op.INSERT, 12, "new"))).subscribeAsCompletionStage();
        assertEquals(List.of(Outcome.DONE, Outcome.DONE, Outcome.DONE), done(cdc), "done once spooled");
        clock.advance(Duration.ofSeconds(59));
        s.tick();
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(11, s3.objects.size());
        clock.advance(Duration.ofSeconds(1));
        s.tick();
        s.awaitUploads(Duration.ofSeconds(10));
        List<String> keys = new ArrayList<>(s3.objects.keySet());
        assertEquals(12, keys.size(), keys.toString());
        keys.add(keys.remove(0));
        assertEquals("lake/raw/dms/democustomer/invoices/LOAD00000001.csv", keys.get(0));
        assertEquals("lake/raw/dms/democustomer/invoices/LOAD0000000A.csv", keys.get(9));
        assertEquals("lake/raw/dms/democustomer/invoices/LOAD0000000B.csv", keys.get(10));
        assertEquals("I,10,n10,2022-04-15\n", text(keys.get(9)));
        assertEquals("lake/raw/dms/democustomer/invoices/20261121-140100123.csv", keys.get(11));
        assertEquals("U,2,paid,2022-04-15\nD,3,n3,2022-04-15\nI,12,new,2022-04-15\n", text(keys.get(11)));
    }

    @Test
    void theFirstChangeOfATableEndsItsFullLoadFile() throws Exception {
        S3CsvSink s = sink(def(false, false, false, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 1 << 30));
        done(s.write(List.of(change(Op.LOAD, 1, "a"), change(Op.LOAD, 2, "b"))).subscribeAsCompletionStage());
        s.awaitUploads(Duration.ofSeconds(10));
        assertTrue(s3.objects.isEmpty());
        s.write(List.of(change(Op.INSERT, 3, "c")));
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals("1,a,2022-04-15\n2,b,2022-04-15\n", text("lake/raw/dms/democustomer/invoices/LOAD00000001.csv"),
                "no I column in full load without includeOpForFullLoad");
        assertEquals(1, s.openFiles());
    }

    @Test
    void rfc4180QuotingNullValueHeaderAndTimestampColumn() throws Exception {
        S3CsvSink s = sink(def(true, false, false, Optional.of("ts"), "NULL", true, Compression.GZIP, false, 1 << 20, 1 << 30));
        CompletableFuture<List<Outcome>> w = s.write(List.of(change(Op.INSERT, 1, "a, \"quoted\"\nline"), change(Op.UPDATE, 1, null)))
                .subscribeAsCompletionStage();
        s.flush().await().atMost(Duration.ofSeconds(10));
        done(w);
        String key = s3.objects.keySet().iterator().next();
        assertEquals("lake/raw/dms/democustomer/invoices/20261121-140000123.csv.gz", key);
        assertEquals(List.of("Op,ts,id,note,billed", "I,2026-11-20 23:59:59.500000,1,\"a, \"\"quoted\"\"", "line\",2022-04-15",
                "U,2026-11-20 23:59:59.500000,1,NULL,2022-04-15"), s3.lines(key));
    }

    @Test
    void cdcInsertsOnlyAndInsertsAndUpdatesDropWhatDmsDrops() throws Exception {
        S3CsvSink only = sink(def(false, true, false, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 1 << 30));
        CompletableFuture<List<Outcome>> first = only.write(List.of(change(Op.INSERT, 1, "a"), change(Op.UPDATE, 1, "b"),
                change(Op.DELETE, 1, "b"))).subscribeAsCompletionStage();
        only.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE, Outcome.DONE), done(first), "what DMS leaves out is done at once");
        String key = s3.objects.keySet().iterator().next();
        assertEquals("1,a,2022-04-15\n", text(key), "inserts only, and without includeOpForFullLoad no I column");
        s3.objects.clear();

        S3CsvSink upserts = sink(def(false, false, true, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 1 << 30));
        CompletableFuture<List<Outcome>> w = upserts.write(List.of(change(Op.INSERT, 1, "a"), change(Op.UPDATE, 1, "b"), change(Op.DELETE, 1, "b")))
                .subscribeAsCompletionStage();
        upserts.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(3, done(w).size());
        assertEquals("I,1,a,2022-04-15\nU,1,b,2022-04-15\n", text(s3.objects.keySet().iterator().next()));
    }

    @Test
    void datePartitionsComeFromTheCommitDateAndMinFileSizeCutsFiles() throws Exception {
        S3CsvSink s = sink(def(true, false, false, Optional.empty(), "", false, Compression.NONE, true, 20, 1 << 30));
        CompletableFuture<List<Outcome>> w = s.write(List.of(change(Op.INSERT, 1, "a"), change(Op.INSERT, 2, "b")))
                .subscribeAsCompletionStage();
        assertEquals(2, done(w).size(), "the second row passes cdcMinFileSize");
        s.awaitUploads(Duration.ofSeconds(10));
        assertEquals(List.of("lake/raw/dms/democustomer/invoices/2026/11/20/20261121-140000123.csv"), List.copyOf(s3.objects.keySet()));
    }

    @Test
    void aRestartKeepsTheLoadCounterAndUploadsWhatTheCrashLeftUnderTheNextName() throws Exception {
        SinkDef.S3Csv def = def(true, false, false, Optional.empty(), "", false, Compression.NONE, false, 1 << 20, 30);
        S3CsvSink first = sink(def);
        done(first.write(List.of(change(Op.LOAD, 1, "a"), change(Op.LOAD, 2, "b"), change(Op.LOAD, 3, "c"))).subscribeAsCompletionStage());
        first.awaitUploads(Duration.ofSeconds(10));
        assertEquals(List.of("lake/raw/dms/democustomer/invoices/LOAD00000001.csv"), List.copyOf(s3.objects.keySet()));
        first.close(); // a crash: LOAD row 3 is in an open spool file
        S3CsvSink second = sink(def);
        second.awaitUploads(Duration.ofSeconds(10));
        assertEquals("I,3,c,2022-04-15\n", text("lake/raw/dms/democustomer/invoices/LOAD00000002.csv"), "the open file goes under the next number");
        done(second.write(List.of(change(Op.LOAD, 4, "d"), change(Op.LOAD, 5, "e"))).subscribeAsCompletionStage());
        second.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals("I,4,d,2022-04-15\nI,5,e,2022-04-15\n", text("lake/raw/dms/democustomer/invoices/LOAD00000003.csv"),
                "a restarted load never overwrites LOAD00000001");
        assertEquals(3, s3.objects.size());
    }

    @Test
    void aTransientOutageIsRetriedForAsLongAsItLastsNothingIsAnsweredFailed() throws Exception {
        s3.reject = k -> true;
        s3.status = 500;
        S3CsvSink s = sink(plain());
        assertEquals(List.of(Outcome.DONE), done(s.write(List.of(change(Op.INSERT, 1, "a"))).subscribeAsCompletionStage()));
        CompletableFuture<Void> flushed = s.flush().subscribeAsCompletionStage();
        long until = System.nanoTime() + 10_000_000_000L;
        while (s.problem() == null && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertTrue(s.problem() != null && s.problem().contains("InternalError"), String.valueOf(s.problem()));
        assertFalse(flushed.isDone());
        s3.reject = k -> false;
        flushed.get(10, TimeUnit.SECONDS);
        assertEquals("I,1,a,2022-04-15\n", text(s3.objects.keySet().iterator().next()));
        assertEquals(null, s.problem());
    }
}
