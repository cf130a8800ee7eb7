package io.changepipe.sink.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.expr.ExpressionException;
import io.changepipe.rules.EventEvalContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Template rendering: value text, metadata, before image, unknown columns. */
class TemplateTest {

    static EventEvalContext ctx() {
        Row before = Row.of("id", 1L, "amount", new BigDecimal("1E+3"));
        Row after = Row.of("id", 1L, "amount", new BigDecimal("1000.50"), "ratio", 2.0, "small", 0.00001, "day", LocalDate.of(2022, 4, 15),
                "at", LocalDateTime.of(2022, 4, 15, 10, 0), "t", LocalTime.of(9, 30), "ts", Instant.parse("2022-04-15T10:00:00Z"),
                "bin", new byte[] {1, (byte) 0xAB}, "none", null, "ok", true);
        return new EventEvalContext(ChangeEvent.of(Op.UPDATE, new TableId("s", "t1"), after, before, List.of("id"), new SourcePosition.Sequence(3)));
    }

    @Test
    void valuesRenderAsPlainText() {
        assertEquals("1000.50 1000 2 0.00001 2022-04-15 2022-04-15T10:00:00 09:30:00 2022-04-15T10:00:00Z 01AB [] true",
                Template.parse("${amount} ${before.amount} ${ratio} ${small} ${day} ${at} ${t} ${ts} ${bin} [${none}] ${ok}").render(ctx()));
    }

    @Test
    void metadataAndLiterals() {
        assertEquals("update on s.t1 (no refs)", Template.parse("${$operation} on ${$schema}.${$table} (no refs)").render(ctx()));
        assertEquals("plain", Template.parse("plain").render(ctx()));
    }

    @Test
    void anUnknownColumnNamesTheTemplate() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Template.parse("x ${nope}").render(ctx()));
        assertEquals("no column 'nope' in expression 'x ${nope}'", e.getMessage());
        assertThrows(ExpressionException.class, () -> Template.parse("${before.ratio}").render(ctx()));
    }
}
