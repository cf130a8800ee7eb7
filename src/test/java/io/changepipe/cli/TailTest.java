package io.changepipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.changepipe.sink.kinesis.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** tail's command line and how it prints records; reading itself is StreamReaderTest's. */
class TailTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int tail(String... args) {
        return new Tail(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), () -> {
            throw new AssertionError("no client for a bad command line");
        }).run(args);
    }

    @Test
    void aRecordIsOneLineOfJsonWithNumbersAsWritten() {
        String dms = "{\n  \"data\": {\n    \"invoice_id\": 2,\n    \"total\": 19.50,\n    \"big\": 123456789012345678901234567890\n  },\n"
                + "  \"metadata\": {\n    \"operation\": \"load\"\n  }\n}";
        assertEquals("{\"data\":{\"invoice_id\":2,\"total\":19.50,\"big\":123456789012345678901234567890},\"metadata\":{\"operation\":\"load\"}}",
                Tail.json(dms.getBytes(StandardCharsets.UTF_8), false));
        assertEquals("{\n  \"a\" : 1\n}", Tail.json("{\"a\":1}".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void dataThatIsNotJsonIsPrintedAsAJsonString() {
        assertEquals("\"not json\\n\"", Tail.json("not json\n".getBytes(StandardCharsets.UTF_8), false));
        assertEquals("\"{\\\"a\\\":1} {\\\"b\\\":2}\"", Tail.json("{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void metaPutsShardSequenceAndKeyAroundTheData() {
        StreamReader.Received r = new StreamReader.Received("shardId-000000000001", "4959", "democustomer.invoices.2",
                Instant.parse("2024-05-01T12:00:00Z"), "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"shardId\":\"shardId-000000000001\",\"sequenceNumber\":\"4959\",\"partitionKey\":\"democustomer.invoices.2\","
                + "\"arrival\":\"2024-05-01T12:00:00Z\",\"data\":{\"a\":1}}", Tail.withMeta(r, false));
    }

    @Test
    void aBadCommandLineSaysWhatIsWrongWithUsage() {
        assertEquals(2, tail());
        assertEquals("tail: name a stream (name or ARN)\n" + Tail.USAGE, err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, tail("s", "--limit", "0"));
        assertEquals("tail: --limit wants a positive number (was 0)\n" + Tail.USAGE, err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, tail("s", "--from"));
        assertEquals("tail: --from needs a value\n" + Tail.USAGE, err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, tail("s", "t"));
        assertEquals("tail: unexpected argument 't'\n" + Tail.USAGE, err.toString(StandardCharsets.UTF_8));
    }
}
