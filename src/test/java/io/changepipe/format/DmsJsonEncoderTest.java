package io.changepipe.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmsJsonEncoderTest {

    static final TableId T = new TableId("shop", "docs");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123456789Z"), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    static MessageDef message(MessageFormat format, boolean nullAndEmpty, BeforeImageColumns filter) {
        return new MessageDef(format, false, false, false, false, nullAndEmpty, new MessageDef.BeforeImage(true, "bi", filter));
    }

    static JsonNode encode(MessageDef m, ChangeEvent e) throws Exception {
        return JSON.readTree(new DmsJsonEncoder(m, CLOCK).encode(e, "k", "primary-key"));
    }

    static ChangeEvent update(Row before) {
        return ChangeEvent.of(Op.UPDATE, T, before, before, List.of("id"), new SourcePosition.Sequence(1));
    }

    @Test
    void recordsAppendToOneReusedBufferOneLineEach() {
        DmsJsonEncoder encoder = new DmsJsonEncoder(message(MessageFormat.JSON_UNFORMATTED, false, BeforeImageColumns.ALL), CLOCK);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (long id = 1; id <= 3; id++) {
            encoder.encode(ChangeEvent.of(Op.INSERT, T, Row.of("id", id), null, List.of("id"), new SourcePosition.Sequence(id)),
                    "k" + id, "primary-key", buffer);
        }
        String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(4, lines.length, "three lines, each ended by a newline");
        assertTrue(lines[2].startsWith("{\"data\":{\"id\":3}"), lines[2]);
        assertEquals("", lines[3]);
    }

    @Test
    void theMessageTimestampHasMicrosecondsFromTheClock() throws Exception {
        JsonNode n = encode(message(MessageFormat.JSON, false, BeforeImageColumns.ALL),
                ChangeEvent.of(Op.LOAD, T, Row.of("id", 1L), null, List.of("id"), new SourcePosition.Sequence(1)));
        assertEquals("2024-05-06T07:08:09.123456Z", n.at("/metadata/timestamp").asText());
    }

    @Test
    void nonLobBeforeImageDropsBytesAndStringsOver64KiBButKeepsThePrimaryKey() throws Exception {
        String fits = "x".repeat(64 * 1024);
        String tooLong = "x".repeat(64 * 1024 + 1);
        String twoByteFits = "é".repeat(32 * 1024);
        String threeByteTooLong = "ह".repeat(21846);
        Row before = Row.of("id", new byte[] {1, 2}, "fits", fits, "tooLong", tooLong, "twoByteFits", twoByteFits,
                "threeByteTooLong", threeByteTooLong, "blob", new byte[] {3}, "n", 5L);
        JsonNode bi = encode(message(MessageFormat.JSON, false, BeforeImageColumns.NON_LOB), update(before)).get("bi");
        List<String> kept = JSON.convertValue(bi, java.util.Map.class).keySet().stream().map(Object::toString).toList();
        assertEquals(List.of("id", "fits", "twoByteFits", "n"), kept);
        assertEquals("0x0102", bi.get("id").asText());
    }

    @Test
    void beforeImageIsOnlyForUpdatesAndDeletesThatHaveOne() throws Exception {
        MessageDef m = message(MessageFormat.JSON, false, BeforeImageColumns.ALL);
        Row r = Row.of("id", 1L);
        assertFalse(encode(m, ChangeEvent.of(Op.INSERT, T, r, r, List.of("id"), new SourcePosition.Sequence(1))).has("bi"));
        assertFalse(encode(m, ChangeEvent.of(Op.UPDATE, T, r, null, List.of("id"), new SourcePosition.Sequence(1))).has("bi"));
        assertTrue(encode(m, ChangeEvent.of(Op.DELETE, T, null, r, List.of("id"), new SourcePosition.Sequence(1))).has("bi"));
    }

    @Test
    void nullAndEmptyValuesFollowIncludeNullAndEmpty() throws Exception {
        Row r = Row.of("id", 1L, "nothing", null, "blank", "", "noBytes", new byte[0], "space", " ");
        ChangeEvent e = ChangeEvent.of(Op.INSERT, T, r, null, List.of("id"), new SourcePosition.Sequence(1));
        assertEquals("{\"id\":1,\"space\":\" \"}", encode(message(MessageFormat.JSON, false, BeforeImageColumns.ALL), e).get("data").toString());
        assertEquals("{\"id\":1,\"nothing\":null,\"blank\":\"\",\"noBytes\":\"0x\",\"space\":\" \"}",
                encode(message(MessageFormat.JSON, true, BeforeImageColumns.ALL), e).get("data").toString());
    }

    @Test
    void floatingPointSpecialsAreStringsAndFractionsFollowTheRule() throws Exception {
        Row r = Row.of("id", 1L, "inf", Double.POSITIVE_INFINITY, "ninf", Float.NEGATIVE_INFINITY, "fnan", Float.NaN,
                "half", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000), "nanos", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 1),
                "early", Instant.parse("1969-12-31T23:59:59.999999Z"));
        JsonNode d = encode(message(MessageFormat.JSON, false, BeforeImageColumns.ALL),
                ChangeEvent.of(Op.INSERT, T, r, null, List.of("id"), new SourcePosition.Sequence(1))).get("data");
        assertEquals("Infinity", d.get("inf").asText());
        assertEquals("-Infinity", d.get("ninf").asText());
        assertEquals("NaN", d.get("fnan").asText());
        assertEquals("2024-01-02 03:04:05.500000", d.get("half").asText());
        assertEquals("2024-01-02 03:04:05.000000001", d.get("nanos").asText());
        assertEquals("1969-12-31 23:59:59.999999", d.get("early").asText());
    }

    @Test
    void aValueOfAnUnknownTypeIsAnErrorNamingTheColumn() {
        Row r = Row.of("id", 1L, "span", Duration.ofHours(900));
        ChangeEvent e = ChangeEvent.of(Op.INSERT, T, r, null, List.of("id"), new SourcePosition.Sequence(1));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new DmsJsonEncoder(message(MessageFormat.JSON, false, BeforeImageColumns.ALL), CLOCK).encode(e, "k", "primary-key"));
        assertTrue(x.getMessage().startsWith("column span: cannot write a java.time.Duration"), x.getMessage());
    }

    @Test
    void aDdlThatIsNotATableChangeIsAnError() {
        ChangeEvent e = new ChangeEvent(Op.DDL, T, null, null, List.of(), null, null, 0, null, 0, new SourcePosition.Sequence(1),
                "TRUNCATE TABLE docs");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new DmsJsonEncoder(message(MessageFormat.JSON, false, BeforeImageColumns.ALL), CLOCK).encode(e, "k", "task-id", buffer));
        assertEquals("DDL event on shop.docs is not a table change DMS has a control record for: TRUNCATE TABLE docs", x.getMessage());
        assertEquals(0, buffer.size(), "nothing written before the statement is checked");
    }
}
