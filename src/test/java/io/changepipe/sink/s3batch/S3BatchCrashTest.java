package io.changepipe.sink.s3batch;

import io.changepipe.sink.s3.MutableClock;
import io.changepipe.sink.s3.MemoryS3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.source.memory.MemorySource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The s3-batch sink in the real graph: a crash loses the buffer, never a change; a clean stop flushes. */
class S3BatchCrashTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    final MemorySource source = new MemorySource();
    final MemoryS3 s3 = new MemoryS3();
    final java.util.concurrent.atomic.AtomicLong lastEncoded = new java.util.concurrent.atomic.AtomicLong(-1);
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T14:00:00Z"));
    final PipelineGraph.Settings settings = new PipelineGraph.Settings(1000, Duration.ofMillis(5),
            PipelineGraph.Settings.DEFAULT.withSinkBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withBatch(7, Duration.ofMillis(1)).sinks());

    PipelineGraph graph(S3BatchSink sink) throws Exception {
        PipelineGraph g = new PipelineGraph("invoices",
                new PipelineGraph.Parts(source, Optional::of, (in, e) -> e.table() + "." + e.image().get("invoice_id"), Map.of("lake", sink)),
                new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> { }, e -> { }), settings);
        g.start();
        return g;
    }

    S3BatchSink sink() {
        S3BatchSink.LineEncoder encoder = r -> {
            lastEncoded.accumulateAndGet(((SourcePosition.Sequence) r.event().position()).value(), Math::max);
            return (r.event().position().text() + "\n").getBytes();
        };
        // about 20 records an object: the last ones of a run stay buffered
        return new S3BatchSink(s3, clock, S3BatchSettings.of("invoices", "lake", "lake", "cdc/", "errors/", 60, Duration.ofSeconds(900), true)
                .withCheckEvery(Duration.ZERO), encoder, io.changepipe.sink.spool.Spool.of(state, "invoices", "lake", 1L << 30));
    }

    void append(int from, int count) {
        for (int i = from; i < from + count; i++) {
            source.append(Op.INSERT, INVOICES, Row.of("invoice_id", (long) i), null, List.of("invoice_id"));
        }
    }

    TreeSet<Long> delivered() {
        TreeSet<Long> seqs = new TreeSet<>();
        s3.objects.forEach((k, v) -> MemoryS3.lines(k, v).forEach(l -> seqs.add(Long.parseLong(l))));
        return seqs;
    }

    long stored() throws Exception {
        return new FilePositionStore(state).load("invoices").map(p -> ((SourcePosition.Sequence) p).value()).orElse(-1L);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void aCrashBetweenBufferingAndUploadLosesNoChange() throws Exception {
        S3BatchSink first = sink();
        PipelineGraph g = graph(first);
        append(0, 105);
        await(() -> delivered().size() >= 80, "several objects written");
        await(() -> {
            try {
                return stored() == 104;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the position stored past the spooled changes: they are on disk");
        await(() -> first.openBatches() == 1, "the last changes buffered");
        g.kill();
        first.close();
        assertTrue(delivered().size() < 105, "changes were still buffered at the crash: " + delivered().size());

        S3BatchSink second = sink();
        PipelineGraph again = graph(second);
        append(105, 10);
        await(() -> lastEncoded.get() == 114, "the restarted pipeline reads to the end");
        again.stop();
        second.close();
        TreeSet<Long> all = delivered();
        assertEquals(115, all.size(), "every change is in an object after the restart (the spool uploaded) and clean stop");
        assertEquals(0L, all.first());
        assertEquals(114L, all.last());
        assertEquals(114L, stored());
    }

}
