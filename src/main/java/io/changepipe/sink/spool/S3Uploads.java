package io.changepipe.sink.spool;

import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkThreads;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads sealed spool files to S3 and deletes each once S3 has it. Its records were answered done when they reached
 * the spool, so an upload is never given up: every error but a missing bucket or denied access is retried with
 * backoff for as long as it takes, and the sink reports itself unhealthy meanwhile ({@link #problem}). A missing bucket
 * or denied access is fatal ({@link #fatal}); the files stay on disk and are uploaded after a restart. The same key
 * is used on every attempt and after a restart, so an upload repeated after a crash replaces its object.
 */
public final class S3Uploads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3Uploads.class);

    private final S3Client s3;
    private final String bucket;
    private final String name;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final ExecutorService pool;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile String problem;
    private volatile SinkFatalException fatal;

    /** {@code name} says whose uploads these are in logs and errors: pipeline and sink. */
    public S3Uploads(S3Client s3, String bucket, String name, Duration firstBackoff, Duration maxBackoff) {
        this.s3 = s3;
        this.bucket = bucket;
        this.name = name;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.pool = SinkThreads.uploads("changepipe-" + name.replace(' ', '-'), 2);
    }

    /** Uploads a sealed file to its key ({@link SpoolFile#key}), gzip'd when asked, and deletes it afterwards. */
    public void upload(SpoolFile file, boolean gzip, String contentType) {
        String key = file.key();
        PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build();
        CompletableFuture<Void> done = Uni.createFrom().item(() -> {
            put(file, request, gzip);
            return (Void) null;
        }).runSubscriptionOn(pool)
                .onFailure(t -> !fatal(t)).invoke(t -> retrying(key, t))
                .onFailure(t -> !fatal(t) && !pool.isShutdown()).retry().withBackOff(firstBackoff, maxBackoff).withJitter(0.2).indefinitely()
                .onFailure(S3Uploads::fatal).transform(t -> new SinkFatalException("s3://" + bucket + "/" + key + ": "
                        + describe(t) + "; create the bucket or grant s3:PutObject to changepipe (the spooled records are kept and "
                        + "uploaded when the pipeline starts again)", t))
                .invoke(() -> {
                    file.delete();
                    uploaded.incrementAndGet();
                    if (problem != null) {
                        LOG.infof("%s: uploads to s3://%s work again", name, bucket);
                        problem = null;
                    }
                })
                .onFailure(SinkFatalException.class).invoke(t -> fatal = (SinkFatalException) t)
                .subscribeAsCompletionStage();
        inFlight.add(done);
        done.whenComplete((x, e) -> inFlight.remove(done));
    }

    private void put(SpoolFile file, PutObjectRequest request, boolean gzip) {
        Path body = file.uploadBody();
        try {
            try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(body), 64 * 1024) : Files.newOutputStream(body)) {
                file.copyTo(out);
            }
            s3.putObject(request, RequestBody.fromFile(body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spool file " + file + " for its upload", e);
        } finally {
            try {
                Files.deleteIfExists(body);
            } catch (IOException e) {
                LOG.debugf("cannot delete %s: %s", body, e.getMessage());
            }
        }
    }

    private void retrying(String key, Throwable t) {
        failedAttempts.incrementAndGet();
        String p = "uploads to s3://" + bucket + " failing since " + Instant.now() + " (" + describe(t) + "); retrying, nothing is lost";
        if (problem == null) {
            LOG.warnf("%s: s3://%s/%s not written: %s; retrying with backoff until it is", name, bucket, key, describe(t));
            problem = p;
        } else {
            LOG.debugf("%s: s3://%s/%s not written: %s", name, bucket, key, describe(t));
        }
    }

    /** A missing bucket or denied access: no retry can fix it. */
    static boolean fatal(Throwable t) {
        if (t instanceof S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return e.statusCode() == 403 || "NoSuchBucket".equals(code) || (e.statusCode() == 404 && code == null);
        }
        return false;
    }

    /** Why uploads are not going through right now (they are being retried), or null when they are. */
    public String problem() {
        return problem;
    }

    /** The error that stopped uploads for good, or null. */
    public SinkFatalException fatal() {
        return fatal;
    }

    /** Completes when every upload started so far has finished; fails with the fatal error if uploads stopped on one. */
    public Uni<Void> drain() {
        return Uni.createFrom().completionStage(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)))
                .onFailure().recoverWithNull().replaceWithVoid().invoke(() -> {
                    if (fatal != null) {
                        throw fatal;
                    }
                });
    }

    public int pending() {
        return inFlight.size();
    }

    public long uploaded() {
        return uploaded.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = c instanceof SdkException && c.getMessage() != null ? c.getMessage() : String.valueOf(c.getMessage());
        return c.getClass().getSimpleName() + ": " + m;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
