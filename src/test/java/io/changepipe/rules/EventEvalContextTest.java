package io.changepipe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventEvalContextTest {

    static final Instant COMMIT = Instant.parse("2024-01-02T03:04:05Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final SourcePosition POS = new SourcePosition.BinlogPosition("mysql-bin.000003", 1234, 2, "");

    static ChangeEvent event(Op op, Row after, Row before, Instant commit) {
        return new ChangeEvent(op, new TableId("shop", "orders"), after, before, List.of("id"), commit, "tx-1", 1, null, 0, POS, null);
    }

    @Test
    void columnsReadTheAfterImageAndBeforeReadsTheBeforeImage() {
        EventEvalContext ctx = new EventEvalContext(event(Op.UPDATE, Row.of("id", 1L, "total", 20L), Row.of("id", 1L, "total", 10L), COMMIT));
        assertEquals(20L, ctx.column("total"));
        assertEquals(10L, ctx.before("total"));
        assertTrue(ctx.hasColumn("total"));
        assertFalse(ctx.hasColumn("nope"));
        assertTrue(ctx.hasBefore("total"));
    }

    @Test
    void aDeleteReadsItsBeforeImageAsTheCurrentRow() {
        EventEvalContext ctx = new EventEvalContext(event(Op.DELETE, null, Row.of("id", 7L), COMMIT));
        assertEquals(7L, ctx.column("id"));
        assertEquals(7L, ctx.before("id"));
    }

    @Test
    void anInsertHasNoBeforeImage() {
        EventEvalContext ctx = new EventEvalContext(event(Op.INSERT, Row.of("id", 1L), null, COMMIT));
        assertFalse(ctx.hasBefore("id"));
        assertNull(ctx.before("id"));
    }

    @Test
    void metadataUsesDmsHeaderNames() {
        EventEvalContext ctx = new EventEvalContext(event(Op.UPDATE, Row.of("id", 1L), Row.of("id", 1L), COMMIT), Row.of("id", 1L), CLOCK);
        assertEquals("update", ctx.meta("operation"));
        assertEquals("UPDATE", ctx.meta("AR_H_OPERATION"));
        assertEquals("shop", ctx.meta("schema"));
        assertEquals("orders", ctx.meta("table"));
        assertEquals("shop", ctx.meta("AR_M_SOURCE_SCHEMA"));
        assertEquals("orders", ctx.meta("AR_M_SOURCE_TABLE_NAME"));
        assertEquals(COMMIT, ctx.meta("commit_timestamp"));
        assertEquals(COMMIT, ctx.meta("AR_H_COMMIT_TIMESTAMP"));
        assertEquals(COMMIT, ctx.meta("AR_H_TIMESTAMP"));
        assertEquals("mysql-bin.000003:1234:2", ctx.meta("AR_H_STREAM_POSITION"));
        assertEquals("tx-1", ctx.meta("AR_H_TRANSACTION_ID"));
        assertNull(ctx.meta("AR_H_NOT_A_HEADER"));
    }

    @Test
    void aFullLoadRowReportsTheClockAsItsTimestamps() {
        EventEvalContext ctx = new EventEvalContext(event(Op.LOAD, Row.of("id", 1L), null, null), Row.of("id", 1L), CLOCK);
        assertEquals("LOAD", ctx.meta("AR_H_OPERATION"));
        assertNull(ctx.meta("commit_timestamp"));
        assertEquals(CLOCK.instant(), ctx.meta("AR_H_TIMESTAMP"));
        assertEquals(CLOCK.instant(), ctx.meta("AR_H_COMMIT_TIMESTAMP"));
    }
}
