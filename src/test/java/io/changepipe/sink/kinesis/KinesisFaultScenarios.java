package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.source.memory.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Failures AWS produces and emulators do not, injected by {@link FaultyKinesis} around a backend (in memory for unit
 * tests, the SDK client against kinesis-mock for ITs), with changes flowing through the real pipeline graph so the
 * runner's backoff and retries do their part. The stream is then read back: nothing lost, every key in order,
 * duplicates only where an answer was lost and the same record went again.
 */
abstract class KinesisFaultScenarios {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final PipelineGraph.Settings FAST = PipelineGraph.Settings.DEFAULT.withSinkBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .withBatch(100, Duration.ofMillis(2));

    @TempDir
    Path state;

    final String stream = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    final MemorySource source = new MemorySource();
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    final List<PipelineGraph> graphs = new ArrayList<>();
    final List<KinesisSink> sinks = new ArrayList<>();

    /** The client faults are injected around. */
    abstract KinesisClient backend();

    /** How many invoice rows a scenario changes (each: insert, updates, every third deleted). */
    abstract int rows();

    @AfterEach
    void stop() throws InterruptedException {
        for (PipelineGraph g : graphs) {
            if (g.state() == PipelineGraph.State.RUNNING) {
                g.kill();
            }
        }
        sinks.forEach(KinesisSink::close);
        try {
            backend().deleteStream(b -> b.streamName(stream));   // the emulator is shared and has a shard limit
        } catch (ResourceNotFoundException | ResourceInUseException e) {
            // deleted by the test (or being deleted), or never created
        }
    }

    PipelineGraph run(FaultyKinesis kinesis) throws Exception {
        KinesisSink sink = new KinesisSink(kinesis, KinesisSinkSettings.defaults("invoices", "stream", stream, "us-east-1").withCreateIfMissing(4)
                .withLimits(40, 5 << 20, 1 << 20),   // runner batches of 100: several requests side by side
                r -> r.event().position().text().getBytes(StandardCharsets.UTF_8), KinesisMetrics.NONE);
        sinks.add(sink);
        PipelineGraph g = new PipelineGraph("invoices", new PipelineGraph.Parts(source, Optional::of, (in, e) -> key(e), Map.of("stream", sink)),
                new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> deadLetters.add(r.event().position().text() + ": " + reason),
                        e -> { }), FAST);
        graphs.add(g);
        g.start();
        return g;
    }

    static String key(ChangeEvent e) {
        return "democustomer.invoices." + e.image().get("invoice_id");
    }

    void writeChanges(int rows, int updates) {
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, Row.of("invoice_id", (long) i, "balance", 0L), null, List.of("invoice_id"));
        }
        for (int u = 1; u <= updates; u++) {
            for (int i = 0; i < rows; i++) {
                source.append(Op.UPDATE, INVOICES, Row.of("invoice_id", (long) i, "balance", (long) u),
                        Row.of("invoice_id", (long) i, "balance", u - 1L), List.of("invoice_id"));
            }
        }
        for (int i = 0; i < rows; i += 3) {
            source.append(Op.DELETE, INVOICES, null, Row.of("invoice_id", (long) i, "balance", (long) updates), List.of("invoice_id"));
        }
    }

    void awaitAcknowledged(PipelineGraph g) throws InterruptedException {
        long last = source.events().size() - 1;
        await(() -> g.acknowledged() instanceof SourcePosition.Sequence s && s.value() == last || g.state() == PipelineGraph.State.FAILED,
                "every change acknowledged");
        assertEquals(PipelineGraph.State.RUNNING, g.state(), g.failure());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** What the source expects per key: positions in source order. */
    Map<String, List<String>> expected() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        source.events().forEach(e -> m.computeIfAbsent(key(e), k -> new ArrayList<>()).add(e.position().text()));
        return m;
    }

    /** What the stream holds per key, in stream order. */
    Map<String, List<String>> written(KinesisClient client) throws InterruptedException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        new StreamReader(client, stream, Duration.ofMillis(20)).readAll()
                .forEach(r -> m.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(new String(r.data(), StandardCharsets.UTF_8)));
        return m;
    }

    static List<String> withoutRepeats(List<String> positions) {
        List<String> out = new ArrayList<>();
        for (String p : positions) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void thirtyPercentOfEntriesFailingAtRandomLoseNothingDuplicateNothingAndKeepEveryKeysOrder() throws Exception {
        FaultyKinesis kinesis = new FaultyKinesis(backend(), 30).failingEntries(0.3);
        PipelineGraph g = run(kinesis);
        writeChanges(rows(), 4);
        awaitAcknowledged(g);
        assertEquals(expected(), written(kinesis), "exactly the source's changes, each key in source order");
        assertTrue(kinesis.requests().size() > source.events().size() / 100, "failed entries were sent again");
        kinesis.requests().forEach(r -> assertEquals(r.records().stream().map(e -> e.partitionKey()).distinct().count(), r.records().size(),
                "one record of a key per request"));
        assertEquals(List.of(), deadLetters);
    }

    @Test
    void throttlingBurstsAndLostAnswersDeliverEverythingWithDuplicatesOnlyAcrossAttempts() throws Exception {
        FaultyKinesis kinesis = new FaultyKinesis(backend(), 31).failingEntries(0.1).throttlingBursts(0.1, 3).losingAnswers(0.25);
        PipelineGraph g = run(kinesis);
        writeChanges(rows(), 4);
        awaitAcknowledged(g);
        Map<String, List<String>> written = written(kinesis);
        Map<String, List<String>> deduplicated = new LinkedHashMap<>();
        written.forEach((k, v) -> deduplicated.put(k, withoutRepeats(v)));
        assertEquals(expected(), deduplicated, "every change, each key in order; a repeat only right after itself");
        assertTrue(kinesis.lostCopies() > 0, "some answers were lost");
        assertEquals(source.events().size() + kinesis.lostCopies(), written.values().stream().mapToInt(List::size).sum(),
                "a duplicate for each record whose answer was lost, no other");
    }

    @Test
    void aStreamDeletedWhileRunningFailsThePipelineWithTheReason() throws Exception {
        FaultyKinesis kinesis = new FaultyKinesis(backend(), 32);
        PipelineGraph g = run(kinesis);
        writeChanges(10, 0);
        awaitAcknowledged(g);
        SourcePosition before = g.acknowledged();
        backend().deleteStream(b -> b.streamName(stream));
        writeChanges(10, 1);
        await(() -> g.state() == PipelineGraph.State.FAILED, "the pipeline fails");
        assertEquals("stream " + stream + " does not exist in us-east-1; create it or set createIfMissing: true", g.failure());
        assertEquals(before, g.acknowledged(), "nothing after the deletion is acknowledged");
    }
}
