package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.changepipe.event.TableId;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A TABLE_MAP's optional metadata against cached shapes: what differs, what it cannot tell. */
class BinlogColumnsTest {

    static final Map<Integer, String> COLLATIONS = Map.of(8, "latin1", 45, "utf8mb4", 63, "binary");

    /** (id INT, status ENUM('new','paid'), name VARCHAR(10), body BLOB) as the binlog maps it; metadata FULL or none. */
    static TableMapEventData map(boolean full, String... labels) {
        TableMapEventData m = new TableMapEventData();
        m.setDatabase("shop");
        m.setTable("orders");
        m.setColumnTypes(new byte[] {3, (byte) 254, 15, (byte) 252});
        m.setColumnMetadata(new int[] {0, 0xF701, 40, 2});
        if (full) {
            TableMapEventMetadata meta = new TableMapEventMetadata();
            meta.setColumnNames(List.of("id", "status", "name", "body"));
            BitSet unsigned = new BitSet();
            meta.setSignedness(unsigned);
            TableMapEventMetadata.DefaultCharset charsets = new TableMapEventMetadata.DefaultCharset();
            charsets.setDefaultCharsetCollation(8);
            charsets.setCharsetCollations(Map.of(1, 63)); // the second character column (body) is binary
            meta.setDefaultCharset(charsets);
            meta.setEnumStrValues(List.<String[]>of(labels));
            m.setEventMetadata(meta);
        }
        return m;
    }

    static TableSchema shape(String status, String nameCharset, String idType) {
        return TableSchema.of(new TableId("shop", "orders"), List.of(
                ColumnDef.of("id", "int", idType, null, 0, 0, false),
                ColumnDef.of("status", "enum", status, "utf8mb4", 16, 0, false),
                ColumnDef.of("name", "varchar", "varchar(10)", nameCharset, 40, 0, false),
                ColumnDef.of("body", "blob", "blob", null, 65535, 0, false)), List.of("id"));
    }

    static BinlogColumns.Fit fit(TableMapEventData map, TableSchema s) {
        return BinlogColumns.of(map, COLLATIONS::get).fit(s);
    }

    @Test
    void fullMetadataTellsEveryAttribute() {
        TableMapEventData full = map(true, "new", "paid");
        assertEquals(new BinlogColumns.Fit(false, Set.of()), fit(full, shape("enum('new','paid')", "latin1", "int(11)")));
        assertTrue(fit(full, shape("enum('draft','new','paid')", "latin1", "int(11)")).differs(), "other labels");
        assertTrue(fit(full, shape("enum('new','paid')", "utf8mb4", "int(11)")).differs(), "another charset");
        assertTrue(fit(full, shape("enum('new','paid')", "latin1", "int(11) unsigned")).differs(), "unsigned now");
    }

    @Test
    void withoutMetadataWhatDecodingNeedsIsUnknown() {
        BinlogColumns.Fit f = fit(map(false), shape("enum('draft','new','paid')", "utf8mb4", "int(11) unsigned"));
        assertFalse(f.differs());
        assertEquals(List.of(BinlogColumns.NAMES, BinlogColumns.SIGNEDNESS, BinlogColumns.LABELS, BinlogColumns.CHARSETS),
                List.copyOf(f.unknown()));
    }

    @Test
    void aColumnFromTheEventAloneHasItsLabelsCharsetAndSignedness() {
        BinlogColumns b = BinlogColumns.of(map(true, "new", "paid"), COLLATIONS::get);
        assertEquals(new ColumnDef("status", ColumnDef.Kind.ENUM, false, null, 0, 0, List.of("new", "paid")), BinlogTypes.generic(b.column(1)));
        assertEquals(java.nio.charset.Charset.forName("windows-1252"), BinlogTypes.generic(b.column(2)).charset());
        assertEquals(ColumnDef.Kind.BYTES, BinlogTypes.generic(b.column(3)).kind());
        assertEquals(Set.of(), BinlogColumns.missing(b.column(0)));
    }
}
