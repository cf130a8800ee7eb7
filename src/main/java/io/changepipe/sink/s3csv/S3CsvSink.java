package io.changepipe.sink.s3csv;

import io.changepipe.definition.Compression;
import io.changepipe.definition.SinkDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.sink.Outcome;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkFatalException;
import io.changepipe.sink.SinkRecord;
import io.changepipe.sink.SinkThreads;
import io.changepipe.sink.spool.S3Uploads;
import io.changepipe.sink.spool.Spool;
import io.changepipe.sink.spool.SpoolFile;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DMS's S3 target: {@code folder/schema/table/LOAD00000001.csv} ... for full load (hex counter), timestamp-named files
 * ({@code yyyyMMdd-HHmmssSSS.csv}) for changes, optionally under date folders from the commit date. A full-load file is
 * written when it reaches maxFileSize, when the first change of its table arrives, after cdcMaxBatchInterval, or on
 * flush; a change file at cdcMinFileSize or cdcMaxBatchInterval. Files are filled in the sink's {@link Spool}: a record
 * is answered done once its row is forced to disk, and the file is uploaded from there (again after a crash). The LOAD
 * counter and the last change-file name of each folder are kept beside the spool, so a restart never reuses a name.
 */
public final class S3CsvSink implements Sink {

    private static final Logger LOG = Logger.getLogger(S3CsvSink.class);
    private static final DateTimeFormatter CDC_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final String NAMES = "names.properties";

    /** A file being filled: its spool file (header: L or C, then the folder), folder, kind and when it was opened. */
    private record Buffer(SpoolFile file, String id, String directory, boolean load, Instant opened) {
    }

    private final Clock clock;
    private final String pipeline;
    private final SinkDef.S3Csv def;
    private final CSVFormat format;
    private final Spool spool;
    private final S3Uploads uploads;
    private final Map<String, Buffer> open = new HashMap<>();
    private final Properties names = new Properties();
    private final ScheduledExecutorService ticker;

