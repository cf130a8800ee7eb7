package io.changepipe.sink.kinesis;

import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.kinesis.Requests.Entry;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes changes to a Kinesis data stream with PutRecords. Each write is cut into requests that keep AWS's limits
 * ({@link Requests}: at most one record of a partition key per request, rounds in key order), and up to
 * {@code maxInFlight} requests travel at once on the sink's own threads (the sync SDK client; no async HTTP client
 * resolves here). A record is answered {@code done} only when Kinesis accepted it; failed entries and whole requests
 * that may succeed later are answered {@code retry}, and so is every later record of their keys, which is held back
 * unsent. Errors no retry fixes throw {@link SinkFatalException}.
 */
public final class KinesisSink implements Sink {

    private static final Logger LOG = Logger.getLogger(KinesisSink.class);
    static final String HELD_BACK = "held back behind an earlier record of its key";

    private final KinesisClient client;
    private final KinesisSinkSettings settings;
    private final Function<SinkRecord, byte[]> encoder;
    private final KinesisMetrics metrics;
    private final ThreadPoolExecutor requests;
    private final StreamSetup setup;
    private volatile boolean ready;

    /** {@code encoder} makes a record's data (the DMS JSON); the client is not closed by the sink. */
    public KinesisSink(KinesisClient client, KinesisSinkSettings settings, Function<SinkRecord, byte[]> encoder, KinesisMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.encoder = encoder;
        this.metrics = metrics;
        this.setup = new StreamSetup(client, settings);
        AtomicInteger n = new AtomicInteger();
        String name = "changepipe-" + settings.pipeline() + "-kinesis-" + settings.sink() + "-";
        this.requests = new ThreadPoolExecutor(settings.maxInFlight(), settings.maxInFlight(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // graphs do not close their sinks: idle threads go away on their own
        this.requests.allowCoreThreadTimeOut(true);
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        return Uni.createFrom().completionStage(() -> new Write(records).start());
    }

    @Override
    public void close() {
        requests.shutdown();
    }

    /** One write: its records' outcomes, filled in as rounds of requests are answered. */
    private final class Write {
        private final List<SinkRecord> records;
        private final Outcome[] outcomes;
        private final Set<String> heldBack = new HashSet<>();
        private final CompletableFuture<List<Outcome>> result = new CompletableFuture<>();
        private List<List<Entry>> rounds;
        private int next;

        Write(List<SinkRecord> records) {
            this.records = records;
            this.outcomes = new Outcome[records.size()];
        }

        CompletableFuture<List<Outcome>> start() {
            rounds = Requests.rounds(encode());
            if (ready) {
                nextRound();
            } else {
                CompletableFuture.runAsync(() -> {
                    setup.ensureActive();
                    ready = true;
                }, requests).whenComplete((x, t) -> {
                    try {
                        if (t != null) {
                            throw t;
                        }
                        nextRound();
                    } catch (Throwable e) {
                        result.completeExceptionally(KinesisErrors.unwrap(e));
                    }
                });
            }
            return result;
        }

        private List<Entry> encode() {
            List<Entry> entries = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                SinkRecord r = records.get(i);
                byte[] data;
                try {
                    data = encoder.apply(r);
                } catch (RuntimeException e) {
                    outcomes[i] = Outcome.failed("cannot encode the record: " + e.getMessage());
                    continue;
                }
                long size = data.length + (long) r.partitionKey().getBytes(StandardCharsets.UTF_8).length;
                if (size > settings.maxRecordSize()) {
                    outcomes[i] = Outcome.failed("record of " + size + " bytes exceeds maxRecordSize " + settings.maxRecordSize());
                } else {
                    entries.add(new Entry(i, r.partitionKey(), SdkBytes.fromByteArrayUnsafe(data), size));
                }
            }
            return entries;
        }

        /** Sends the next round that has anything left to send, or completes the write. */
        private void nextRound() {
            while (next < rounds.size()) {
                List<Entry> round = new ArrayList<>();
                for (Entry e : rounds.get(next++)) {
                    if (heldBack.contains(e.key())) {
                        outcomes[e.index()] = Outcome.retry(HELD_BACK);
                    } else {
                        round.add(e);
                    }
                }
                if (round.isEmpty()) {
                    continue;
                }
                // full requests cost least per record; more than one full request's worth travels side by side
                int parts = (round.size() + settings.maxRecords() - 1) / settings.maxRecords();
                List<CompletableFuture<Answer>> calls = Requests.split(round, settings.maxRecords(), settings.maxBytes(), parts)
                        .stream().map(r -> CompletableFuture.supplyAsync(() -> send(r), requests)).toList();
                // async: a key's records in many rounds must not nest callbacks as deep as the rounds go
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenCompleteAsync((x, t) -> {
                    try {
                        calls.forEach(c -> settle(c.join()));
                        nextRound();
                    } catch (Throwable e) {
                        result.completeExceptionally(KinesisErrors.unwrap(e));
                    }
                }, requests);
                return;
            }
            List<Outcome> answered = Arrays.asList(outcomes);
            metrics.retried((int) answered.stream().filter(o -> o instanceof Outcome.Retry).count());
            result.complete(answered);
        }

        private Answer send(List<Entry> request) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(request.size());
            for (Entry e : request) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey(e.key()).data(e.data()).build());
            }
            PutRecordsRequest put = settings.stream().on(PutRecordsRequest.builder()).records(entries).build();
            long start = System.nanoTime();
            try {
                return new Answer(request, client.putRecords(put), null, System.nanoTime() - start);
            } catch (RuntimeException e) {
                return new Answer(request, null, e, System.nanoTime() - start);
            }
        }

        private void settle(Answer a) {
            if (a.error() != null) {
                failed(a);
                return;
            }
            metrics.request(a.entries().size(), a.nanos());
            List<PutRecordsResultEntry> results = a.response().records();
            if (results.size() != a.entries().size()) {
                a.entries().forEach(e -> retry(e, "Kinesis answered " + results.size() + " entries for " + a.entries().size() + " records"));
                return;
            }
            int failed = 0;
            int throttled = 0;
            int accepted = 0;
            long bytes = 0;
            for (int i = 0; i < results.size(); i++) {
                PutRecordsResultEntry r = results.get(i);
                Entry e = a.entries().get(i);
                if (r.errorCode() == null) {
                    outcomes[e.index()] = Outcome.DONE;
                    accepted++;
                    bytes += e.size();
                    if (LOG.isDebugEnabled()) {
                        LOG.debugf("pipeline %s, sink %s: %s (key %s) accepted: %s, sequence number %s", settings.pipeline(),
                                settings.sink(), records.get(e.index()).event().position().text(), e.key(), r.shardId(), r.sequenceNumber());
                    }
                } else {
                    failed++;
                    if ("ProvisionedThroughputExceededException".equals(r.errorCode())) {
                        throttled++;
                    }
                    retry(e, r.errorCode() + ": " + r.errorMessage());
                }
            }
            metrics.accepted(accepted, bytes);
            if (failed > 0) {
                metrics.failedEntries(failed, throttled);
                LOG.debugf("pipeline %s, sink %s: %d of %d entries failed (%d throttled); retrying them", settings.pipeline(),
                        settings.sink(), failed, results.size(), throttled);
            }
        }

        private void failed(Answer a) {
            KinesisErrors.Kind kind = KinesisErrors.kind(a.error());
            if (kind == KinesisErrors.Kind.FATAL) {
                throw new SinkFatalException(KinesisErrors.fatalMessage(settings.stream(), settings.region(), a.error()), KinesisErrors.unwrap(a.error()));
            }
            metrics.failedRequest(kind == KinesisErrors.Kind.THROTTLED);
            String reason = KinesisErrors.describe(a.error());
            if (kind == KinesisErrors.Kind.THROTTLED) {
                LOG.debugf("pipeline %s, sink %s: PutRecords of %d records throttled (%s); retrying with backoff", settings.pipeline(),
                        settings.sink(), a.entries().size(), reason);
            } else {
                LOG.warnf("pipeline %s, sink %s: PutRecords of %d records failed (%s); retrying with backoff", settings.pipeline(),
                        settings.sink(), a.entries().size(), reason);
            }
            a.entries().forEach(e -> retry(e, reason));
        }

        private void retry(Entry e, String reason) {
            outcomes[e.index()] = Outcome.retry(reason);
            heldBack.add(e.key());
        }
    }

    /** What one PutRecords request came back with: the response, or what it threw. */
    private record Answer(List<Entry> entries, PutRecordsResponse response, RuntimeException error, long nanos) {
    }
}
