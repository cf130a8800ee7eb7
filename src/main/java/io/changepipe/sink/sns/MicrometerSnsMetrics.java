package io.changepipe.sink.sns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code changepipe_sns_alerts_total{pipeline, sink, rule, stage}}, stage one of evaluated, matched, published,
 * suppressed-dedupe, suppressed-rate-limit, failed; each counter looked up once.
 */
final class MicrometerSnsMetrics implements SnsMetrics {

    private final MeterRegistry registry;
    private final String pipeline;
    private final String sink;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MicrometerSnsMetrics(MeterRegistry registry, String pipeline, String sink) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.sink = sink;
    }

    private void count(String rule, String stage) {
        counters.computeIfAbsent(rule + "\u0000" + stage, k -> Counter.builder("changepipe.sns.alerts")
                .description("SNS alert rules: changes evaluated, matched, alerts published, suppressed and failed")
                .tag("pipeline", pipeline).tag("sink", sink).tag("rule", rule).tag("stage", stage)
                .register(registry)).increment();
    }

    @Override
    public void evaluated(String rule) {
        count(rule, "evaluated");
    }

    @Override
    public void matched(String rule) {
        count(rule, "matched");
    }

    @Override
    public void published(String rule) {
        count(rule, "published");
    }

    @Override
    public void suppressed(String rule, Suppression why) {
        count(rule, why == Suppression.DEDUPE ? "suppressed-dedupe" : "suppressed-rate-limit");
    }

    @Override
    public void failed(String rule) {
        count(rule, "failed");
    }
}
