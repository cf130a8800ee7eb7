package io.changepipe.sink.s3batch;

import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.SinkThreads;
import io.changepipe.sink.spool.S3Uploads;
import io.changepipe.sink.spool.Spool;
import io.changepipe.sink.spool.SpoolFile;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Firehose-style delivery to S3: records are buffered per evaluated prefix (dynamic partitioning) and written as one
 * object of newline-delimited lines when the buffer reaches its size or its interval, whichever first. The buffers are
 * {@link Spool} files: a record is answered done once its line is forced to disk, and the object is uploaded from the
 * file (again after a crash, under the same key). A record that cannot be encoded or partitioned goes, as a Firehose
 * error document, to an object under the error prefix and is answered failed. Keys end in a random UUID chosen when
 * the buffer opens, so two buffers never share a key and a repeated upload replaces its own object.
 */
public final class S3BatchSink implements Sink {

    /** Makes the line of one record (ending in a newline); throws when the record cannot be encoded. */
    @FunctionalInterface
    public interface LineEncoder {
        byte[] encode(SinkRecord record);
    }

    static final String PROCESSING_FAILED = "processing-failed";
    private static final String ERRORS = "\u0000errors";
    private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger(S3BatchSink.class);

    /** A buffer being filled: its spool file (whose header is the object key), the partition and its oldest arrival. */
    private record Buffer(SpoolFile file, String partition, Instant oldest) {
    }

    private final Clock clock;
    private final S3BatchSettings settings;
    private final LineEncoder encoder;
    private final KeyPrefix prefix;
    private final KeyPrefix errorPrefix;
    private final Spool spool;
    private final S3Uploads uploads;
    private final Map<String, Buffer> open = new HashMap<>();
    private final ScheduledExecutorService ticker;

    public S3BatchSink(S3Client s3, Clock clock, S3BatchSettings settings, LineEncoder encoder, Spool spool) {
        this.clock = clock;
        this.settings = settings;
        this.encoder = encoder;
        this.prefix = KeyPrefix.parse(settings.prefix());
        this.errorPrefix = KeyPrefix.parse(settings.errorPrefix()).withErrorType();
        this.spool = spool;
        String name = "pipeline " + settings.pipeline() + " sink " + settings.sink();
        this.uploads = new S3Uploads(s3, settings.bucket(), name, settings.retryBackoff(), settings.maxRetryBackoff());
        List<SpoolFile> left = spool.recover();
        if (!left.isEmpty()) {
            LOG.infof("%s: uploading %d buffer(s) spooled before the last stop", name, left.size());
        }
        for (SpoolFile f : left) {
            if (!f.sealed()) {
                f.seal(f.header());
            }
            upload(f);
        }
        this.ticker = SinkThreads.ticker("changepipe-s3batch-" + settings.pipeline() + "-" + settings.sink(), settings.checkEvery(),
                this::tickQuietly);
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        SinkFatalException fatal = uploads.fatal();
        if (fatal != null) {
            return Uni.createFrom().failure(fatal);
        }
        try {
            spool.awaitRoom();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Uni.createFrom().failure(e);
        }
        Outcome[] outcomes = new Outcome[records.size()];
        Instant now = clock.instant();
        synchronized (this) {
            Set<Buffer> touched = new LinkedHashSet<>();
            for (int i = 0; i < records.size(); i++) {
                SinkRecord r = records.get(i);
                byte[] line = null;
                try {
                    line = encoder.encode(r);
                    touched.add(append(prefix.partition(r.event()), line, now));
                    outcomes[i] = Outcome.DONE;
                } catch (RuntimeException e) {
                    String reason = describe(e);
                    touched.add(append(ERRORS, ErrorLines.line(r, line, PROCESSING_FAILED, reason, 1, now, now), now));
                    outcomes[i] = Outcome.failed(PROCESSING_FAILED + ": " + reason);
                }
            }
            for (Buffer b : touched) {
                if (b.file().sealed()) {
                    continue; // delivered early to make room for another partition
                }
                if (settings.bufferInterval().isZero() || b.file().size() >= settings.bufferSize()) {
                    deliver(b);
                } else {
                    b.file().sync();
                }
            }
        }
        return Uni.createFrom().item(Arrays.asList(outcomes));
    }

    private Buffer append(String partition, byte[] line, Instant now) {
        Buffer b = open.get(partition);
        if (b == null) {
            if (open.size() >= settings.maxOpenPartitions()) {
                deliver(open.values().stream().min(Comparator.comparing(Buffer::oldest)).orElseThrow());
            }
            String key = partition.equals(ERRORS) ? errorPrefix.render(now, "", PROCESSING_FAILED) + objectName(now)
                    : prefix.render(now, partition, "") + objectName(now);
            b = new Buffer(spool.create(key), partition, now);
            open.put(partition, b);
        }
        b.file().append(line);
        return b;
    }

    /** Delivers the batches whose interval has passed; the scheduled check calls it, tests call it after moving the clock. */
    public synchronized void tick() {
        Instant now = clock.instant();
        new ArrayList<>(open.values()).stream().filter(b -> !now.isBefore(b.oldest().plus(settings.bufferInterval())))
                .forEach(this::deliver);
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

    /** Waits for the uploads started so far, without delivering open buffers (tests). */
    public void awaitUploads(java.time.Duration atMost) {
        uploads.drain().await().atMost(atMost);
    }

    @Override
    public Uni<Void> flush() {
        synchronized (this) {
            new ArrayList<>(open.values()).forEach(this::deliver);
        }
        return uploads.drain();
    }

    @Override
    public String problem() {
        return uploads.problem();
    }

    @Override
    public SinkFatalException fatal() {
        return uploads.fatal();
    }

    private void deliver(Buffer b) {
        open.remove(b.partition());
        b.file().seal(b.file().header());
        upload(b.file());
    }

    private void upload(SpoolFile f) {
        uploads.upload(f, settings.gzip(), settings.gzip() ? "application/gzip" : "application/x-ndjson");
    }

    private String objectName(Instant oldest) {
        return settings.pipeline() + "-" + settings.sink() + "-" + SUFFIX_TIME.format(oldest) + "-" + UUID.randomUUID()
                + (settings.gzip() ? ".gz" : "");
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        uploads.close();
    }
}
