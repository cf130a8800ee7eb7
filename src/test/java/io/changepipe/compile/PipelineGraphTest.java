package io.changepipe.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.offset.PositionStore;
import io.changepipe.sink.DeadLetters;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.memory.MemorySink;
import io.changepipe.source.memory.MemorySource;
import io.changepipe.stats.TableStatistics;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ack-driven graph with the in-memory source and sink: order per key, commit after all sinks, retry, crash recovery. */
class PipelineGraphTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final PipelineGraph.Settings FAST = PipelineGraph.Settings.DEFAULT.withSinkBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .withBatch(50, Duration.ofMillis(2));

    @TempDir
    Path state;

    final MemorySource source = new MemorySource();
    final List<String> deadLettered = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger deadLetterFailures = new java.util.concurrent.atomic.AtomicInteger();
    final List<SinkRecord> deadLetterRecords = new CopyOnWriteArrayList<>();
    final DeadLetters deadLetters = (p, sink, r, reason) -> {
        if (deadLetterFailures.getAndDecrement() > 0) {
            throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
        }
        deadLetterRecords.add(r);
        deadLettered.add(sink + ":" + r.event().position().text() + ":" + reason);
    };
    final List<PipelineGraph> started = new ArrayList<>();
    final TableStatistics stats = new TableStatistics(java.time.Clock.systemUTC(), (t, op) -> { });

    @AfterEach
    void stopAll() throws InterruptedException {
        for (PipelineGraph g : started) {
            if (g.state() == PipelineGraph.State.RUNNING) {
                g.kill();
            }
        }
    }

    PipelineGraph graph(Map<String, Sink> sinks, PipelineGraph.Settings settings) throws Exception {
        return graph(sinks, settings, e -> Optional.of(e));
    }

    PipelineGraph graph(Map<String, Sink> sinks, PipelineGraph.Settings settings, PipelineGraph.Processor processor) throws Exception {
        PositionStore store = new FilePositionStore(state);
        PipelineGraph g = new PipelineGraph("invoices",
                new PipelineGraph.Parts(source, processor, (in, e) -> e.table() + "." + e.image().get("invoice_id"), sinks),
                new PipelineGraph.Services(store, deadLetters, stats::count), settings);
        started.add(g);
        g.start();
        return g;
    }

    /** Inserts, updates and deletes over {@code rows} invoices, mixed: a row's changes are in order in the log. */
    void writeChanges(int rows, int updatesPerRow) {
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, invoice(i, 0), null, List.of("invoice_id"));
        }
        for (int u = 1; u <= updatesPerRow; u++) {
            for (int i = 0; i < rows; i++) {
                source.append(Op.UPDATE, INVOICES, invoice(i, u), invoice(i, u - 1), List.of("invoice_id"));
            }
        }
        for (int i = 0; i < rows; i += 3) {
            source.append(Op.DELETE, INVOICES, null, invoice(i, updatesPerRow), List.of("invoice_id"));
        }
    }

    Optional<SourcePosition> storedPosition() {
        try {
            return new FilePositionStore(state).load("invoices");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void writeInserts(int rows) {
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, invoice(i, 0), null, List.of("invoice_id"));
        }
    }

    static Row invoice(long id, long version) {
        return Row.of("invoice_id", id, "balance", version);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + dump());
            }
            Thread.sleep(2);
        }
    }

    static String dump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (t.getName().startsWith("changepipe")) {
                b.append("\n").append(t.getName()).append(" ").append(t.getState());
                for (int i = 0; i < Math.min(8, st.length); i++) {
                    b.append("\n    ").append(st[i]);
                }
            }
        });
        return b.toString();
    }

    static long seq(SourcePosition p) {
        return p == null ? -1 : ((SourcePosition.Sequence) p).value();
    }

    static Map<String, List<Long>> positionsByKey(List<SinkRecord> records) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        records.forEach(r -> m.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(seq(r.event().position())));
        return m;
    }

    static void assertOrderedPerKey(List<SinkRecord> records) {
        positionsByKey(records).forEach((key, positions) -> {
            for (int i = 1; i < positions.size(); i++) {
                assertTrue(positions.get(i - 1) < positions.get(i), key + " out of order: " + positions);
            }
        });
    }

    @Test
    void everyChangeReachesEverySinkInOrderPerKeyAndThePositionIsCommitted() throws Exception {
        MemorySink a = new MemorySink();
        MemorySink b = new MemorySink();
        PipelineGraph g = graph(Map.of("a", a, "b", b), FAST);
        writeChanges(50, 4);
        int total = source.events().size();
        await(() -> a.delivered().size() == total && b.delivered().size() == total, "delivery to both sinks: " + total);
        assertEquals(source.events().stream().map(ChangeEvent::position).toList(),
                a.delivered().stream().map(r -> r.event().position()).toList(), "one batch at a time keeps source order");
        assertOrderedPerKey(b.delivered());
        await(() -> seq(g.acknowledged()) == total - 1, "acknowledged up to the last change");
        g.stop();
        assertEquals(Optional.of(new SourcePosition.Sequence(total - 1)), new FilePositionStore(state).load("invoices"));
        assertEquals(PipelineGraph.State.STOPPED, g.state());
    }

    @Test
    void thePositionWaitsForTheSlowestSink() throws Exception {
        MemorySink fast = new MemorySink();
        MemorySink slow = new MemorySink();
        CompletableFuture<Void> release = new CompletableFuture<>();
        slow.stallUntil(Uni.createFrom().completionStage(release));
        PipelineGraph g = graph(Map.of("fast", fast, "slow", slow), FAST);
        writeChanges(10, 1);
        int total = source.events().size();
        await(() -> fast.delivered().size() == total, "the fast sink has everything");
        assertNull(g.acknowledged(), "nothing is committed while one sink has acknowledged nothing");
        assertEquals(total, g.inFlight());
        release.complete(null);
        await(() -> seq(g.acknowledged()) == total - 1, "committed once the slow sink acknowledged");
    }

    @Test
    void retriedRecordsAreDeliveredOnceEachAndKeepTheirKeysOrder() throws Exception {
        Random random = new Random(42);
        Map<Long, Integer> attempts = new HashMap<>();
        MemorySink flaky = new MemorySink(r -> {
            attempts.merge(r.sequence(), 1, Integer::sum);
            return random.nextInt(100) < 30 ? Outcome.retry("ProvisionedThroughputExceededException") : Outcome.DONE;
        });
        graph(Map.of("flaky", flaky), FAST);
        writeChanges(40, 5);
        int total = source.events().size();
        await(() -> flaky.delivered().size() == total, "everything delivered despite 30% retries");
        assertEquals(total, flaky.delivered().stream().map(SinkRecord::sequence).distinct().count(), "no duplicates within one run");
        assertOrderedPerKey(flaky.delivered());
        assertTrue(attempts.values().stream().anyMatch(n -> n > 1), "some records needed more than one attempt");
    }

    @Test
    void aWholeWriteFailingIsRetriedWithBackoff() throws Exception {
        int[] calls = {0};
        MemorySink inner = new MemorySink();
        Sink failingTwice = records -> ++calls[0] <= 2 ? Uni.createFrom().failure(new RuntimeException("connection reset")) : inner.write(records);
        graph(Map.of("s", failingTwice), FAST);
        writeInserts(5);
        await(() -> inner.delivered().size() == 5, "delivered after the transient failures");
        assertTrue(calls[0] >= 3);
    }

    @Test
    void aRecordThatCanNeverBeDeliveredGoesToTheDeadLetterPlaceAndDoesNotBlockTheCommit() throws Exception {
        MemorySink s = new MemorySink(r -> seq(r.event().position()) == 3 ? Outcome.failed("record is 1.2 MiB, over the 1 MiB limit") : Outcome.DONE);
        PipelineGraph g = graph(Map.of("stream", s), FAST);
        writeInserts(6);
        await(() -> seq(g.acknowledged()) == 5, "commit passes the dead-lettered record");
        assertEquals(List.of("stream:3:record is 1.2 MiB, over the 1 MiB limit"), deadLettered);
        assertEquals(5, s.delivered().size());
    }

    @Test
    void unselectedChangesAreCommittedWithoutReachingSinks() throws Exception {
        MemorySink s = new MemorySink();
        PipelineGraph g = graph(Map.of("s", s), FAST, e -> ((Long) e.image().get("invoice_id")) % 2 == 0 ? Optional.of(e) : Optional.empty());
        writeInserts(10);
        await(() -> seq(g.acknowledged()) == 9, "all committed");
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L), s.delivered().stream().map(r -> (Long) r.event().image().get("invoice_id")).toList());
        TableStatistics.Snapshot t = stats.snapshot().get(0);
        assertEquals(List.of("democustomer", "invoices", 5L, "Table completed"), List.of(t.schemaName(), t.tableName(), t.inserts(), t.tableState()),
                "statistics count what the rules selected");
    }

    @Test
    void aStalledSinkBackPressuresTheSource() throws Exception {
        MemorySink s = new MemorySink();
        CompletableFuture<Void> release = new CompletableFuture<>();
        s.stallUntil(Uni.createFrom().completionStage(release));
        PipelineGraph g = graph(Map.of("s", s), FAST.withMaxInFlight(20));
        writeInserts(100);
        await(() -> g.inFlight() == 20, "the in-flight bound is reached");
        Thread.sleep(50);
        assertEquals(20, g.inFlight(), "the source waits instead of queueing more");
        release.complete(null);
        await(() -> s.delivered().size() == 100, "everything flows once the sink recovers");
    }

    /** Completes writes only when 100 records are buffered, or on flush: an S3-batch-like sink. */
    static final class BufferingSink implements Sink {
        final List<SinkRecord> uploaded = new CopyOnWriteArrayList<>();
        private final List<SinkRecord> buffer = new ArrayList<>();
        private final List<CompletableFuture<Void>> waiting = new ArrayList<>();

        @Override
        public int maxPendingWrites() {
            return 1000;
        }

        @Override
        public synchronized Uni<List<Outcome>> write(List<SinkRecord> records) {
            buffer.addAll(records);
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.add(done);
            if (buffer.size() >= 100) {
                upload();
            }
            return Uni.createFrom().completionStage(done).map(x -> records.stream().map(r -> Outcome.DONE).toList());
        }

        private void upload() {
            uploaded.addAll(buffer);
            buffer.clear();
            waiting.forEach(f -> f.complete(null));
            waiting.clear();
        }

        @Override
        public synchronized Uni<Void> flush() {
            upload();
            return Uni.createFrom().voidItem();
        }
    }

    @Test
    void aBufferingSinkKeepsReceivingWhileEarlierWritesWaitForTheirUpload() throws Exception {
        BufferingSink s = new BufferingSink();
        PipelineGraph g = graph(Map.of("lake", s), FAST.withBatch(10, Duration.ofMillis(1)));
        writeInserts(250);
        await(() -> s.uploaded.size() >= 200, "two objects of 100+ uploaded");
        int uploaded = s.uploaded.size();
        assertTrue(uploaded < 250, "the last records wait in the buffer");
        await(() -> seq(g.acknowledged()) == uploaded - 1, "committed up to the last uploaded record");
        Thread.sleep(20);
        assertEquals(uploaded - 1, seq(g.acknowledged()), "buffered records are not acknowledged before their upload");
        g.stop();
        assertEquals(250, s.uploaded.size(), "a clean stop flushes the rest");
        assertEquals(Optional.of(new SourcePosition.Sequence(249)), storedPosition());
    }

    @Test
    void aFatalSinkErrorFailsThePipelineWithTheReason() throws Exception {
        Sink missing = records -> Uni.createFrom().failure(new SinkFatalException("stream invoices-cdc does not exist; create it or set createIfMissing: true"));
        PipelineGraph g = graph(Map.of("stream", missing), FAST);
        writeInserts(3);
        await(() -> g.state() == PipelineGraph.State.FAILED, "the pipeline fails");
        assertEquals("stream invoices-cdc does not exist; create it or set createIfMissing: true", g.failure());
        assertNull(g.acknowledged());
    }

    @Test
    void aRuleErrorOnOneRowDeadLettersThatRowOnly() throws Exception {
        MemorySink s = new MemorySink();
        PipelineGraph g = graph(Map.of("s", s), FAST, e -> {
            if (e.image().get("invoice_id").equals(2L)) {
                throw new IllegalStateException("add-column total: unknown column 'amount'");
            }
            return Optional.of(e);
        });
        writeInserts(4);
        await(() -> seq(g.acknowledged()) == 3, "committed past the bad row");
        assertEquals(3, s.delivered().size());
        assertEquals(List.of("rules:2:add-column total: unknown column 'amount'"), deadLettered);
    }

    @Test
    void aRuleDeadLetterCarriesNoRowImagesTheRulesWouldHaveRemovedOrMasked() throws Exception {
        MemorySink s = new MemorySink();
        PipelineGraph g = graph(Map.of("s", s), FAST, e -> {
            throw new IllegalStateException("mask: unknown column 'ssn'");
        });
        writeInserts(1);
        await(() -> seq(g.acknowledged()) == 0, "committed past the bad row");
        assertEquals(1, deadLetterRecords.size());
        assertNull(deadLetterRecords.get(0).event().after());
        assertNull(deadLetterRecords.get(0).event().before());
        assertEquals("0", deadLetterRecords.get(0).event().position().text());
    }

    @Test
    void aDeadLetterWriteFailingPartWaySettlesEveryRecordOnceAndTheCommitWaitsForTheOtherSink() throws Exception {
        deadLetterFailures.set(1);
        MemorySink a = new MemorySink(r -> r.event().image().get("invoice_id").equals(1L) ? Outcome.failed("too large") : Outcome.DONE);
        MemorySink b = new MemorySink();
        CompletableFuture<Void> release = new CompletableFuture<>();
        b.stallUntil(Uni.createFrom().completionStage(release));
        PipelineGraph g = graph(new LinkedHashMap<>(Map.of("a", a, "b", b)), FAST.withBatch(10, Duration.ofMillis(20)));
        writeInserts(4);
        await(() -> deadLettered.size() == 1, "the dead letter written on the retry");
        await(() -> a.delivered().stream().filter(r -> r.event().image().get("invoice_id").equals(3L)).count() >= 1, "sink a done");
        assertNull(g.acknowledged(), "nothing is committed while sink b has delivered nothing");
        assertEquals(PipelineGraph.State.RUNNING, g.state());
        release.complete(null);
        await(() -> seq(g.acknowledged()) == 3, "committed once b delivered");
        assertEquals(PipelineGraph.State.RUNNING, g.state());
        assertEquals(List.of("a:1:too large"), deadLettered);
        assertEquals(1, a.delivered().stream().filter(r -> r.event().image().get("invoice_id").equals(0L)).count(),
                "the record settled before the failing dead-letter write is not written again");
    }

    @Test
    void stopReturnsWhenASinkStalledWithTheWindowFullAndStoresWhatWasAcknowledged() throws Exception {
        MemorySink s = new MemorySink();
        s.stallUntil(Uni.createFrom().completionStage(new CompletableFuture<Void>()));
        PipelineGraph g = graph(Map.of("s", s), FAST.withMaxInFlight(20).withStopTimeout(Duration.ofMillis(300)));
        writeInserts(100);
        await(() -> g.inFlight() == 20, "the window is full");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), g::stop);
        assertEquals(PipelineGraph.State.STOPPED, g.state());
        assertEquals(Optional.empty(), storedPosition(), "nothing was acknowledged, nothing is stored");
    }

    @Test
    void stopReturnsAfterASinkFailedWithTheWindowFull() throws Exception {
        MemorySink ok = new MemorySink();
        Sink broken = records -> Uni.createFrom().failure(new SinkFatalException("access denied"));
        PipelineGraph g = graph(new LinkedHashMap<>(Map.of("ok", ok, "broken", broken)), FAST.withMaxInFlight(5));
        writeInserts(100);
        await(() -> g.state() == PipelineGraph.State.FAILED, "the pipeline fails");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), g::stop);
        assertEquals(PipelineGraph.State.FAILED, g.state());
        assertEquals("access denied", g.failure());
    }

    @Test
    void aCheckpointIsStoredBeforeItReturnsWhenNothingIsInFlight() throws Exception {
        java.util.concurrent.CountDownLatch checkpointed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        io.changepipe.source.Source starting = new io.changepipe.source.Source() {
            public void run(Optional<SourcePosition> from, io.changepipe.source.ChangeEmitter emitter) throws Exception {
                emitter.checkpoint(new SourcePosition.Sequence(41));
                checkpointed.countDown();
                stopped.await();
            }

            public void stop() {
                stopped.countDown();
            }
        };
        PipelineGraph g = new PipelineGraph("invoices", new PipelineGraph.Parts(starting, Optional::of, (in, e) -> "k",
                Map.of("s", new MemorySink())), new PipelineGraph.Services(new FilePositionStore(state), deadLetters, stats::count),
                new PipelineGraph.Settings(100, Duration.ofHours(1), FAST.sinks()));
        started.add(g);
        g.start();
        assertTrue(checkpointed.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Optional.of(new SourcePosition.Sequence(41)), storedPosition(), "stored at once, not at the next commit tick");
    }

    @Test
    void theWindowIsBoundedByBytesAsWellAsByCount() throws Exception {
        MemorySink s = new MemorySink();
        CompletableFuture<Void> release = new CompletableFuture<>();
        s.stallUntil(Uni.createFrom().completionStage(release));
        PipelineGraph g = graph(Map.of("s", s), FAST.withMaxInFlight(10_000).withMaxInFlightBytes(64 * 1024));
        for (int i = 0; i < 100; i++) {
            source.append(Op.INSERT, INVOICES, Row.of("invoice_id", (long) i, "pdf", new byte[8 * 1024]), null, List.of("invoice_id"));
        }
        await(() -> g.inFlight() > 0 && g.inFlightBytes() >= 56 * 1024, "the byte bound is reached");
        long held = g.inFlight();
        assertTrue(held <= 8, "8 KiB rows: at most 8 in a 64 KiB window, was " + held);
        assertTrue(g.inFlightBytes() <= 64 * 1024, "bytes in flight " + g.inFlightBytes());
        release.complete(null);
        await(() -> s.delivered().size() == 100, "everything flows once the sink recovers");
    }

    @Test
    void afterACrashEverythingAfterTheStoredPositionIsDeliveredAgainNothingIsLost() throws Exception {
        Random random = new Random(7);
        List<SinkRecord> firstRun = new CopyOnWriteArrayList<>();
        MemorySink a = new MemorySink(r -> random.nextInt(100) < 20 ? Outcome.retry("throttled") : Outcome.DONE);
        PipelineGraph.Settings settings = new PipelineGraph.Settings(64, Duration.ofMillis(5), FAST.sinks());
        PipelineGraph g = graph(Map.of("a", a), settings);
        writeChanges(60, 5);
        int total = source.events().size();
        await(() -> a.delivered().size() > total / 3, "part of the log delivered");
        await(() -> storedPosition().isPresent(), "a position stored");
        g.kill();
        firstRun.addAll(a.delivered());
        long storedSeq = seq(new FilePositionStore(state).load("invoices").orElseThrow());
        assertTrue(storedSeq < total - 1, "the crash came before the end");

        MemorySink b = new MemorySink();
        PipelineGraph again = graph(Map.of("a", b), settings);
        await(() -> b.delivered().size() == total - 1 - storedSeq, "the restart delivers everything after the stored position");
        List<Long> secondRun = b.delivered().stream().map(r -> seq(r.event().position())).toList();
        assertEquals(storedSeq + 1, secondRun.get(0), "it resumes right after the stored position: no gap");
        assertOrderedPerKey(b.delivered());
        java.util.Set<Long> seen = new java.util.HashSet<>(secondRun);
        firstRun.forEach(r -> seen.add(seq(r.event().position())));
        for (long i = 0; i < total; i++) {
            assertTrue(seen.contains(i), "change " + i + " was delivered in one of the runs");
        }
        again.stop();
    }

    /** A source that runs a script against the emitter, then waits to be stopped. */
    static io.changepipe.source.Source scripted(ThrowingConsumer<io.changepipe.source.ChangeEmitter> script) {
        return new io.changepipe.source.Source() {
            final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

            public void run(Optional<SourcePosition> from, io.changepipe.source.ChangeEmitter emitter) throws Exception {
                script.accept(emitter);
                stopped.await();
            }

            public void stop() {
                stopped.countDown();
            }
        };
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void anAdvancedPositionIsCommittedOnlyOnceTheChangesBeforeItAreAcknowledged() throws Exception {
        MemorySink s = new MemorySink();
        CompletableFuture<Void> release = new CompletableFuture<>();
        s.stallUntil(Uni.createFrom().completionStage(release));
        SourcePosition heartbeat = new SourcePosition.BinlogPosition("mariadb-bin.000002", 4, 0, "");
        io.changepipe.source.Source src = scripted(emitter -> {
            for (int i = 0; i < 3; i++) {
                emitter.emit(ChangeEvent.of(Op.INSERT, INVOICES, invoice(i, 0), null, List.of("invoice_id"), new SourcePosition.Sequence(i)));
            }
            emitter.advance(heartbeat);
        });
        PipelineGraph g = new PipelineGraph("invoices", new PipelineGraph.Parts(src, Optional::of, (read, e) -> "k" + e.image().get("invoice_id"),
                Map.of("s", s)), new PipelineGraph.Services(new FilePositionStore(state), deadLetters, stats::count), FAST);
        started.add(g);
        g.start();
        await(() -> g.inFlight() == 4, "three changes and the heartbeat registered");
        assertNull(g.acknowledged(), "the heartbeat waits behind unacknowledged changes");
        release.complete(null);
        await(() -> heartbeat.equals(g.acknowledged()), "committed once the sink acknowledged what came before");
        g.stop();
        assertEquals(Optional.of(heartbeat), storedPosition());
    }

    @Test
    void fullLoadStartAndEndReachTheListenerUnderTheNameTheRulesGiveTheTable() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        TableId payments = new TableId("democustomer", "payments");
        TableId renamed = new TableId("billing", "invoices");
        io.changepipe.source.Source src = scripted(emitter -> {
            emitter.loadStarted(INVOICES);
            emitter.loadStarted(payments);
            emitter.loadFinished(INVOICES);
        });
        PipelineGraph.Processor rules = e -> e.table().equals(INVOICES) ? Optional.of(e.withRows(renamed, e.after(), e.before(), e.primaryKey()))
                : Optional.empty();
        PipelineGraph g = new PipelineGraph("invoices", new PipelineGraph.Parts(src, rules, (s, e) -> "k", Map.of("s", new MemorySink())),
                new PipelineGraph.Services(new FilePositionStore(state), deadLetters, stats::count,
                        new PipelineGraph.LoadListener(t -> heard.add("started " + t), t -> heard.add("finished " + t))), FAST);
        started.add(g);
        g.start();
        await(() -> heard.size() == 2, "two load events");
        assertEquals(List.of("started billing.invoices", "finished billing.invoices"), heard, "payments is not selected");
    }
}