    /** {@code checkEvery} zero: the interval is checked only when {@link #tick()} is called (tests). */
    public S3CsvSink(S3Client s3, Clock clock, String pipeline, SinkDef.S3Csv def, Duration checkEvery, Spool spool, Duration retryBackoff) {
        this.clock = clock;
        this.pipeline = pipeline;
        this.def = def;
        this.spool = spool;
        this.format = CSVFormat.RFC4180.builder().setDelimiter(def.csvDelimiter()).setRecordSeparator(def.csvRowDelimiter())
                .setNullString(def.csvNullValue()).setQuoteMode(QuoteMode.MINIMAL).get();
        String name = "pipeline " + pipeline + " sink " + def.name();
        this.uploads = new S3Uploads(s3, def.bucket(), name, retryBackoff, Duration.ofSeconds(30));
        spool.readState(NAMES).ifPresent(text -> {
            try {
                names.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<SpoolFile> left = spool.recover();
        if (!left.isEmpty()) {
            LOG.infof("%s: uploading %d file(s) spooled before the last stop", name, left.size());
        }
        Instant now = clock.instant();
        synchronized (this) {
            // full-load files first, so a table's load precedes its changes in S3 as well
            left.stream().filter(f -> !f.sealed() && f.header().startsWith("L")).forEach(f -> cut(f, true, f.header().substring(1), now));
            left.stream().filter(f -> !f.sealed() && !f.header().startsWith("L")).forEach(f -> cut(f, false, f.header().substring(1), now));
        }
        left.forEach(this::upload);
        this.ticker = SinkThreads.ticker("changepipe-s3csv-" + pipeline + "-" + def.name(), checkEvery, this::tickQuietly);
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
        Arrays.fill(outcomes, Outcome.DONE);
        Instant now = clock.instant();
        synchronized (this) {
            Set<Buffer> touched = new LinkedHashSet<>();
            for (SinkRecord r : records) {
                ChangeEvent e = r.event();
                if (!written(e)) {
                    continue;
                }
                boolean load = e.op() == Op.LOAD;
                String tableDir = (def.folder().isEmpty() ? "" : def.folder() + "/") + e.table().schema() + "/" + e.table().table() + "/";
                if (!load) {
                    Buffer loading = open.get("L" + tableDir);
                    if (loading != null) {
                        deliver(loading, now);
                        touched.remove(loading);
                    }
                }
                String dir = load || !def.datePartitionEnabled() ? tableDir : tableDir + datePartition(e, now) + "/";
                String id = (load ? "L" : "C") + dir;
                Buffer b = open.computeIfAbsent(id, k -> new Buffer(spool.create(k), k, dir, load, now));
                boolean op = load ? def.includeOpForFullLoad() : !def.cdcInsertsOnly() || def.includeOpForFullLoad();
                if (def.addColumnName() && b.file().records() == 0) {
                    b.file().append(line(names(e.image(), op)));
                }
                b.file().append(line(values(e, op, now)));
                touched.add(b);
                if (b.file().size() >= (load ? def.maxFileSize() : def.cdcMinFileSize()).bytes()) {
                    deliver(b, now);
                    touched.remove(b);
                }
            }
            touched.forEach(b -> b.file().sync());
        }
        return Uni.createFrom().item(Arrays.asList(outcomes));
    }

    private final StringBuilder lineBuffer = new StringBuilder(256);

    /** One CSV record with its row delimiter; called under the sink's lock (the buffer is reused). */
    private byte[] line(List<String> values) {
        lineBuffer.setLength(0);
        try {
            format.printRecord(lineBuffer, values.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lineBuffer.toString().getBytes(StandardCharsets.UTF_8);
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

    /** Seals a file under its name: LOAD + 8 hex digits per folder, or the cut time, unique per folder; remembered on disk. */
    private void cut(SpoolFile file, boolean load, String directory, Instant now) {
        String name;
        if (load) {
            int n = Integer.parseInt(names.getProperty("load:" + directory, "0")) + 1;
            names.setProperty("load:" + directory, Integer.toString(n));
            name = "LOAD" + String.format("%08X", n);
        } else {
            String last = names.getProperty("cdc:" + directory);
            Instant t = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            if (last != null && !t.isAfter(Instant.ofEpochMilli(Long.parseLong(last)))) {
                t = Instant.ofEpochMilli(Long.parseLong(last) + 1);
            }
            names.setProperty("cdc:" + directory, Long.toString(t.toEpochMilli()));
            name = CDC_NAME.format(t);
        }
        StringWriter text = new StringWriter();
        try {
            names.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the name is on disk before any file carries it, so a crash can skip a number but never reuse one
        spool.writeState(NAMES, text.toString());
        file.seal(directory + name + ".csv" + (gzip() ? ".gz" : ""));
    }

    private void deliver(Buffer b, Instant now) {
        open.remove(b.id());
        cut(b.file(), b.load(), b.directory(), now);
        upload(b.file());
    }

    private void upload(SpoolFile f) {
        uploads.upload(f, gzip(), gzip() ? "application/gzip" : "text/csv");
    }

    /** Writes the files whose cdcMaxBatchInterval has passed; scheduled, or called by tests after moving the clock. */
    public synchronized void tick() {
        Instant now = clock.instant();
        new ArrayList<>(open.values()).stream().filter(b -> !now.isBefore(b.opened().plus(def.cdcMaxBatchInterval())))
                .sorted((a, b) -> Boolean.compare(b.load(), a.load())).forEach(b -> deliver(b, now));
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
        Instant now = clock.instant();
        synchronized (this) {
            // full-load files first, so a table's load precedes its changes in S3 as well
            new ArrayList<>(open.values()).stream().sorted((a, b) -> Boolean.compare(b.load(), a.load())).forEach(b -> deliver(b, now));
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

    /** Files being filled (tests). */
    public synchronized int openFiles() {
        return open.size();
    }

    /** Waits for the uploads started so far, without delivering open files (tests). */
    public void awaitUploads(Duration atMost) {
        uploads.drain().await().atMost(atMost);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        uploads.close();
    }
}
