package io.changepipe.sink.sns;

import io.changepipe.definition.SinkDef;
import io.changepipe.expr.ExpressionException;
import io.changepipe.rules.EventEvalContext;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidSecurityException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/**
 * Evaluates alert rules on every change and publishes each match to an SNS topic with PublishBatch. A change is done
 * when every alert it raised is accepted (or suppressed by dedupe or the rate limit); alerts SNS did not accept are
 * retried without publishing again the ones it did, because what was accepted is remembered per (sequence, rule).
 */
public final class SnsSink implements Sink {

    private static final Logger LOG = Logger.getLogger(SnsSink.class);
    private static final int MAX_ENTRIES = 10;

    private final String where;
    private final String topicArn;
    private final boolean fifo;
    private final List<CompiledRule> rules;
    private final SnsClient client;
    private final Clock clock;
    private final SnsMetrics metrics;
    private final Function<SinkRecord, String> defaultMessage;
    /** Alerts decided for a change but not yet accepted by SNS, by sequence then rule; a retried change only sends these. */
    private final Map<Long, Map<String, Alert>> unsent = new HashMap<>();

    /**
     * {@code where} names the pipeline and sink in messages ("pipeline invoices, sink alerts"); {@code defaultMessage}
     * is the change in the pipeline's JSON format, for rules without a message template.
     */
    public SnsSink(String where, SinkDef.Sns def, SnsClient client, Clock clock, SnsMetrics metrics,
            Function<SinkRecord, String> defaultMessage) {
        this.where = where;
        this.topicArn = def.topicArn();
        this.fifo = def.topicArn().endsWith(".fifo");
        this.rules = def.rules().stream().map(r -> CompiledRule.compile(r, clock, where)).toList();
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
        this.defaultMessage = defaultMessage;
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        return Uni.createFrom().item(() -> writeNow(records));
    }

