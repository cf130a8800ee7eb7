package io.changepipe.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Positions survive the position store's kind + text round trip and order in source order. */
class SourcePositionTest {

    @Test
    void everyKindReadsBackFromItsText() {
        for (SourcePosition p : new SourcePosition[] {
                new SourcePosition.BinlogPosition("mariadb-bin.000003", 1234, 2, "0-1-100"),
                new SourcePosition.BinlogPosition("mysql-bin.000001", 4, 0, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11"),
                new SourcePosition.LoadRow("mariadb-bin.000003:1234", 17),
                new SourcePosition.LoadRow("snapshot#with#hashes", 1) }) {
            assertEquals(p, SourcePosition.parse(p.kind(), p.text()), p.text());
        }
    }

    @Test
    void loadRowsAreTheirOwnKindAndOrderByRow() {
        SourcePosition.LoadRow a = new SourcePosition.LoadRow("mariadb-bin.000003:1234", 9);
        SourcePosition.LoadRow b = new SourcePosition.LoadRow("mariadb-bin.000003:1234", 10);
        assertEquals("load", a.kind());
        assertEquals("mariadb-bin.000003:1234#9", a.text());
        assertTrue(a.compareTo(b) < 0);
    }
}
