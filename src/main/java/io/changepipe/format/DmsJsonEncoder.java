package io.changepipe.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Writes a change as the JSON record AWS DMS puts on Kinesis: {@code {"data": {..}, "<before-image>": {..},
 * "metadata": {..}}}, or {@code {"control": {..}, "metadata": {..}}} for DDL. Thread-safe; one per pipeline.
 *
 * <p><b>Layout.</b> {@code json} is indented by two spaces with {@code "name": value}, as in DMS's documented example,
 * and has no trailing newline; {@code json-unformatted} is one line ending in {@code \n}, so records Firehose
 * concatenates stay newline-delimited. Metadata keys, in DMS's order: timestamp (the clock, when the record is built),
 * record-type, operation, partition-key-type, partition-key-value (only with IncludePartitionValue and a type other than
 * schema-table), schema-name, table-name, then with IncludeTransactionDetails: transaction-id, transaction-record-id,
 * prev-transaction-id, prev-transaction-record-id (each pair only when the event has that id), commit-timestamp (when
 * known) and stream-position (always: it is the dedupe id). Timestamps are UTC ISO-8601 with six fraction digits
 * ({@code 2019-10-31T22:53:55.000000Z}); transaction ids are JSON numbers when they are plain decimal integers, strings
 * otherwise.
 *
 * <p><b>Values.</b> Long/Integer/BigInteger are exact JSON integers (unsigned BIGINT included); BigDecimal is an exact
 * number in plain notation; Double/Float are numbers, NaN and ±Infinity the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}; Boolean is true/false; byte[] is upper-case hex with {@code 0x} (none with NoHexPrefix) or
 * base64; LocalDate is {@code YYYY-MM-DD}; LocalTime {@code HH:MM:SS[.ffffff]}; LocalDateTime (DATETIME) and Instant
 * (TIMESTAMP, written in UTC) are {@code YYYY-MM-DD HH:MM:SS[.ffffff]}. A fraction appears only when non-zero and has
 * six digits (microseconds), plus the sub-microsecond digits without trailing zeros when there are any (SQL Server's
 * datetime2(7)).
 *
 * <p><b>Null and empty.</b> Without IncludeNullAndEmpty, columns whose value is null, the empty string or empty bytes
 * are left out of data and before-image, as DMS does; with it they are written ({@code null}, {@code ""}).
 *
 * <p><b>Before image.</b> With BeforeImageSettings enabled, updates and deletes that carry a before row get it under
 * the configured field name, between data and metadata: pk-only keeps the event's primary-key columns; all keeps every
 * column; non-lob drops LOB-like values, meaning any byte[] and strings over 64 KiB of UTF-8, but keeps primary-key
 * columns whatever their type.
 *
 * <p><b>Control records.</b> A DDL event becomes record-type control with the operation {@link ControlOperation} reads
 * from the statement and partition-key-type task-id; with IncludeControlDetails a {@code "control": {"table-def":
 * {"columns": {name: {"type": T}}, "primary-key": [..]}}} is written when the event carries the new shape as its after
 * row, T being the DMS type implied by the row's value (INT8, UINT8, NUMERIC, REAL8, WSTRING, BYTES, DATE, ...), or
 * left out when the value is null. A statement that is not a table change is an error: filter with
 * {@link ControlOperation#of} first.
 */
public final class DmsJsonEncoder {

    // a surrogate pair as one 4-byte UTF-8 character (emoji as themselves), not as two escaped halves
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final Separators SEPARATORS = Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(SEPARATORS)
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private static final SerializableString DATA = new SerializedString("data");
    private static final SerializableString CONTROL = new SerializedString("control");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializableString RECORD_TYPE = new SerializedString("record-type");
    private static final SerializableString OPERATION = new SerializedString("operation");
    private static final SerializableString KEY_TYPE = new SerializedString("partition-key-type");
    private static final SerializableString KEY_VALUE = new SerializedString("partition-key-value");
    private static final SerializableString SCHEMA = new SerializedString("schema-name");
    private static final SerializableString TABLE = new SerializedString("table-name");
    private static final SerializableString TX_ID = new SerializedString("transaction-id");
    private static final SerializableString TX_RECORD = new SerializedString("transaction-record-id");
    private static final SerializableString PREV_TX_ID = new SerializedString("prev-transaction-id");
    private static final SerializableString PREV_TX_RECORD = new SerializedString("prev-transaction-record-id");
    private static final SerializableString COMMIT = new SerializedString("commit-timestamp");
    private static final SerializableString POSITION = new SerializedString("stream-position");
    private static final SerializableString TABLE_DEF = new SerializedString("table-def");
    private static final SerializableString COLUMNS = new SerializedString("columns");
    private static final SerializableString PRIMARY_KEY = new SerializedString("primary-key");
    private static final SerializableString TYPE = new SerializedString("type");

    private final MessageDef message;
    private final Clock clock;
    private final DmsValues values;
    private final SerializableString beforeImageField;
    private final boolean pretty;

    /** Hex bytes with DMS's {@code 0x} prefix. */
    public DmsJsonEncoder(MessageDef message, Clock clock) {
        this(message, clock, BinaryEncoding.HEX, false);
    }

    public DmsJsonEncoder(MessageDef message, Clock clock, BinaryEncoding binary, boolean noHexPrefix) {
        this.message = Objects.requireNonNull(message, "message");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.values = new DmsValues(Objects.requireNonNull(binary, "binary"), noHexPrefix);
        this.beforeImageField = new SerializedString(message.beforeImage().fieldName());
        this.pretty = message.format() == MessageFormat.JSON;
    }

    /** The record for {@code e}, keyed {@code partitionKey} by a strategy named {@code partitionKeyType}. */
    public byte[] encode(ChangeEvent e, String partitionKey, String partitionKeyType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        encode(e, partitionKey, partitionKeyType, out);
        return out.toByteArray();
    }

    /**
     * Appends the record to {@code out}, e.g. a buffer reused across a batch. A value of a type rows do not hold throws
     * IllegalArgumentException after part of the record is written: such a buffer is no longer usable.
     */
    public void encode(ChangeEvent e, String partitionKey, String partitionKeyType, ByteArrayOutputStream out) {
        ControlOperation operation = e.op() != Op.DDL ? null : ControlOperation.of(Objects.requireNonNullElse(e.ddl(), ""))
                .orElseThrow(() -> new IllegalArgumentException("DDL event on " + e.table()
                        + " is not a table change DMS has a control record for: " + e.ddl()));
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            if (pretty) {
                g.setPrettyPrinter(PRETTY.createInstance());
            }
            g.writeStartObject();
            if (operation != null) {
                if (message.includeControlDetails() && e.after() != null) {
                    writeTableDef(g, e);
                }
                writeMetadata(g, e, "control", operation.wireName(), partitionKey, "task-id");
            } else {
                g.writeFieldName(DATA);
                writeRow(g, e.image(), null);
                if (message.beforeImage().enabled() && e.before() != null && (e.op() == Op.UPDATE || e.op() == Op.DELETE)) {
                    g.writeFieldName(beforeImageField);
                    writeRow(g, e.before(), e.primaryKey());
                }
                writeMetadata(g, e, "data", e.op().wireName(), partitionKey, partitionKeyType);
            }
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        if (!pretty) {
            out.write('\n');
        }
    }

    /** Writes {@code row}; with {@code primaryKey} non-null it is a before image and the column filter applies. */
    private void writeRow(JsonGenerator g, Row row, List<String> primaryKey) throws IOException {
        g.writeStartObject();
        if (row != null) {
            for (int i = 0; i < row.size(); i++) {
                Object v = row.value(i);
                String name = row.columns().name(i);
                if ((message.includeNullAndEmpty() || !DmsValues.isNullOrEmpty(v)) && (primaryKey == null || keep(name, v, primaryKey))) {
                    g.writeFieldName(name);
                    values.write(g, name, v);
                }
            }
        }
        g.writeEndObject();
    }

    private boolean keep(String column, Object v, List<String> primaryKey) {
        return switch (message.beforeImage().columnFilter()) {
            case ALL -> true;
            case PK_ONLY -> primaryKey.contains(column);
            case NON_LOB -> !DmsValues.isLob(v) || primaryKey.contains(column);
        };
    }

    private void writeMetadata(JsonGenerator g, ChangeEvent e, String recordType, String operation, String partitionKey,
            String partitionKeyType) throws IOException {
        g.writeFieldName(METADATA);
        g.writeStartObject();
        g.writeFieldName(TIMESTAMP);
        g.writeString(DmsValues.isoMicros(clock.instant()));
        g.writeFieldName(RECORD_TYPE);
        g.writeString(recordType);
        g.writeFieldName(OPERATION);
        g.writeString(operation);
        g.writeFieldName(KEY_TYPE);
        g.writeString(partitionKeyType);
        if (message.includePartitionValue() && !"schema-table".equals(partitionKeyType) && partitionKey != null) {
            g.writeFieldName(KEY_VALUE);
            g.writeString(partitionKey);
        }
        g.writeFieldName(SCHEMA);
        g.writeString(e.table().schema());
        g.writeFieldName(TABLE);
        g.writeString(e.table().table());
        if (message.includeTransactionDetails()) {
            writeTransaction(g, e);
        }
        g.writeEndObject();
    }

    private static void writeTransaction(JsonGenerator g, ChangeEvent e) throws IOException {
        if (e.transactionId() != null) {
            g.writeFieldName(TX_ID);
            DmsValues.writeId(g, e.transactionId());
            g.writeFieldName(TX_RECORD);
            g.writeNumber(e.recordInTransaction());
        }
        if (e.prevTransactionId() != null) {
            g.writeFieldName(PREV_TX_ID);
            DmsValues.writeId(g, e.prevTransactionId());
            g.writeFieldName(PREV_TX_RECORD);
            g.writeNumber(e.prevRecordInTransaction());
        }
        if (e.commitTimestamp() != null) {
            g.writeFieldName(COMMIT);
            g.writeString(DmsValues.isoMicros(e.commitTimestamp()));
        }
        g.writeFieldName(POSITION);
        g.writeString(e.position().text());
    }

    private static void writeTableDef(JsonGenerator g, ChangeEvent e) throws IOException {
        g.writeFieldName(CONTROL);
        g.writeStartObject();
        g.writeFieldName(TABLE_DEF);
        g.writeStartObject();
        g.writeFieldName(COLUMNS);
        g.writeStartObject();
        Row row = e.after();
        for (int i = 0; i < row.size(); i++) {
            g.writeFieldName(row.columns().name(i));
            g.writeStartObject();
            String type = DmsValues.dmsType(row.value(i));
            if (type != null) {
                g.writeFieldName(TYPE);
                g.writeString(type);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeFieldName(PRIMARY_KEY);
        g.writeStartArray();
        for (String column : e.primaryKey()) {
            g.writeString(column);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}
