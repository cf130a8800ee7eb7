package io.changepipe.sink.sns;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** SnsMetrics kept in a map: "rule:stage" → count. */
final class CountingMetrics implements SnsMetrics {

    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    long get(String rule, String stage) {
        AtomicLong n = counts.get(rule + ":" + stage);
        return n == null ? 0 : n.get();
    }

    private void inc(String rule, String stage) {
        counts.computeIfAbsent(rule + ":" + stage, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void evaluated(String rule) {
        inc(rule, "evaluated");
    }

    @Override
    public void matched(String rule) {
        inc(rule, "matched");
    }

    @Override
    public void published(String rule) {
        inc(rule, "published");
    }

    @Override
    public void suppressed(String rule, Suppression why) {
        inc(rule, why == Suppression.DEDUPE ? "suppressed-dedupe" : "suppressed-rate-limit");
    }

    @Override
    public void failed(String rule) {
        inc(rule, "failed");
    }
}
