package io.changepipe.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead letters as JSON lines, one file per pipeline and sink: {@code <dir>/<pipeline>/<sink>.jsonl}, each line the
 * time, reason, position (the dedupe id), table, operation, key and row images, so a record can be inspected and
 * replayed. Counted per pipeline and sink.
 */
public final class FileDeadLetters implements DeadLetters {

    private static final JsonFactory JSON = new JsonFactory();

    private final Path dir;
    private final Clock clock;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public FileDeadLetters(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    @Override
    public synchronized void write(String pipeline, String sink, SinkRecord record, String reason) {
        try {
            Path f = dir.resolve(pipeline).resolve(sink + ".jsonl");
            Files.createDirectories(f.getParent());
            Files.writeString(f, line(record, reason) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            counts.computeIfAbsent(pipeline + "/" + sink, k -> new AtomicLong()).incrementAndGet();
        } catch (IOException e) {
            // losing a dead letter would be a silent drop: make the sink runner retry instead
            throw new UncheckedIOException("cannot write dead letter for " + pipeline + "/" + sink, e);
        }
    }

    /** How many records went to the dead-letter file of {@code pipeline}/{@code sink}. */
    public long count(String pipeline, String sink) {
        AtomicLong n = counts.get(pipeline + "/" + sink);
        return n == null ? 0 : n.get();
    }

    private String line(SinkRecord r, String reason) throws IOException {
        ChangeEvent e = r.event();
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", clock.instant().toString());
            g.writeStringField("reason", reason);
            g.writeStringField("position", e.position().text());
            g.writeStringField("schema", e.table().schema());
            g.writeStringField("table", e.table().table());
            g.writeStringField("operation", e.op().wireName());
            g.writeStringField("partitionKey", r.partitionKey());
            row(g, "after", e.after());
            row(g, "before", e.before());
            g.writeEndObject();
        }
        return out.toString();
    }

    private static void row(JsonGenerator g, String name, Row row) throws IOException {
        if (row == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        for (int i = 0; i < row.size(); i++) {
            Object v = row.value(i);
            String col = row.columns().name(i);
            if (v == null) {
                g.writeNullField(col);
            } else if (v instanceof byte[] b) {
                g.writeStringField(col, Base64.getEncoder().encodeToString(b));
            } else if (v instanceof Number || v instanceof Boolean) {
                g.writeFieldName(col);
                g.writeNumber(v.toString());
            } else {
                g.writeStringField(col, v.toString());
            }
        }
        g.writeEndObject();
    }
}
