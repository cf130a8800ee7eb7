package io.changepipe.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.SourcePosition.BinlogPosition;
import io.changepipe.event.TableId;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case is compared byte for byte with {@code format/<name>.json} (json) and {@code format/<name>.unformatted.json}
 * (json-unformatted). Run with {@code -Dgolden.update=true} to rewrite the files, then review the diff.
 */
class DmsJsonEncoderGoldenTest {

    static final Path DIR = Path.of("src/test/resources/format");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2019-10-31T22:53:59.721201Z"), ZoneOffset.UTC);
    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final List<String> PK = List.of("id");
    static final MessageDef.BeforeImage NO_BI = new MessageDef.BeforeImage(false, "before-image", BeforeImageColumns.PK_ONLY);

    record Case(String name, MessageDef message, BinaryEncoding binary, boolean noHexPrefix, ChangeEvent event,
            String key, String keyType) {
        Case(String name, MessageDef message, ChangeEvent event, String key, String keyType) {
            this(name, message, BinaryEncoding.HEX, false, event, key, keyType);
        }
    }

    static MessageDef message(boolean txDetails, boolean partitionValue, boolean nullAndEmpty, MessageDef.BeforeImage bi) {
        return new MessageDef(MessageFormat.JSON, txDetails, partitionValue, false, false, nullAndEmpty, bi);
    }

    static MessageDef plain() {
        return message(false, false, false, NO_BI);
    }

    static MessageDef beforeImage(BeforeImageColumns filter) {
        return message(false, true, false, new MessageDef.BeforeImage(true, "before-image", filter));
    }

    static BinlogPosition pos(long offset, int row) {
        return new BinlogPosition("mariadb-bin.000003", offset, row, "");
    }

    static ChangeEvent tx(Op op, Row after, Row before, String txId, long record, String prevTx, long prevRecord,
            String commit, SourcePosition position) {
        return new ChangeEvent(op, INVOICES, after, before, PK, Instant.parse(commit), txId, record, prevTx, prevRecord,
                position, null);
    }

    static Row invoice(long id, String status, String total) {
        return Row.of("id", id, "customer", "Acme GmbH", "status", status, "total", new BigDecimal(total), "note", null,
                "pdf", new byte[] {0x25, 0x50, 0x44, 0x46});
    }

    static List<Case> cases() {
        // AWS DMS's documented example record (CHAP_Target.Kafka), same data and metadata values.
        ChangeEvent sbtest = new ChangeEvent(Op.INSERT, new TableId("sbtest", "sbtest_x"),
                Row.of("id", 100000161L, "fname", "val61s"), null, List.of("id"),
                Instant.parse("2019-10-31T22:53:55Z"), "9324410911751", 1, "9324410910341", 10,
                new BinlogPosition("mysql-bin-changelog.002171", 36912271, 0, "36912333:9324410911751:mysql-bin-changelog.002171:36912209"),
                null);

        Row everyType = Row.of(
                "id", 7L,
                "small", 42,
                "unsigned_big", new BigInteger("18446744073709551615"),
                "amount", new BigDecimal("12345678901234567890.123456789"),
                "ratio", 0.1d,
                "huge_double", 1.0e300d,
                "nan", Double.NaN,
                "temperature", -273.15f,
                "active", true,
                "emoji", "naïve 😀 café",
                "quote", "say \"hi\"\n\ttab\\",
                "empty", "",
                "bytes", new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0x00},
                "born", LocalDate.of(2024, 2, 29),
                "created", LocalDateTime.of(2024, 3, 1, 9, 5, 7, 123_456_000),
                "created_whole", LocalDateTime.of(2024, 3, 1, 9, 5, 7),
                "created_dt2", LocalDateTime.of(2024, 3, 1, 9, 5, 7, 123_456_700),
                "opens", LocalTime.of(8, 30, 0, 500_000_000),
                "seen", Instant.parse("2024-03-01T08:05:07.000001Z"),
                "missing", null);

        ChangeEvent insert = tx(Op.INSERT, invoice(1, "open", "19.99"), null, "4711", 1, "4710", 3,
                "2024-03-01T09:00:00.250Z", pos(1234, 0));
        ChangeEvent update = tx(Op.UPDATE, invoice(1, "paid", "19.99"), invoice(1, "open", "19.99"), "4712", 2, "4712", 1,
                "2024-03-01T10:00:00Z", pos(2345, 0));
        ChangeEvent delete = tx(Op.DELETE, null, invoice(1, "paid", "19.99"), "4713", 1, "4712", 2,
                "2024-03-01T11:00:00Z", pos(3456, 0));
        ChangeEvent load = ChangeEvent.of(Op.LOAD, INVOICES, invoice(2, "open", "5.00"), null, PK, new SourcePosition.Sequence(17));
        ChangeEvent sqlServer = new ChangeEvent(Op.INSERT, new TableId("dbo", "Orders"), Row.of("OrderID", 10248L, "Freight", new BigDecimal("32.3800")),
                null, List.of("OrderID"), Instant.parse("2024-03-01T12:00:00.1234567Z"), "0000:0000042a", 1, null, 0,
                new SourcePosition.Lsn("0000002A000001000003", "0000002A000001000002", 2), null);

