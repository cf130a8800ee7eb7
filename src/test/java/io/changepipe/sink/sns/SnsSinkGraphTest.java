package io.changepipe.sink.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.PipelineGraph;
import io.changepipe.definition.SinkDef;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.DeadLetters;
import io.changepipe.source.memory.MemorySource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/** The SNS sink in a real pipeline graph with the in-memory source: failed entries retried, nothing lost or doubled. */
class SnsSinkGraphTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");

    @TempDir
    Path state;

    @Test
    void failedBatchEntriesAreRetriedUntilAcceptedWithoutLossOrDuplicates() throws Exception {
        MemorySource source = new MemorySource();
        Random random = new Random(7);
        int rows = 120;
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, Row.of("invoice_id", (long) i, "monthly_kwh_use", (long) random.nextInt(100), "v", 0L),
                    null, List.of("invoice_id"));
        }
        for (int i = 0; i < rows; i++) {
            source.append(Op.UPDATE, INVOICES, Row.of("invoice_id", (long) i, "monthly_kwh_use", (long) random.nextInt(100), "v", 1L),
                    Row.of("invoice_id", (long) i, "monthly_kwh_use", 0L, "v", 0L), List.of("invoice_id"));
        }
        // a row the second rule cannot evaluate (no column v): dead letter, the pipeline goes on
        source.append(Op.INSERT, INVOICES, Row.of("invoice_id", 999L, "monthly_kwh_use", 99L), null, List.of("invoice_id"));
        int last = 2 * rows;

        RecordingSns sns = new RecordingSns();
        Random faults = new Random(11);
        FaultySns faulty = new FaultySns(sns, e -> faults.nextInt(100) < 30);
        SinkDef.Sns def = new SinkDef.Sns("alerts", "arn:aws:sns:us-east-1:000000000000:usage-alerts", List.of(
                new SinkDef.AlertRule("high-usage", "monthly_kwh_use > 45", "democustomer.invoices", Optional.of("High usage"),
                        Optional.of("${invoice_id}/${v}"), Optional.empty(), Optional.empty()),
                new SinkDef.AlertRule("changed", "v >= 0", "%.%", Optional.empty(), Optional.of("${invoice_id}/${v}"),
                        Optional.empty(), Optional.empty())));
        CountingMetrics metrics = new CountingMetrics();
        SnsSink sink = new SnsSink("pipeline invoices, sink alerts", def, faulty, Clock.systemUTC(), metrics, r -> "unused");
        List<String> deadLetters = new CopyOnWriteArrayList<>();
        DeadLetters dl = (p, s, r, reason) -> deadLetters.add(s + ":" + r.event().position().text() + ":" + reason);

        PipelineGraph graph = new PipelineGraph("invoices",
                new PipelineGraph.Parts(source, Optional::of, (in, e) -> e.table() + "." + e.image().get("invoice_id"), Map.of("alerts", sink)),
                new PipelineGraph.Services(new FilePositionStore(state), dl, e -> { }),
                PipelineGraph.Settings.DEFAULT.withSinkBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withBatch(25, Duration.ofMillis(2)));
        graph.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(graph.acknowledged() instanceof SourcePosition.Sequence s && s.value() == last)) {
                assertTrue(System.nanoTime() < deadline, "timed out; acknowledged " + graph.acknowledged() + ", state " + graph.state());
                Thread.sleep(5);
            }
        } finally {
            graph.stop();
        }

        assertTrue(faulty.failedEntries > 20, "faults were injected: " + faulty.failedEntries);
        Map<String, Long> published = sns.published().stream().collect(Collectors.groupingBy(
                e -> e.messageAttributes().get("rule").stringValue() + ":" + e.message(), LinkedHashMap::new, Collectors.counting()));
        List<String> expected = new ArrayList<>();
        for (var e : source.events().subList(0, last)) {
            String id = e.after().get("invoice_id") + "/" + e.after().get("v");
            if ((Long) e.after().get("monthly_kwh_use") > 45) {
                expected.add("high-usage:" + id);
            }
            expected.add("changed:" + id);
        }
        assertEquals(expected.stream().sorted().toList(), published.keySet().stream().sorted().toList(), "nothing lost");
        published.forEach((k, n) -> assertEquals(1L, n, "published once: " + k));
        // a key's alerts keep the order of its changes: the insert's before the update's
        Map<String, List<String>> perKey = sns.published().stream().filter(e -> e.messageAttributes().get("rule").stringValue().equals("changed"))
                .map(PublishBatchRequestEntry::message)
                .collect(Collectors.groupingBy(m -> m.substring(0, m.indexOf('/')), Collectors.mapping(m -> m.substring(m.indexOf('/') + 1), Collectors.toList())));
        perKey.forEach((k, versions) -> assertEquals(List.of("0", "1"), versions, "order of invoice " + k));
        assertEquals(1, deadLetters.size(), deadLetters.toString());
        assertEquals("alerts:" + last + ":rule 'high-usage': no column 'v' in expression '${invoice_id}/${v}'", deadLetters.get(0));
        assertEquals(expected.size(), metrics.get("high-usage", "published") + metrics.get("changed", "published"));
    }
}
