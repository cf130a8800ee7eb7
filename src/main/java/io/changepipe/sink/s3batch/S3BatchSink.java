package io.changepipe.sink.s3batch;

import io.changepipe.sink.PendingWrite;
import io.changepipe.sink.SinkThreads;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Firehose-style delivery to S3: records are buffered per evaluated prefix (dynamic partitioning) and written as one
 * object of newline-delimited lines when the buffer reaches its size or its interval, whichever first. A write
 * completes when every one of its records is in an object (done) or, when it cannot be encoded, partitioned or
 * delivered, in an object under the error prefix (failed); nothing is acknowledged before it is in S3. Keys end in a
 * random UUID, so a retried upload never overwrites another object.
 */
public final class S3BatchSink implements Sink {

    /** Makes the line of one record (ending in a newline); throws when the record cannot be encoded. */
    @FunctionalInterface
    public interface LineEncoder {
        byte[] encode(SinkRecord record);
    }

    static final String PROCESSING_FAILED = "processing-failed";
    static final String DELIVERY_FAILED = "delivery-failed";
    private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger(S3BatchSink.class);

    private record Failure(Batch.Slot slot, byte[] raw, String message) {
    }

    private final S3Client s3;
    private final Clock clock;
    private final S3BatchSettings settings;
    private final LineEncoder encoder;
    private final KeyPrefix prefix;
    private final KeyPrefix errorPrefix;
    private final Map<String, Batch> open = new HashMap<>();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService uploads;
    private final ScheduledExecutorService ticker;

    public S3BatchSink(S3Client s3, Clock clock, S3BatchSettings settings, LineEncoder encoder) {
        this.s3 = s3;
        this.clock = clock;
        this.settings = settings;
        this.encoder = encoder;
        this.prefix = KeyPrefix.parse(settings.prefix());
        this.errorPrefix = KeyPrefix.parse(settings.errorPrefix()).withErrorType();
        String name = "changepipe-s3batch-" + settings.pipeline() + "-" + settings.sink();
        this.uploads = SinkThreads.uploads(name, 2);
        this.ticker = SinkThreads.ticker(name, settings.checkEvery(), this::tickQuietly);
    }

    @Override
    public int maxPendingWrites() {
        return 10_000;
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        PendingWrite write = new PendingWrite(records.size());
        List<Failure> failed = new ArrayList<>();
        List<Batch> due = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (this) {
            for (int i = 0; i < records.size(); i++) {
                SinkRecord r = records.get(i);
                Batch.Slot slot = new Batch.Slot(write, i, r, now);
                byte[] line = null;
                try {
                    line = encoder.encode(r);
                    String partition = prefix.partition(r.event());
                    add(partition, line, slot, now, due);
                } catch (RuntimeException e) {
                    failed.add(new Failure(slot, line, describe(e)));
                }
            }
            if (settings.bufferInterval().isZero()) {
                due.addAll(open.values());
                open.clear();
            }
            enforceMemoryLimit(due);
        }
        if (!failed.isEmpty()) {
            deliverErrors(failed, PROCESSING_FAILED, 1, now);
        }
        due.forEach(this::deliver);
        return Uni.createFrom().completionStage(write.result);
    }

    private void add(String partition, byte[] line, Batch.Slot slot, Instant now, List<Batch> due) {
        Batch b = open.get(partition);
        if (b == null) {
            if (open.size() >= settings.maxOpenPartitions()) {
                Batch oldest = open.values().stream().min(Comparator.comparing((Batch x) -> x.oldest)).orElseThrow();
                open.remove(oldest.partition);
                due.add(oldest);
            }
            b = new Batch(partition, now, settings.gzip());
            open.put(partition, b);
        }
        b.add(line, slot);
        if (b.size() >= settings.bufferSize()) {
            open.remove(partition);
            due.add(b);
        }
    }

    private void enforceMemoryLimit(List<Batch> due) {
        long held = 0;
        long records = 0;
        for (Batch b : open.values()) {
            held += b.held();
            records += b.count();
        }
        if (records > settings.maxBufferedRecords()) {
            // every open batch goes: a write completes only when all its records are written, and its records may sit
            // in any batch, so only this guarantees acknowledgements while the engine's in-flight window is full
            due.addAll(open.values());
            open.clear();
            return;
        }
        while (held > settings.memoryLimit() && !open.isEmpty()) {
            Batch largest = open.values().stream().max(Comparator.comparingLong(Batch::size)).orElseThrow();
            open.remove(largest.partition);
            due.add(largest);
            held -= largest.held();
        }
    }