        ChangeEvent addColumn = new ChangeEvent(Op.DDL, INVOICES,
                Row.of("id", 0L, "customer", "", "status", "", "total", BigDecimal.ZERO, "note", null, "due", LocalDate.of(1970, 1, 1)),
                null, PK, Instant.parse("2024-03-01T13:00:00Z"), "4800", 1, "4799", 4, pos(9000, 0),
                "ALTER TABLE `democustomer`.`invoices` ADD COLUMN `due` DATE NULL AFTER `note`");
        ChangeEvent dropTable = new ChangeEvent(Op.DDL, INVOICES, null, null, PK, Instant.parse("2024-03-01T14:00:00Z"), "4900", 1,
                null, 0, pos(9100, 0), "DROP TABLE IF EXISTS `invoices` /* generated by server */");

        // an object-mapping rule's output: map-record-to-document's _doc and a document attribute are nested objects
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("city", "Köln");
        address.put("zip", "50667");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", 1L);
        doc.put("total", new BigDecimal("19.99"));
        doc.put("due", LocalDateTime.of(2024, 3, 1, 9, 0));
        doc.put("pdf", new byte[] {0x25, 0x50});
        doc.put("note", null);
        doc.put("address", address);
        ChangeEvent document = ChangeEvent.of(Op.INSERT, INVOICES, Row.of("id", 1L, "_doc", doc, "empty", Map.of()), null, PK,
                pos(6000, 0));

        MessageDef control = new MessageDef(MessageFormat.JSON, true, true, true, true, false, NO_BI);
        MessageDef controlNoDetails = new MessageDef(MessageFormat.JSON, false, false, true, false, false, NO_BI);
        String key = "democustomer.invoices.1";
        return List.of(
                new Case("dms-docs-example", message(true, true, false, NO_BI), sbtest, "sbtest.sbtest_x.100000161", "primary-key"),
                new Case("load", plain(), load, "democustomer.invoices.2", "primary-key"),
                new Case("load-transaction-details", message(true, true, false, NO_BI), load, "democustomer.invoices.2", "primary-key"),
                new Case("insert", plain(), insert, key, "primary-key"),
                new Case("insert-transaction-details", message(true, false, false, NO_BI), insert, key, "primary-key"),
                new Case("insert-partition-value", message(false, true, false, NO_BI), insert, key, "primary-key"),
                new Case("insert-partition-value-schema-table", message(false, true, false, NO_BI), insert, "democustomer.invoices", "schema-table"),
                new Case("insert-include-null-and-empty", message(false, false, true, NO_BI), insert, key, "primary-key"),
                new Case("update-without-before-image", plain(), update, key, "primary-key"),
                new Case("update-before-image-pk-only", beforeImage(BeforeImageColumns.PK_ONLY), update, key, "primary-key"),
                new Case("update-before-image-all", beforeImage(BeforeImageColumns.ALL), update, key, "primary-key"),
                new Case("update-before-image-non-lob", beforeImage(BeforeImageColumns.NON_LOB), update, key, "primary-key"),
                new Case("delete", message(true, false, false, NO_BI), delete, key, "primary-key"),
                new Case("delete-before-image-all", beforeImage(BeforeImageColumns.ALL), delete, key, "primary-key"),
                new Case("every-value-type", message(false, false, true, NO_BI), ChangeEvent.of(Op.INSERT, INVOICES, everyType, null, PK,
                        pos(5000, 0)), "democustomer.invoices.7", "primary-key"),
                new Case("every-value-type-base64-no-nulls", message(false, false, false, NO_BI), BinaryEncoding.BASE64, false,
                        ChangeEvent.of(Op.INSERT, INVOICES, everyType, null, PK, pos(5000, 0)), "democustomer.invoices.7", "primary-key"),
                new Case("bytes-no-hex-prefix", plain(), BinaryEncoding.HEX, true, insert, key, "primary-key"),
                new Case("object-mapping-document", plain(), document, key, "primary-key"),
                new Case("sqlserver-string-transaction-id", message(true, true, false, NO_BI), sqlServer, "dbo.Orders.10248", "primary-key"),
                new Case("control-add-column", control, addColumn, "changepipe-invoices.democustomer.invoices", "ignored"),
                new Case("control-drop-table", controlNoDetails, dropTable, "changepipe-invoices.democustomer.invoices", "ignored"));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesItsGoldenFiles() {
        boolean update = Boolean.getBoolean("golden.update");
        return cases().stream().flatMap(c -> Stream.of(MessageFormat.JSON, MessageFormat.JSON_UNFORMATTED).map(format -> {
            String file = c.name() + (format == MessageFormat.JSON ? ".json" : ".unformatted.json");
            return DynamicTest.dynamicTest(file, () -> {
                MessageDef m = c.message();
                MessageDef def = new MessageDef(format, m.includeTransactionDetails(), m.includePartitionValue(),
                        m.includeTableAlterOperations(), m.includeControlDetails(), m.includeNullAndEmpty(), m.beforeImage());
                byte[] actual = new DmsJsonEncoder(def, CLOCK, c.binary(), c.noHexPrefix()).encode(c.event(), c.key(), c.keyType());
                Path path = DIR.resolve(file);
                if (update) {
                    Files.write(path, actual);
                }
                assertEquals(read(path), new String(actual, StandardCharsets.UTF_8), file);
                assertArrayEquals(Files.readAllBytes(path), actual, file + " byte for byte");
            });
        }));
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "<missing " + p + ">";
    }
}
