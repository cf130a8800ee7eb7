package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small value rules both read paths share. */
class ValuesTest {

    @Test
    void timesWithinADayAreLocalTimesOthersKeepMySqlsText() {
        assertEquals(LocalTime.of(12, 30, 0, 500_000_000), TimeValues.of(TimeValues.parse("12:30:00.500"), 3));
        assertEquals("-12:30:00.500", TimeValues.of(TimeValues.parse("-12:30:00.500"), 3));
        assertEquals("838:59:59", TimeValues.of(TimeValues.parse("838:59:59"), 0));
        assertEquals("24:00:00.000001", TimeValues.of(TimeValues.parse("24:00:00.000001"), 6));
        assertEquals("-00:00:01.25", TimeValues.of(TimeValues.parse("-00:00:01.25"), 2));
        assertEquals(-1_250_000, TimeValues.parse("-00:00:01.25"));
    }

    @Test
    void enumAndSetLabelsComeFromTheColumnType() {
        assertEquals(List.of("a", "b'c", "d,e", ""), ColumnDef.labels("enum('a','b''c','d,e','')"));
        ColumnDef set = ColumnDef.of("s", "set", "set('x','y','z')", "utf8mb4", 0, 0, false);
        assertEquals("x,z", BinlogValues.convert(5L, set));
        ColumnDef e = ColumnDef.of("e", "enum", "enum('a','b')", "utf8mb4", 0, 0, false);
        assertEquals("b", BinlogValues.convert(2, e));
        assertEquals("", BinlogValues.convert(0, e), "the invalid-value index 0 is the empty string, as SELECT shows it");
    }

    @Test
    void unsignedIntegersFromTheBinlogsSignedCells() {
        assertEquals(255L, BinlogValues.convert(-1, ColumnDef.of("c", "tinyint", "tinyint(3) unsigned", null, 0, 0, false)));
        assertEquals(4294967295L, BinlogValues.convert(-1, ColumnDef.of("c", "int", "int(10) unsigned", null, 0, 0, false)));
        assertEquals(new BigInteger("18446744073709551615"), BinlogValues.convert(-1L, ColumnDef.of("c", "bigint", "bigint(20) unsigned", null, 0, 0, false)));
        assertEquals(-1L, BinlogValues.convert(-1, ColumnDef.of("c", "int", "int(11)", null, 0, 0, false)));
        assertEquals(new BigInteger("18446744073709551615"), BinlogCells.unsigned(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
        assertEquals(682L, BinlogCells.unsigned(new byte[] {2, -86}));
    }

    @Test
    void binaryColumnsArePaddedAsSelectPadsThem() {
        ColumnDef b = ColumnDef.of("b", "binary", "binary(4)", null, 4, 0, false);
        assertTrue(java.util.Arrays.equals(new byte[] {'a', 'b', 0, 0}, (byte[]) BinlogValues.convert(new byte[] {'a', 'b'}, b)));
    }

    @Test
    void aReplicaServerIdIsStablePerPipelineAndAConfiguredOneWins() {
        assertEquals(ServerIds.of(0, "invoices"), ServerIds.of(0, "invoices"));
        assertTrue(ServerIds.of(0, "invoices") != ServerIds.of(0, "payments"));
        assertTrue(ServerIds.of(0, "invoices") >= 1_000_000_000L && ServerIds.of(0, "invoices") < 2_000_000_000L);
        assertEquals(42, ServerIds.of(42, "invoices"));
    }

    @Test
    void mysqlJsonIsCompactedTheSameFromTextAndBinary() {
        assertEquals("{\"a\":[1,2.5,\"x\"],\"b\":null}", JsonText.canonical("{\"a\": [1, 2.5, \"x\"], \"b\": null}"));
    }
}
