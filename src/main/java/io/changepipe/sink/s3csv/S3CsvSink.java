package io.changepipe.sink.s3csv;

import io.changepipe.sink.PendingWrite;
import io.changepipe.sink.SinkThreads;
import io.changepipe.definition.Compression;
import io.changepipe.definition.SinkDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * DMS's S3 target: {@code folder/schema/table/LOAD00000001.csv} ... for full load (hex counter), timestamp-named files
 * ({@code yyyyMMdd-HHmmssSSS.csv}) for changes, optionally under date folders from the commit date. A full-load file is
 * written when it reaches maxFileSize, when the first change of its table arrives, after cdcMaxBatchInterval, or on
 * flush; a change file at cdcMinFileSize or cdcMaxBatchInterval. Records are acknowledged when their file is in S3.
 */
public final class S3CsvSink implements Sink {

    private static final Logger LOG = Logger.getLogger(S3CsvSink.class);
    private static final DateTimeFormatter CDC_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final Clock clock;
    private final String pipeline;
    private final SinkDef.S3Csv def;
    private final CSVFormat format;
    private final Duration retryBackoff;
    private final int attempts;
    private final Map<String, CsvFile> open = new HashMap<>();
    private final Map<String, Integer> loadCounters = new HashMap<>();
    private final Map<String, Instant> lastCdcName = new HashMap<>();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService uploads;
    private final ScheduledExecutorService ticker;

    /** {@code checkEvery} zero: the interval is checked only when {@link #tick()} is called (tests). */
    public S3CsvSink(S3Client s3, Clock clock, String pipeline, SinkDef.S3Csv def, Duration checkEvery, int attempts, Duration retryBackoff) {
        this.s3 = s3;
        this.clock = clock;
        this.pipeline = pipeline;
        this.def = def;
        this.attempts = attempts;
        this.retryBackoff = retryBackoff;
        this.format = CSVFormat.RFC4180.builder().setDelimiter(def.csvDelimiter()).setRecordSeparator(def.csvRowDelimiter())
                .setNullString(def.csvNullValue()).setQuoteMode(QuoteMode.MINIMAL).get();
        String name = "changepipe-s3csv-" + pipeline + "-" + def.name();
        this.uploads = SinkThreads.uploads(name, 2);
        this.ticker = SinkThreads.ticker(name, checkEvery, this::tickQuietly);
    }

    @Override
    public int maxPendingWrites() {
        return 10_000;
    }

    @Override
    public Uni<List<Outcome>> write(List<SinkRecord> records) {
        PendingWrite write = new PendingWrite(records.size());
        Map<CsvFile, String> due = new HashMap<>();
        Instant now = clock.instant();
        synchronized (this) {
            for (int i = 0; i < records.size(); i++) {
                ChangeEvent e = records.get(i).event();
                CsvFile.Slot slot = new CsvFile.Slot(write, i);
                if (!written(e)) {
                    write.settle(i, Outcome.DONE);
                    continue;
                }
                boolean load = e.op() == Op.LOAD;
                String tableDir = (def.folder().isEmpty() ? "" : def.folder() + "/") + e.table().schema() + "/" + e.table().table() + "/";
                if (!load) {
                    CsvFile loading = open.remove("L" + tableDir);
                    if (loading != null) {
                        due.put(loading, cut(loading, now));
                    }
                }
                String dir = load || !def.datePartitionEnabled() ? tableDir : tableDir + datePartition(e, now) + "/";
                String id = (load ? "L" : "C") + dir;
                CsvFile file = open.computeIfAbsent(id, k -> new CsvFile(dir, load, now, format, gzip()));
                boolean op = load ? def.includeOpForFullLoad() : !def.cdcInsertsOnly() || def.includeOpForFullLoad();
                file.add(def.addColumnName() ? names(e.image(), op) : null, values(e, op, now), slot);
                if (file.size() >= (load ? def.maxFileSize() : def.cdcMinFileSize()).bytes()) {
                    open.remove(id);
                    due.put(file, cut(file, now));
                }
            }
        }
        due.forEach(this::deliver);
        return Uni.createFrom().completionStage(write.result);
    }

    /** Whether DMS writes this change: DDL never; deletes not with cdcInsertsAndUpdates; only inserts with cdcInsertsOnly. */
    private boolean written(ChangeEvent e) {
        return switch (e.op()) {
            case DDL -> false;
            case LOAD -> true;
            case INSERT -> true;
            case UPDATE -> !def.cdcInsertsOnly();
            case DELETE -> !def.cdcInsertsOnly() && !def.cdcInsertsAndUpdates();
        };
    }

    private List<String> names(Row row, boolean op) {
        List<String> n = new ArrayList<>();
        if (op) {
            n.add("Op");
        }
        def.timestampColumnName().ifPresent(n::add);
        n.addAll(row.columns().names());
        return n;
    }