    /** Delivers the batches whose interval has passed; the scheduled check calls it, tests call it after moving the clock. */
    public void tick() {
        List<Batch> due = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (this) {
            open.values().removeIf(b -> {
                if (!now.isBefore(b.oldest.plus(settings.bufferInterval()))) {
                    due.add(b);
                    return true;
                }
                return false;
            });
        }
        due.forEach(this::deliver);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "pipeline %s sink %s: interval check failed", settings.pipeline(), settings.sink());
        }
    }

    /** Number of batches buffered and not yet handed to an upload. */
    public synchronized int openBatches() {
        return open.size();
    }

    @Override
    public Uni<Void> flush() {
        List<Batch> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(this::deliver);
        return Uni.createFrom().completionStage(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void deliver(Batch b) {
        byte[] body = b.finish();
        String key = prefix.render(b.oldest, b.partition, "") + objectName(b.oldest);
        track(put(key, body).<Void>handle((attempts, failure) -> {
            Throwable error = unwrap(failure);
            if (error == null) {
                b.slots().forEach(s -> s.write().settle(s.index(), Outcome.DONE));
            } else if (error instanceof SinkFatalException fatal) {
                b.slots().forEach(s -> s.write().fail(fatal));
            } else {
                LOG.warnf("pipeline %s sink %s: s3://%s/%s not written (%s); its %d records go under the error prefix",
                        settings.pipeline(), settings.sink(), settings.bucket(), key, describe(error), b.count());
                List<byte[]> lines = lines(body);
                List<Failure> failed = new ArrayList<>();
                for (int i = 0; i < b.slots().size(); i++) {
                    failed.add(new Failure(b.slots().get(i), i < lines.size() ? lines.get(i) : null, describe(error)));
                }
                deliverErrors(failed, DELIVERY_FAILED, settings.uploadAttempts(), b.oldest);
            }
            return null;
        }));
    }

    private void deliverErrors(List<Failure> failed, String type, int attempts, Instant oldest) {
        Batch errors = new Batch("", oldest, settings.gzip());
        Instant end = clock.instant();
        for (Failure f : failed) {
            errors.add(ErrorLines.line(f.slot().record(), f.raw(), type, f.message(), attempts, f.slot().arrival(), end), f.slot());
        }
        byte[] body = errors.finish();
        String key = errorPrefix.render(oldest, "", type) + objectName(oldest);
        track(put(key, body).<Void>handle((x, failure) -> {
            Throwable error = unwrap(failure);
            if (error == null) {
                failed.forEach(f -> f.slot().write().settle(f.slot().index(), Outcome.failed(type + ": " + f.message())));
            } else {
                SinkFatalException fatal = error instanceof SinkFatalException e ? e : new SinkFatalException(
                        "s3://" + settings.bucket() + "/" + key + ": records that failed (" + type
                                + ") could not be written under the error prefix either: " + describe(error), error);
                failed.forEach(f -> f.slot().write().fail(fatal));
            }
            return null;
        }));
    }

    private void track(CompletableFuture<Void> f) {
        inFlight.add(f);
        f.whenComplete((x, e) -> inFlight.remove(f));
    }

    private String objectName(Instant oldest) {
        return settings.pipeline() + "-" + settings.sink() + "-" + SUFFIX_TIME.format(oldest) + "-" + UUID.randomUUID()
                + (settings.gzip() ? ".gz" : "");
    }

    /** Puts the object, retrying transient errors with backoff; a missing bucket or denied access is fatal. */
    private CompletableFuture<Boolean> put(String key, byte[] body) {
        PutObjectRequest request = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentType(settings.gzip() ? "application/gzip" : "application/x-ndjson").build();
        Uni<Boolean> once = Uni.createFrom().item(() -> {
            s3.putObject(request, RequestBody.fromBytes(body));
            return Boolean.TRUE;
        }).runSubscriptionOn(uploads);
        if (settings.uploadAttempts() > 1) {
            once = once.onFailure(S3BatchSink::transient_).retry()
                    .withBackOff(settings.retryBackoff(), settings.maxRetryBackoff()).atMost(settings.uploadAttempts() - 1L);
        }
        return once.onFailure(S3BatchSink::fatal).transform(e -> new SinkFatalException("s3://" + settings.bucket() + "/"
                + key + ": " + describe(e) + "; create the bucket or grant s3:PutObject to changepipe", e))
                .subscribeAsCompletionStage();
    }

    static boolean transient_(Throwable t) {
        if (t instanceof S3Exception e) {
            return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
        }
        return t instanceof SdkClientException || t instanceof UncheckedIOException;
    }

    static boolean fatal(Throwable t) {
        return t instanceof S3Exception e && (e.statusCode() == 403 || "NoSuchBucket".equals(errorCode(e)));
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private List<byte[]> lines(byte[] body) {
        try (InputStream in = settings.gzip() ? new GZIPInputStream(new ByteArrayInputStream(body)) : new ByteArrayInputStream(body)) {
            byte[] all = in.readAllBytes();
            List<byte[]> lines = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    lines.add(java.util.Arrays.copyOfRange(all, from, i + 1));
                    from = i + 1;
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        uploads.shutdown();
    }
}
