package io.changepipe.sink.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.compile.PipelineGraph;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.changepipe.source.memory.MemorySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The SNS sink with the real SDK against fauxqs (started by bin/services), observed through SQS queues subscribed to
 * the topic: the seed scenario of pipelines/invoices.yaml, dedupe with a controllable clock, a filter policy on the
 * table attribute, and a missing topic. A missing service fails these tests; nothing is skipped.
 */
class SnsAlertsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static SnsClient sns;
    static SqsClient sqs;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long sequence;

    @BeforeAll
    static void clients() {
        String v = System.getenv("CHANGEPIPE_SNS_PORT");
        URI endpoint = URI.create("http://127.0.0.1:" + (v == null ? "14566" : v));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sns = SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        sns.close();
        sqs.close();
    }

    static PipelineDef invoicesPipeline() throws Exception {
        String text = Files.readString(Path.of("pipelines/invoices.yaml"));
        var result = new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "secret" : null, true)
                .parse("invoices.yaml", Path.of("pipelines"), text);
        assertTrue(result.valid(), result.problems().toString());
        return result.pipelines().get(0);
    }

    static SinkDef.Sns alertsSink(PipelineDef p) {
        return p.sinks().stream().filter(s -> s instanceof SinkDef.Sns).map(s -> (SinkDef.Sns) s).findFirst().orElseThrow();
    }

    /** A fresh topic and a queue subscribed to it (SNS envelope, so the subject shows), optionally with a filter policy. */
    record Topic(String arn, String queueUrl) {
    }

    static Topic topic(String filterPolicy) {
        String name = "it-sns-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = sns.createTopic(b -> b.name(name)).topicArn();
        return new Topic(arn, queue(arn, name, filterPolicy));
    }

    static String queue(String topicArn, String name, String filterPolicy) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(filterPolicy == null ? Map.of() : Map.of("FilterPolicy", filterPolicy)));
        return url;
    }

    /** Every notification the queue holds: waits for {@code expected}, then a moment longer to see none extra arrive. */
    static List<JsonNode> receive(String queueUrl, int expected) throws Exception {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline && (got.size() < expected || quiet < 1)) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages();
            for (Message m : batch) {
                got.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            quiet = batch.isEmpty() && got.size() >= expected ? quiet + 1 : 0;
        }
        return got;
    }

    static String attribute(JsonNode notification, String name) {
        return notification.path("MessageAttributes").path(name).path("Value").asText(null);
    }

    Sink sink(PipelineDef pipeline, SinkDef.Sns def, String topicArn) {
        return new SnsSinkFactory(sns, clock, registry).create(pipeline, new SinkDef.Sns(def.name(), topicArn, def.rules()));
    }

    SinkRecord change(Op op, TableId table, Row row) {
        long seq = sequence++;
        return new SinkRecord(seq, ChangeEvent.of(op, table, row, null, List.of("invoice_id"), new SourcePosition.Sequence(seq)),
                table + "." + row.get("invoice_id"));
    }

    static Row invoice(long id, long customer, long kwh) {
        return Row.of("invoice_id", id, "customer_id", customer, "billing_date", LocalDate.of(2022, 4, 15),
                "due_date", LocalDate.of(2022, 4, 30), "balance", null, "monthly_kwh_use", kwh, "total_amount_due", "23.5");
    }

    /** demo/seed.sql's invoices. */
    List<SinkRecord> seed() {
        long[][] rows = {{1, 1219578, 6}, {2, 1365142, 41}, {3, 1368834, 31}, {4, 1226431, 47}, {5, 1499194, 39},
                {6, 1221240, 38}, {7, 1235442, 50}, {8, 1306894, 16}, {9, 1343570, 39}, {10, 1465198, 47}};
        List<SinkRecord> out = new ArrayList<>();
        for (long[] r : rows) {
            out.add(change(Op.LOAD, INVOICES, invoice(r[0], r[1], r[2])));
        }
        return out;
    }

    double counter(String stage) {
        var c = registry.find("changepipe.sns.alerts").tag("rule", "high-usage").tag("stage", stage).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void seedRowsOverTheThresholdProduceExactlyOneAlertEach() throws Exception {
        PipelineDef pipeline = invoicesPipeline();
        Topic t = topic(null);
        Sink sink = sink(pipeline, alertsSink(pipeline), t.arn());
        List<Outcome> out = sink.write(seed()).await().indefinitely();
        assertEquals(List.of(Outcome.DONE), out.stream().distinct().toList());

        List<JsonNode> got = receive(t.queueUrl(), 3);
        assertEquals(List.of("Customer 1226431 used 47 kWh", "Customer 1235442 used 50 kWh", "Customer 1465198 used 47 kWh"),
                got.stream().map(n -> n.path("Message").asText()).sorted().toList());
        for (JsonNode n : got) {
            assertEquals("High usage", n.path("Subject").asText());
            assertEquals(t.arn(), n.path("TopicArn").asText());
            assertEquals(List.of("invoices", "democustomer", "load", "high-usage"),
                    List.of(attribute(n, "table"), attribute(n, "schema"), attribute(n, "operation"), attribute(n, "rule")));
        }
        assertEquals(List.of(10.0, 3.0, 3.0, 0.0),
                List.of(counter("evaluated"), counter("matched"), counter("published"), counter("failed")));
    }

    @Test
    void aSecondChangeWithinTheDedupeWindowIsSuppressedOneAfterItIsNot() throws Exception {
        PipelineDef pipeline = invoicesPipeline();
        Topic t = topic(null);
        Sink sink = sink(pipeline, alertsSink(pipeline), t.arn());
        sink.write(List.of(change(Op.INSERT, INVOICES, invoice(7, 1235442, 50)))).await().indefinitely();
        clock.advance(Duration.ofMinutes(30));
        sink.write(List.of(change(Op.UPDATE, INVOICES, invoice(7, 1235442, 55)))).await().indefinitely();
        clock.advance(Duration.ofMinutes(31));
        sink.write(List.of(change(Op.UPDATE, INVOICES, invoice(7, 1235442, 60)))).await().indefinitely();
        assertEquals(List.of("Customer 1235442 used 50 kWh", "Customer 1235442 used 60 kWh"),
                receive(t.queueUrl(), 2).stream().map(n -> n.path("Message").asText()).sorted().toList());
        assertEquals(1.0, counter("suppressed-dedupe"));
    }

    @Test
    void aFilterPolicyOnTheTableAttributeSelectsAlerts() throws Exception {
        PipelineDef pipeline = invoicesPipeline();
        String name = "it-sns-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = sns.createTopic(b -> b.name(name)).topicArn();
        String invoicesQueue = queue(arn, name + "-inv", "{\"table\":[\"invoices\"]}");
        String customersQueue = queue(arn, name + "-cus", "{\"table\":[\"customers\"]}");
        SinkDef.Sns def = new SinkDef.Sns("alerts", arn, List.of(new SinkDef.AlertRule("any-change", "1", "democustomer.%",
                Optional.empty(), Optional.of("${$table} ${invoice_id}"), Optional.empty(), Optional.empty())));
        Sink sink = sink(pipeline, def, arn);
        TableId customers = new TableId("democustomer", "customers");
        sink.write(List.of(change(Op.INSERT, INVOICES, invoice(1, 1, 1)), change(Op.INSERT, customers, Row.of("invoice_id", 2L)),
                change(Op.INSERT, INVOICES, invoice(3, 3, 3)))).await().indefinitely();
        assertEquals(List.of("invoices 1", "invoices 3"),
                receive(invoicesQueue, 2).stream().map(n -> n.path("Message").asText()).sorted().toList());
        List<JsonNode> c = receive(customersQueue, 1);
        assertEquals(List.of("customers 2"), c.stream().map(n -> n.path("Message").asText()).toList());
        assertEquals("any-change on democustomer.customers", c.get(0).path("Subject").asText());
    }

    @Test
    void aMissingTopicStopsThePipelineWithTheReason() throws Exception {
        PipelineDef pipeline = invoicesPipeline();
        String missing = "arn:aws:sns:us-east-1:000000000000:it-sns-missing-" + UUID.randomUUID().toString().substring(0, 8);
        Sink sink = sink(pipeline, alertsSink(pipeline), missing);
        SinkFatalException e = assertThrows(SinkFatalException.class,
                () -> sink.write(List.of(change(Op.INSERT, INVOICES, invoice(7, 1235442, 50)))).await().indefinitely());
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("NotFound"), e.getMessage());
    }

    @Test
    void failedEntriesAreRetriedThroughThePipelineWithoutLossOrDuplicates(@org.junit.jupiter.api.io.TempDir Path state) throws Exception {
        Topic t = topic(null);
        MemorySource source = new MemorySource();
        int rows = 40;
        for (int i = 0; i < rows; i++) {
            source.append(Op.INSERT, INVOICES, Row.of("invoice_id", (long) i, "monthly_kwh_use", 46L + i % 3), null, List.of("invoice_id"));
        }
        java.util.Random faults = new java.util.Random(3);
        FaultySns faulty = new FaultySns(sns, e -> faults.nextInt(100) < 40);
        SinkDef.Sns def = new SinkDef.Sns("alerts", t.arn(), List.of(
                new SinkDef.AlertRule("high-usage", "monthly_kwh_use > 45", "%.%", Optional.of("High usage"),
                        Optional.of("${invoice_id}"), Optional.empty(), Optional.empty()),
                new SinkDef.AlertRule("very-high", "monthly_kwh_use > 47", "%.%", Optional.empty(),
                        Optional.of("${invoice_id}"), Optional.empty(), Optional.empty())));
        SnsSink sink = new SnsSink("pipeline it, sink alerts", def, faulty, clock, SnsMetrics.NONE, r -> "unused");
        PipelineGraph graph = new PipelineGraph("it", new PipelineGraph.Parts(source, Optional::of,
                (in, e) -> e.table() + "." + e.image().get("invoice_id"), Map.of("alerts", sink)),
                new PipelineGraph.Services(new FilePositionStore(state), (p, s, r, reason) -> { throw new AssertionError(reason); }, e -> { }),
                PipelineGraph.Settings.DEFAULT.withSinkBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withBatch(15, Duration.ofMillis(5)));
        graph.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(graph.acknowledged() instanceof SourcePosition.Sequence s && s.value() == rows - 1)) {
                assertTrue(System.nanoTime() < deadline, "timed out; acknowledged " + graph.acknowledged() + ", state " + graph.state());
                Thread.sleep(10);
            }
        } finally {
            graph.stop();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            expected.add("high-usage:" + i);
            if (46 + i % 3 > 47) {
                expected.add("very-high:" + i);
            }
        }
        List<String> got = receive(t.queueUrl(), expected.size()).stream()
                .map(n -> attribute(n, "rule") + ":" + n.path("Message").asText()).sorted().toList();
        assertTrue(faulty.failedEntries > 5, "faults were injected: " + faulty.failedEntries);
        assertEquals(expected.stream().sorted().toList(), got, "each alert exactly once");
    }

    @Test
    void aFifoTopicGetsTheKeyAsGroupAndDropsAChangeSentAgainAfterARestart() throws Exception {
        PipelineDef pipeline = invoicesPipeline();
        String name = "it-sns-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
        String arn = sns.createTopic(b -> b.name(name).attributes(Map.of("FifoTopic", "true"))).topicArn();
        String url = sqs.createQueue(b -> b.queueName(name).attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(arn).protocol("sqs").endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "true")));
        SinkRecord change = change(Op.INSERT, INVOICES, invoice(7, 1235442, 50));
        sink(pipeline, alertsSink(pipeline), arn).write(List.of(change)).await().indefinitely();
        // a restart: a new sink (no dedupe memory) gets the same change again, as after a crash before the position was stored
        sink(pipeline, alertsSink(pipeline), arn).write(List.of(change)).await().indefinitely();
        List<Message> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
                    .messageSystemAttributeNamesWithStrings("MessageGroupId", "MessageDeduplicationId")).messages());
        }
        assertEquals(List.of("Customer 1235442 used 50 kWh"), got.stream().map(Message::body).toList());
        assertEquals("democustomer.invoices.7", got.get(0).attributesAsStrings().get("MessageGroupId"));
        assertEquals(change.event().dedupeId() + ":high-usage", got.get(0).attributesAsStrings().get("MessageDeduplicationId"));
    }
}