    private List<String> values(ChangeEvent e, boolean op, Instant now) {
        Row row = e.image();
        List<String> v = new ArrayList<>(row.size() + 2);
        if (op) {
            v.add(e.op().letter());
        }
        if (def.timestampColumnName().isPresent()) {
            Instant t = e.op() == Op.LOAD || e.commitTimestamp() == null ? now : e.commitTimestamp();
            v.add(CsvValues.MICROS.format(t));
        }
        for (int i = 0; i < row.size(); i++) {
            v.add(CsvValues.text(row.value(i)));
        }
        return v;
    }

    private String datePartition(ChangeEvent e, Instant now) {
        Instant t = e.commitTimestamp() == null ? now : e.commitTimestamp();
        String d = switch (def.datePartitionDelimiter()) {
            case SLASH -> "/";
            case DASH -> "-";
            case UNDERSCORE -> "_";
            case NONE -> "";
        };
        String pattern = switch (def.datePartitionSequence()) {
            case YYYYMMDD -> "yyyy'd'MM'd'dd";
            case YYYYMMDDHH -> "yyyy'd'MM'd'dd'd'HH";
            case YYYYMM -> "yyyy'd'MM";
            case MMYYYYDD -> "MM'd'yyyy'd'dd";
            case DDMMYYYY -> "dd'd'MM'd'yyyy";
        };
        String text = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t);
        return text.replace("d", d);
    }

    private boolean gzip() {
        return def.compression() == Compression.GZIP;
    }

    /** The key of a file taken out of {@code open}: LOAD + 8 hex digits per table, or the cut time, unique per folder. */
    private String cut(CsvFile file, Instant now) {
        String name;
        if (file.load) {
            int n = loadCounters.merge(file.directory, 1, Integer::sum);
            name = "LOAD" + String.format("%08X", n);
        } else {
            Instant last = lastCdcName.get(file.directory);
            Instant t = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            if (last != null && !t.isAfter(last)) {
                t = last.plusMillis(1);
            }
            lastCdcName.put(file.directory, t);
            name = CDC_NAME.format(t);
        }
        return file.directory + name + ".csv" + (gzip() ? ".gz" : "");
    }

    /** Writes the files whose cdcMaxBatchInterval has passed; scheduled, or called by tests after moving the clock. */
    public void tick() {
        Map<CsvFile, String> due = new HashMap<>();
        Instant now = clock.instant();
        synchronized (this) {
            open.values().removeIf(f -> {
                if (!now.isBefore(f.opened.plus(def.cdcMaxBatchInterval()))) {
                    due.put(f, cut(f, now));
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
            LOG.errorf(e, "pipeline %s sink %s: interval check failed", pipeline, def.name());
        }
    }

    @Override
    public Uni<Void> flush() {
        Map<CsvFile, String> due = new java.util.LinkedHashMap<>();
        Instant now = clock.instant();
        synchronized (this) {
            // full-load files first, so a table's load precedes its changes in S3 as well
            open.values().stream().filter(f -> f.load).forEach(f -> due.put(f, cut(f, now)));
            open.values().stream().filter(f -> !f.load).forEach(f -> due.put(f, cut(f, now)));
            open.clear();
        }
        due.forEach(this::deliver);
        return Uni.createFrom().completionStage(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void deliver(CsvFile file, String key) {
        byte[] body = file.finish();
        PutObjectRequest request = PutObjectRequest.builder().bucket(def.bucket()).key(key)
                .contentType(gzip() ? "application/gzip" : "text/csv").build();
        Uni<Boolean> put = Uni.createFrom().item(() -> {
            s3.putObject(request, RequestBody.fromBytes(body));
            return Boolean.TRUE;
        }).runSubscriptionOn(uploads);
        if (attempts > 1) {
            put = put.onFailure(S3CsvSink::transientError).retry().withBackOff(retryBackoff, Duration.ofSeconds(30)).atMost(attempts - 1L);
        }
        CompletableFuture<Void> done = put.subscribeAsCompletionStage().<Void>handle((x, failure) -> {
            Throwable error = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (error == null) {
                file.slots().forEach(s -> s.write().settle(s.index(), Outcome.DONE));
            } else if (error instanceof S3Exception refused && (refused.statusCode() == 403 || refused.statusCode() == 404)) {
                SinkFatalException fatal = new SinkFatalException("s3://" + def.bucket() + "/" + key + ": " + error.getMessage()
                        + "; create the bucket or grant s3:PutObject to changepipe", error);
                file.slots().forEach(s -> s.write().fail(fatal));
            } else {
                String reason = "s3://" + def.bucket() + "/" + key + " not written: " + error;
                LOG.warnf("pipeline %s sink %s: %s", pipeline, def.name(), reason);
                file.slots().forEach(s -> s.write().settle(s.index(), Outcome.failed(reason)));
            }
            return null;
        });
        inFlight.add(done);
        done.whenComplete((x, e) -> inFlight.remove(done));
    }

    static boolean transientError(Throwable t) {
        if (t instanceof S3Exception e) {
            return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
        }
        return t instanceof SdkClientException;
    }

    /** Files being filled (tests). */
    public synchronized int openFiles() {
        return open.size();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        uploads.shutdown();
    }
}
