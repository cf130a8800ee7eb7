package io.changepipe.sink.s3batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.changepipe.sink.SinkRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The error-output line of one record, shaped like Firehose's error documents: attemptsMade, arrivalTimestamp,
 * errorCode, errorMessage, attemptEndingTimestamp, rawData (base64 of the record line, when it could be encoded), plus
 * what identifies the change (stream-position, schema, table, operation, partition key) and, when it could not be
 * encoded, its row image as text.
 */
final class ErrorLines {

    private static final JsonFactory JSON = new JsonFactory();

    private ErrorLines() {
    }

    static byte[] line(SinkRecord r, byte[] raw, String code, String message, int attempts, Instant arrival, Instant end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("attemptsMade", attempts);
            g.writeNumberField("arrivalTimestamp", arrival.toEpochMilli());
            g.writeStringField("errorCode", code);
            g.writeStringField("errorMessage", message);
            g.writeNumberField("attemptEndingTimestamp", end.toEpochMilli());
            if (raw != null) {
                g.writeStringField("rawData", Base64.getEncoder().encodeToString(raw));
            }
            g.writeStringField("stream-position", r.event().position().text());
            g.writeStringField("schema-name", r.event().table().schema());
            g.writeStringField("table-name", r.event().table().table());
            g.writeStringField("operation", r.event().op().wireName());
            g.writeStringField("partition-key", r.partitionKey());
            if (raw == null && r.event().image() != null) {
                g.writeObjectFieldStart("row");
                for (Map.Entry<String, Object> c : r.event().image().asMap().entrySet()) {
                    Object v = c.getValue();
                    g.writeStringField(c.getKey(), v == null ? null : v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : v.toString());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
