package io.changepipe.sink.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.definition.SinkDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.format.DmsJsonEncoder;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.ThrottledException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/** Rules, templates, attributes, dedupe, rate limit, batching and errors of the SNS sink, with a recording client. */
class SnsSinkTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:usage-alerts";
    static final MessageDef JSON = new MessageDef(MessageFormat.JSON_UNFORMATTED, true, false, false, false, false,
            new MessageDef.BeforeImage(false, "before-image", BeforeImageColumns.ALL));

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    final RecordingSns sns = new RecordingSns();
    final CountingMetrics metrics = new CountingMetrics();
    long sequence;

    /** The rule of pipelines/invoices.yaml. */
    static SinkDef.AlertRule highUsage() {
        return new SinkDef.AlertRule("high-usage", "monthly_kwh_use > 45", "%.%", Optional.of("High usage"),
                Optional.of("Customer ${customer_id} used ${monthly_kwh_use} kWh"),
                Optional.of(new SinkDef.Dedupe("${customer_id}", Duration.ofHours(1))), Optional.empty());
    }

    static SinkDef.AlertRule rule(String name, String when) {
        return new SinkDef.AlertRule(name, when, "%.%", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    SnsSink sink(SnsClient client, String topic, SinkDef.AlertRule... rules) {
        DmsJsonEncoder encoder = new DmsJsonEncoder(JSON, clock);
        return new SnsSink("pipeline invoices, sink alerts", new SinkDef.Sns("alerts", topic, List.of(rules)), client, clock, metrics,
                r -> new String(encoder.encode(r.event(), r.partitionKey(), "primary-key"), StandardCharsets.UTF_8));
    }

    SnsSink sink(SinkDef.AlertRule... rules) {
        return sink(sns, TOPIC, rules);
    }

    /** The seed rows of demo/seed.sql, as inserts. */
    static List<Row> seedRows() {
        long[][] rows = {{1, 1219578, 6}, {2, 1365142, 41}, {3, 1368834, 31}, {4, 1226431, 47}, {5, 1499194, 39},
                {6, 1221240, 38}, {7, 1235442, 50}, {8, 1306894, 16}, {9, 1343570, 39}, {10, 1465198, 47}};
        List<Row> out = new ArrayList<>();
        for (long[] r : rows) {
            out.add(invoice(r[0], r[1], r[2]));
        }
        return out;
    }

    static Row invoice(long id, long customer, long kwh) {
        return Row.of("invoice_id", id, "customer_id", customer, "billing_date", LocalDate.of(2022, 4, 15), "balance", null,
                "monthly_kwh_use", kwh, "total_amount_due", new BigDecimal("23.50"));
    }

    SinkRecord record(Op op, TableId table, Row after, Row before) {
        long seq = sequence++;
        ChangeEvent e = ChangeEvent.of(op, table, after, before, List.of("invoice_id"), new SourcePosition.Sequence(seq));
        return new SinkRecord(seq, e, table + "." + (after != null ? after : before).get("invoice_id"));
    }

    SinkRecord insert(Row row) {
        return record(Op.INSERT, INVOICES, row, null);
    }

    static List<Outcome> write(SnsSink sink, List<SinkRecord> records) {
        return sink.write(records).await().indefinitely();
    }

    static Map<String, String> attributes(PublishBatchRequestEntry e) {
        return e.messageAttributes().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, x -> {
            MessageAttributeValue v = x.getValue();
            assertEquals("String", v.dataType());
            return v.stringValue();
        }));
    }

    @Test
    void seedRowsAboveTheThresholdRaiseExactlyOneAlertEach() {
        SnsSink sink = sink(highUsage());
        List<Outcome> out = write(sink, seedRows().stream().map(this::insert).toList());
        assertEquals(List.of(Outcome.DONE), out.stream().distinct().toList());
        List<PublishBatchRequestEntry> got = sns.published();
        assertEquals(List.of("Customer 1226431 used 47 kWh", "Customer 1235442 used 50 kWh", "Customer 1465198 used 47 kWh"),
                got.stream().map(PublishBatchRequestEntry::message).toList());
        got.forEach(e -> assertEquals("High usage", e.subject()));
        assertEquals(Map.of("table", "invoices", "schema", "democustomer", "operation", "insert", "rule", "high-usage"),
                attributes(got.get(0)));
        assertEquals(1, sns.requests.size(), "one PublishBatch");
        assertEquals(TOPIC, sns.requests.get(0).topicArn());
        assertEquals(10, metrics.get("high-usage", "evaluated"));
        assertEquals(3, metrics.get("high-usage", "matched"));
        assertEquals(3, metrics.get("high-usage", "published"));
    }

    @Test
    void defaultsAreTheRuleOnTheTableAndTheChangeAsDmsJson() {
        SnsSink sink = sink(rule("deleted", "$operation = 'delete' AND $table = 'invoices'"));
        Row before = invoice(7, 1235442, 50);
        write(sink, List.of(record(Op.UPDATE, INVOICES, before, before), record(Op.DELETE, INVOICES, null, before)));
        PublishBatchRequestEntry e = sns.published().get(0);
        assertEquals(1, sns.published().size());
        assertEquals("deleted on democustomer.invoices", e.subject());
        assertTrue(e.message().startsWith("{\"data\":{\"invoice_id\":7,\"customer_id\":1235442"), e.message());
        assertTrue(e.message().contains("\"operation\":\"delete\""), e.message());
        assertEquals("delete", attributes(e).get("operation"));
    }

    @Test
    void templatesRenderColumnsBeforeImageAndMetadataAsPlainText() {
        SinkDef.AlertRule r = new SinkDef.AlertRule("jump", "$operation = 'update' AND balance > before.balance * 1.5", "democustomer.inv%",
                Optional.of("${$operation} on ${$schema}.${$table}"),
                Optional.of("${customer_id}: ${before.balance} -> ${balance}, due ${total_amount_due} billed ${billing_date} note=[${note}]"),
                Optional.empty(), Optional.empty());
        SnsSink sink = sink(r);
        Row before = invoice(4, 1226431, 47).with("balance", 10L).with("note", null);
        Row after = before.with("balance", 16L);
        Row small = before.with("balance", 14L);
        write(sink, List.of(record(Op.UPDATE, INVOICES, after, before), record(Op.UPDATE, INVOICES, small, before),
                record(Op.UPDATE, new TableId("democustomer", "customers"), after, before)));
        List<PublishBatchRequestEntry> got = sns.published();
        assertEquals(1, got.size());
        assertEquals("update on democustomer.invoices", got.get(0).subject());
        assertEquals("1226431: 10 -> 16, due 23.50 billed 2022-04-15 note=[]", got.get(0).message());
        assertEquals(2, metrics.get("jump", "evaluated"), "the customers table is not selected by the rule");
    }

    @Test
    void recordsMatchingNoRuleAreDoneWithoutACall() {
        SnsSink sink = sink(highUsage());
        assertEquals(List.of(Outcome.DONE, Outcome.DONE), write(sink, List.of(insert(invoice(1, 1, 3)), insert(invoice(2, 2, 45)))));
        assertEquals(0, sns.requests.size());
    }

    @Test
    void dedupeSuppressesASecondAlertForTheKeyWithinTheWindowOnly() {
        SnsSink sink = sink(highUsage());
        write(sink, List.of(insert(invoice(7, 1235442, 50))));
        clock.advance(Duration.ofMinutes(59));
        assertEquals(List.of(Outcome.DONE, Outcome.DONE),
                write(sink, List.of(insert(invoice(7, 1235442, 51)), insert(invoice(4, 1226431, 47)))), "a suppressed alert is no error");
        clock.advance(Duration.ofMinutes(1));
        write(sink, List.of(insert(invoice(7, 1235442, 52))));
        assertEquals(List.of("Customer 1235442 used 50 kWh", "Customer 1226431 used 47 kWh", "Customer 1235442 used 52 kWh"),
                sns.published().stream().map(PublishBatchRequestEntry::message).toList());
        assertEquals(1, metrics.get("high-usage", "suppressed-dedupe"));
        assertEquals(3, metrics.get("high-usage", "published"));
    }

    @Test
    void rateLimitSuppressesAndCountsAlertsOverTheLimitPerWindow() {
        SnsSink sink = sink(new SinkDef.AlertRule("any", "1", "%.%", Optional.of("x"), Optional.of("${invoice_id}"), Optional.empty(),
                Optional.of(new SinkDef.RateLimit(2, Duration.ofMinutes(1)))));
        List<Outcome> out = write(sink, List.of(insert(invoice(1, 1, 1)), insert(invoice(2, 2, 2)), insert(invoice(3, 3, 3)),
                insert(invoice(4, 4, 4))));
        assertEquals(List.of(Outcome.DONE), out.stream().distinct().toList());
        clock.advance(Duration.ofMinutes(1));
        write(sink, List.of(insert(invoice(5, 5, 5))));
        assertEquals(List.of("1", "2", "5"), sns.published().stream().map(PublishBatchRequestEntry::message).toList());
        assertEquals(2, metrics.get("any", "suppressed-rate-limit"));
    }

    @Test
    void anExpressionFailingOnARowSendsThatChangeToTheDeadLettersAndGoesOn() {
        SnsSink sink = sink(highUsage(), rule("broken", "no_such_column > 1"));
        List<Outcome> out = write(sink, List.of(insert(invoice(7, 1235442, 50)), record(Op.INSERT, new TableId("democustomer", "other"),
                Row.of("invoice_id", 1L, "monthly_kwh_use", 99L, "no_such_column", 5L, "customer_id", 9L), null)));
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, out.get(0));
        assertTrue(failed.reason().contains("rule 'broken'") && failed.reason().contains("no_such_column > 1"), failed.reason());
        assertEquals(Outcome.DONE, out.get(1));
        assertEquals(List.of("Customer 9 used 99 kWh", "99"),
                sns.published().stream().map(e -> e.message().startsWith("{") ? "99" : e.message()).toList());
        assertEquals(1, metrics.get("broken", "failed"));
    }

    @Test
    void anAlertOverSnsLimitGoesToTheDeadLetters() {
        SnsSink sink = sink(new SinkDef.AlertRule("big", "1", "%.%", Optional.empty(), Optional.of("${text}"), Optional.empty(), Optional.empty()));
        List<Outcome> out = write(sink, List.of(insert(Row.of("invoice_id", 1L, "text", "x".repeat(256 * 1024))),
                insert(Row.of("invoice_id", 2L, "text", "y".repeat(200 * 1024)))));
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, out.get(0));
        assertTrue(failed.reason().contains("over SNS's limit"), failed.reason());
        assertEquals(Outcome.DONE, out.get(1));
        assertEquals(1, sns.published().size());
    }

    @Test
    void batchesHoldAtMostTenEntriesAnd256KiB() {
        SnsSink sink = sink(new SinkDef.AlertRule("all", "1", "%.%", Optional.empty(), Optional.of("${text}"), Optional.empty(), Optional.empty()));
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            records.add(insert(Row.of("invoice_id", (long) i, "text", "small " + i)));
        }
        for (int i = 23; i < 28; i++) {
            records.add(insert(Row.of("invoice_id", (long) i, "text", "z".repeat(100 * 1024))));
        }
        write(sink, records);
        assertEquals(28, sns.published().size());
        for (PublishBatchRequest r : sns.requests) {
            assertTrue(r.publishBatchRequestEntries().size() <= 10);
            int bytes = r.publishBatchRequestEntries().stream().mapToInt(e -> e.message().length() + 200).sum();
            assertTrue(bytes <= 256 * 1024 + 10 * 200, "batch of " + bytes + " bytes");
        }
        assertEquals(List.of(10, 10, 5, 2, 1), sns.requests.stream().map(r -> r.publishBatchRequestEntries().size()).toList());
    }

    @Test
    void fifoTopicsGetTheKeyAsGroupAndThePositionAndRuleAsDeduplicationId() {
        SnsSink sink = sink(sns, "arn:aws:sns:us-east-1:000000000000:usage-alerts.fifo", highUsage(), rule("all", "1"));
        write(sink, List.of(insert(invoice(7, 1235442, 50))));
        List<PublishBatchRequestEntry> got = sns.published();
        assertEquals(2, got.size());
        assertEquals(2, sns.requests.size(), "one alert per message group in a batch keeps the group's order");
        assertEquals("democustomer.invoices.7", got.get(0).messageGroupId());
        assertEquals("0:high-usage", got.get(0).messageDeduplicationId());
        assertEquals("0:all", got.get(1).messageDeduplicationId());
        assertEquals(64, Alert.fifoId("k".repeat(129)).length());
    }

    @Test
    void failedEntriesAreRetriedAloneAndAcceptedAlertsAreNotPublishedAgain() {
        int[] calls = {0};
        FaultySns faulty = new FaultySns(sns, e -> calls[0]++ < 2 && e.message().contains("1235442"));
        SnsSink sink = sink(faulty, TOPIC, highUsage(), rule("all", "monthly_kwh_use > 45"));
        SinkRecord r7 = insert(invoice(7, 1235442, 50));
        SinkRecord r4 = insert(invoice(4, 1226431, 47));
        List<Outcome> first = write(sink, List.of(r7, r4));
        assertInstanceOf(Outcome.Retry.class, first.get(0));
        assertEquals(Outcome.DONE, first.get(1));
        assertEquals(List.of(Outcome.DONE), write(sink, List.of(r7)));
        Map<String, Long> perRuleAndRecord = sns.published().stream().collect(Collectors.groupingBy(
                e -> attributes(e).get("rule") + ":" + (e.message().startsWith("{") ? e.message().replaceAll(".*\"customer_id\":(\\d+).*", "$1") : e.message()),
                Collectors.counting()));
        assertEquals(4, perRuleAndRecord.size(), perRuleAndRecord.toString());
        perRuleAndRecord.forEach((k, n) -> assertEquals(1L, n, k));
        assertEquals(0, metrics.get("high-usage", "suppressed-dedupe"), "the retry did not run the change through dedupe again");
        assertEquals(2, metrics.get("high-usage", "evaluated"), "nor evaluated it again");
    }

    @Test
    void aLaterChangeOfAKeyWaitsBehindOneThatMustBeRetried() {
        FaultySns faulty = new FaultySns(sns, e -> e.message().equals("1"));
        SnsSink sink = sink(faulty, TOPIC, new SinkDef.AlertRule("all", "1", "%.%", Optional.empty(), Optional.of("${invoice_id}"),
                Optional.empty(), Optional.empty()));
        Row one = Row.of("invoice_id", 1L);
        List<Outcome> out = write(sink, List.of(insert(one), record(Op.UPDATE, INVOICES, one, one), insert(Row.of("invoice_id", 2L))));
        assertInstanceOf(Outcome.Retry.class, out.get(0));
        assertEquals(Outcome.DONE, out.get(2));
        assertEquals(List.of("2"), sns.published().stream().map(PublishBatchRequestEntry::message).toList());
    }

    @Test
    void aMissingTopicStopsThePipelineWithTheReason() {
        SnsClient missing = new SnsClient() {
            @Override
            public PublishBatchResponse publishBatch(PublishBatchRequest request) {
                throw (NotFoundException) NotFoundException.builder().statusCode(404).message("Topic does not exist")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").errorMessage("Topic does not exist").build()).build();
            }

            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }
        };
        SnsSink sink = sink(missing, TOPIC, highUsage());
        SinkFatalException e = assertThrows(SinkFatalException.class, () -> write(sink, List.of(insert(invoice(7, 1235442, 50)))));
        assertTrue(e.getMessage().contains("NotFound: Topic does not exist") && e.getMessage().contains(TOPIC), e.getMessage());
    }

    @Test
    void aThrottledRequestIsRetriedAndARejectedEntryGoesToTheDeadLetters() {
        int[] calls = {0};
        SnsClient flaky = new SnsClient() {
            @Override
            public PublishBatchResponse publishBatch(PublishBatchRequest request) {
                if (calls[0]++ == 0) {
                    throw ThrottledException.builder().statusCode(400).message("Rate exceeded").build();
                }
                PublishBatchResponse ok = sns.publishBatch(request.toBuilder().publishBatchRequestEntries(
                        request.publishBatchRequestEntries().stream().filter(e -> !e.message().contains("bad")).toList()).build());
                return ok.toBuilder().failed(request.publishBatchRequestEntries().stream().filter(e -> e.message().contains("bad"))
                        .map(e -> BatchResultErrorEntry.builder().id(e.id()).code("InvalidParameter").message("Invalid message")
                                .senderFault(true).build()).toList()).build();
            }

            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }
        };
        SnsSink sink = sink(flaky, TOPIC, new SinkDef.AlertRule("all", "1", "%.%", Optional.empty(), Optional.of("${text}"),
                Optional.empty(), Optional.empty()));
        List<SinkRecord> records = List.of(insert(Row.of("invoice_id", 1L, "text", "good")), insert(Row.of("invoice_id", 2L, "text", "bad")));
        List<Outcome> first = write(sink, records);
        assertInstanceOf(Outcome.Retry.class, first.get(0));
        assertInstanceOf(Outcome.Retry.class, first.get(1));
        List<Outcome> second = write(sink, records);
        assertEquals(Outcome.DONE, second.get(0));
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, second.get(1));
        assertEquals("rule 'all': SNS rejected the alert: InvalidParameter: Invalid message", failed.reason());
        assertEquals(List.of("good"), sns.published().stream().map(PublishBatchRequestEntry::message).toList());
        assertEquals(1, metrics.get("all", "failed"));
    }
}
