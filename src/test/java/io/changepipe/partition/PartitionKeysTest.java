package io.changepipe.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PartitionKeysTest {

    static final TableId INVOICES = new TableId("democustomer", "invoices");
    static final SourcePosition POS = new SourcePosition.Sequence(1);

    static ChangeEvent insert(Row row, List<String> pk) {
        return ChangeEvent.of(Op.INSERT, INVOICES, row, null, pk, POS);
    }

    static ChangeEvent inTransaction(String txId) {
        return new ChangeEvent(Op.INSERT, INVOICES, Row.of("id", 1L), null, List.of("id"), null, txId, 1, null, 0, POS, null);
    }

    record Case(String name, PartitionKeyDef def, ChangeEvent event, String key, String type) {
    }

    static final Row ROW = Row.of("id", 42L, "region", "eu", "customer_id", 7L, "note", null);

    static List<Case> cases() {
        List<String> pk = List.of("id");
        return List.of(
                new Case("primary key", new PartitionKeyDef.PrimaryKey(false), insert(ROW, pk), "42", "primary-key"),
                new Case("primary key with schema.table", new PartitionKeyDef.PrimaryKey(true), insert(ROW, pk),
                        "democustomer.invoices.42", "primary-key"),
                new Case("composite primary key, in key order", new PartitionKeyDef.PrimaryKey(true),
                        insert(ROW, List.of("region", "id")), "democustomer.invoices.eu.42", "primary-key"),
                new Case("null key part is empty", new PartitionKeyDef.PrimaryKey(false), insert(ROW, List.of("note", "id")),
                        ".42", "primary-key"),
                new Case("table without primary key falls back to schema.table", new PartitionKeyDef.PrimaryKey(false),
                        insert(ROW, List.of()), "democustomer.invoices", "primary-key"),
                new Case("schema-table", new PartitionKeyDef.SchemaTable(), insert(ROW, pk), "democustomer.invoices", "schema-table"),
                new Case("attribute", new PartitionKeyDef.Attribute(List.of("customer_id"), false), insert(ROW, pk), "7", "attribute-name"),
                new Case("attributes with schema.table", new PartitionKeyDef.Attribute(List.of("region", "customer_id"), true),
                        insert(ROW, pk), "democustomer.invoices.eu.7", "attribute-name"),
                new Case("constant", new PartitionKeyDef.Constant("everything"), insert(ROW, pk), "everything", "constant"),
                new Case("transaction id", new PartitionKeyDef.TransactionId(), inTransaction("9324410911751"), "9324410911751",
                        "transaction-id"),
                new Case("no transaction id (full load) falls back to schema.table", new PartitionKeyDef.TransactionId(),
                        insert(ROW, pk), "democustomer.invoices", "transaction-id"),
                new Case("unicode kept as is", new PartitionKeyDef.PrimaryKey(false),
                        insert(Row.of("city", "Zürich 東京 😀"), List.of("city")), "Zürich 東京 😀", "primary-key"));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsKeyAndType() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            PartitionKeyStrategy s = PartitionKeys.of(c.def());
            assertEquals(c.key(), s.key(c.event()));
            assertEquals(c.type(), s.typeName());
        }));
    }

    @Test
    void valuesBecomePlainText() {
        Row row = Row.of("big", new BigInteger("18446744073709551615"), "dec", new BigDecimal("1E+3"),
                "frac", new BigDecimal("12345678901234567890.123456789"), "bytes", new byte[] {(byte) 0xCA, (byte) 0xFE},
                "day", LocalDate.of(2024, 2, 29), "at", LocalDateTime.of(2024, 3, 1, 9, 5), "time", LocalTime.of(9, 5, 7, 500_000_000),
                "instant", Instant.parse("2024-03-01T08:05:07Z"), "flag", true, "ratio", 0.5d);
        PartitionKeyStrategy s = PartitionKeys.of(new PartitionKeyDef.PrimaryKey(false));
        assertEquals("18446744073709551615.1000.12345678901234567890.123456789.cafe.2024-02-29.2024-03-01T09:05:00"
                + ".09:05:07.5.2024-03-01T08:05:07Z.true.0.5", s.key(insert(row, row.columns().names())));
    }

    @Test
    void aRowsInsertUpdatesAndDeleteShareOneKey() {
        PartitionKeyStrategy s = PartitionKeys.of(new PartitionKeyDef.PrimaryKey(true));
        Row v1 = Row.of("id", 5L, "status", "open");
        Row v2 = Row.of("id", 5L, "status", "paid");
        List<String> keys = Stream.of(
                ChangeEvent.of(Op.LOAD, INVOICES, v1, null, List.of("id"), POS),
                ChangeEvent.of(Op.INSERT, INVOICES, v1, null, List.of("id"), POS),
                ChangeEvent.of(Op.UPDATE, INVOICES, v2, v1, List.of("id"), POS),
                ChangeEvent.of(Op.UPDATE, INVOICES, v2, null, List.of("id"), POS),
                ChangeEvent.of(Op.DELETE, INVOICES, null, v2, List.of("id"), POS)).map(s::key).distinct().toList();
        assertEquals(List.of("democustomer.invoices.5"), keys);
    }

    @Test
    void aMissingAttributeColumnIsAnErrorNamingIt() {
        PartitionKeyStrategy s = PartitionKeys.of(new PartitionKeyDef.Attribute(List.of("tenant"), false));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> s.key(insert(ROW, List.of("id"))));
        assertEquals("partition key column tenant is not in the insert row of democustomer.invoices "
                + "(columns: [id, region, customer_id, note])", x.getMessage());
    }

    @Test
    void keysOver256UnitsBecomeAStableHash() throws Exception {
        PartitionKeyStrategy s = PartitionKeys.of(new PartitionKeyDef.PrimaryKey(true));
        String exact = "x".repeat(256 - "democustomer.invoices.".length());
        assertEquals("democustomer.invoices." + exact, s.key(insert(Row.of("id", exact), List.of("id"))));

        String tooLong = exact + "y";
        String full = "democustomer.invoices." + tooLong;
        String hashed = s.key(insert(Row.of("id", tooLong), List.of("id")));
        assertEquals("h:" + sha256(full), hashed);
        assertEquals(66, hashed.length());
        assertEquals(hashed, s.key(ChangeEvent.of(Op.DELETE, INVOICES, null, Row.of("id", tooLong), List.of("id"), POS)),
                "the same long key always gives the same hash");
        assertTrue(!hashed.equals(s.key(insert(Row.of("id", exact + "z"), List.of("id")))));
    }

    @Test
    void lengthCountsUtf16UnitsSoEmojiCountTwice() throws Exception {
        String fits = "😀".repeat(128);
        String over = "😀".repeat(129);
        assertEquals(fits, PartitionKeys.fit(fits));
        assertEquals("h:" + sha256(over), PartitionKeys.fit(over));
    }

    @Test
    void anEmptyKeyBecomesTheHashOfNothing() throws Exception {
        PartitionKeyStrategy s = PartitionKeys.of(new PartitionKeyDef.PrimaryKey(false));
        assertEquals("h:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                s.key(insert(Row.of("id", null), List.of("id"))));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