    private synchronized List<Outcome> writeNow(List<SinkRecord> records) {
        Outcome[] out = new Outcome[records.size()];
        List<Integer> publishing = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SinkRecord r = records.get(i);
            if (!unsent.containsKey(r.sequence())) {
                Decision d = decide(r);
                if (d.failure != null) {
                    out[i] = Outcome.failed(d.failure);
                    continue;
                }
                if (d.alerts.isEmpty()) {
                    out[i] = Outcome.DONE;
                    continue;
                }
                unsent.put(r.sequence(), d.alerts);
            }
            publishing.add(i);
        }
        if (!publishing.isEmpty()) {
            publish(records, publishing, out);
        }
        return List.of(out);
    }

    /** The alerts a change raises, after dedupe and rate limit; or why it must go to the dead letters. */
    private record Decision(Map<String, Alert> alerts, String failure) {
        static final Decision NONE = new Decision(Map.of(), null);
    }

    private Decision decide(SinkRecord r) {
        EventEvalContext ctx = null;
        List<CompiledRule> matched = new ArrayList<>(0);
        List<Alert> alerts = new ArrayList<>(0);
        List<String> keys = new ArrayList<>(0);
        for (CompiledRule rule : rules) {
            if (!rule.sees(r.event().table())) {
                continue;
            }
            metrics.evaluated(rule.name);
            try {
                ctx = ctx != null ? ctx : new EventEvalContext(r.event(), r.event().image(), clock);
                if (!rule.when.test(ctx)) {
                    continue;
                }
                metrics.matched(rule.name);
                Alert a = alert(rule, r, ctx);
                if (a.size() > Alert.MAX_BYTES) {
                    metrics.failed(rule.name);
                    return new Decision(Map.of(), "rule '" + rule.name + "': the alert is " + a.size()
                            + " bytes, over SNS's limit of " + Alert.MAX_BYTES + " bytes (message and attributes)");
                }
                matched.add(rule);
                alerts.add(a);
                keys.add(rule.dedupe.isPresent() ? rule.dedupe.get().key().render(ctx) : null);
            } catch (ExpressionException e) {
                metrics.failed(rule.name);
                return new Decision(Map.of(), "rule '" + rule.name + "': " + e.getMessage());
            }
        }
        if (matched.isEmpty()) {
            return Decision.NONE;
        }
        // suppression last: a change that goes to the dead letters must not use up a dedupe key or the rate limit
        Map<String, Alert> admitted = new LinkedHashMap<>();
        for (int i = 0; i < matched.size(); i++) {
            CompiledRule rule = matched.get(i);
            if (rule.dedupe.isPresent() && !rule.dedupe.get().admit(keys.get(i))) {
                metrics.suppressed(rule.name, SnsMetrics.Suppression.DEDUPE);
                LOG.debugf("%s, rule %s: alert for %s suppressed, key '%s' alerted within the dedupe window", where, rule.name,
                        r.event().dedupeId(), keys.get(i));
            } else if (rule.rateLimit.isPresent() && !rule.rateLimit.get().admit()) {
                metrics.suppressed(rule.name, SnsMetrics.Suppression.RATE_LIMIT);
            } else {
                admitted.put(rule.name, alerts.get(i));
            }
        }
        return new Decision(admitted, null);
    }

    private Alert alert(CompiledRule rule, SinkRecord r, EventEvalContext ctx) {
        var table = r.event().table();
        String subject = rule.subject.map(t -> t.render(ctx)).orElse(rule.name + " on " + table.schema() + "." + table.table());
        String message = rule.message.isPresent() ? rule.message.get().render(ctx) : defaultMessage.apply(r);
        if (message.isEmpty()) {
            throw new ExpressionException(rule.message.map(Template::toString).orElse(""), "the message is empty (SNS needs one)");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("table", table.table());
        attributes.put("schema", table.schema());
        attributes.put("operation", r.event().op().wireName());
        attributes.put("rule", rule.name);
        return new Alert(r, rule.name, Alert.subjectText(subject), message, attributes);
    }

    /**
     * Sends the unsent alerts of {@code publishing} in batches of at most 10 entries and 256 KiB, in record order. Once an
     * alert of a key is not accepted, later alerts of that key wait (answered retry) so the key's order holds; on a FIFO
     * topic a batch holds at most one alert per message group for the same reason.
     */
    private void publish(List<SinkRecord> records, List<Integer> publishing, Outcome[] out) {
        Set<String> blocked = new HashSet<>();
        Map<Long, String> retry = new HashMap<>();
        Map<Long, String> failed = new HashMap<>();
        List<Alert> queue = new ArrayList<>();
        for (int i : publishing) {
            queue.addAll(unsent.get(records.get(i).sequence()).values());
        }
        int next = 0;
        while (next < queue.size()) {
            List<Alert> batch = new ArrayList<>();
            Set<String> groups = new HashSet<>();
            int bytes = 0;
            while (next < queue.size() && batch.size() < MAX_ENTRIES) {
                Alert a = queue.get(next);
                String key = a.record().partitionKey();
                if (blocked.contains(key)) {
                    retry.putIfAbsent(a.record().sequence(), "held back behind an earlier change of its key");
                    next++;
                    continue;
                }
                if (!batch.isEmpty() && (bytes + a.size() > Alert.MAX_BYTES || (fifo && groups.contains(key)))) {
                    break;
                }
                batch.add(a);
                groups.add(key);
                bytes += a.size();
                next++;
            }
            if (!batch.isEmpty()) {
                send(batch, blocked, retry, failed);
            }
        }
        for (int i : publishing) {
            long seq = records.get(i).sequence();
            if (failed.containsKey(seq)) {
                out[i] = Outcome.failed(failed.get(seq));
                unsent.remove(seq);
            } else if (retry.containsKey(seq)) {
                out[i] = Outcome.retry(retry.get(seq));
            } else {
                out[i] = Outcome.DONE;
                unsent.remove(seq);
            }
        }
    }

    private void send(List<Alert> batch, Set<String> blocked, Map<Long, String> retry, Map<Long, String> failed) {
        List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(batch.get(i).entry(Integer.toString(i), fifo));
        }
        PublishBatchResponse response;
        try {
            response = client.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
        } catch (NotFoundException | AuthorizationErrorException | InvalidSecurityException e) {
            throw fatal(e);
        } catch (InvalidParameterException e) {
            if (mentionsTopic(e)) {
                throw fatal(e);
            }
            batch.forEach(a -> {
                metrics.failed(a.rule());
                failed.putIfAbsent(a.record().sequence(), "rule '" + a.rule() + "': SNS rejected the alert: " + message(e));
            });
            return;
        } catch (ThrottledException e) {
            batch.forEach(a -> miss(a, "SNS: " + message(e), blocked, retry));
            return;
        } catch (SnsException e) {
            if (e.statusCode() < 500 && !e.isThrottlingException() && e.statusCode() != 0) {
                throw fatal(e);
            }
            batch.forEach(a -> miss(a, "SNS: " + message(e), blocked, retry));
            return;
        } catch (SdkClientException e) {
            batch.forEach(a -> miss(a, "SNS unreachable: " + e.getMessage(), blocked, retry));
            return;
        }
        Set<String> accepted = new HashSet<>();
        response.successful().forEach(s -> accepted.add(s.id()));
        Map<String, BatchResultErrorEntry> errors = new HashMap<>();
        response.failed().forEach(f -> errors.put(f.id(), f));
        for (int i = 0; i < batch.size(); i++) {
            Alert a = batch.get(i);
            BatchResultErrorEntry error = errors.get(Integer.toString(i));
            if (error != null && Boolean.TRUE.equals(error.senderFault())) {
                metrics.failed(a.rule());
                failed.putIfAbsent(a.record().sequence(), "rule '" + a.rule() + "': SNS rejected the alert: "
                        + error.code() + ": " + error.message());
            } else if (error != null || !accepted.contains(Integer.toString(i))) {
                miss(a, error == null ? "SNS did not answer for the entry" : error.code() + ": " + error.message(), blocked, retry);
            } else {
                metrics.published(a.rule());
                unsent.get(a.record().sequence()).remove(a.rule());
            }
        }
    }

    private void miss(Alert a, String reason, Set<String> blocked, Map<Long, String> retry) {
        blocked.add(a.record().partitionKey());
        retry.putIfAbsent(a.record().sequence(), "rule '" + a.rule() + "': " + reason);
    }

    private SinkFatalException fatal(SnsException e) {
        return new SinkFatalException(where + ": SNS refused to publish to " + topicArn + ": " + message(e)
                + " (check that the topic exists in this account and region and that the role may sns:Publish to it)", e);
    }

    private static boolean mentionsTopic(SnsException e) {
        String m = message(e).toLowerCase(java.util.Locale.ROOT);
        return m.contains("topic");
    }

    private static String message(SnsException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        // the client belongs to the application (CDI), not to this sink
    }
}
