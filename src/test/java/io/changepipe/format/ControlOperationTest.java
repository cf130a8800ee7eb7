package io.changepipe.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ControlOperationTest {

    /** Each line of ddl-operations.txt: the expected DMS operation (or none) | the statement. */
    @TestFactory
    Stream<DynamicTest> everyStatementGetsItsOperation() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/format/ddl-operations.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(lines.size() >= 40, "the fixture holds at least 40 statements, has " + lines.size());
        return lines.stream().map(line -> {
            int bar = line.indexOf('|');
            String expected = line.substring(0, bar).strip();
            String ddl = line.substring(bar + 1).strip();
            return DynamicTest.dynamicTest(expected + " <- " + ddl, () -> assertEquals(expected,
                    ControlOperation.of(ddl).map(ControlOperation::wireName).orElse("none")));
        });
    }

    @Test
    void onlyCreateTableIsOutsideIncludeTableAlterOperations() {
        assertFalse(ControlOperation.CREATE_TABLE.isTableAlter());
        for (ControlOperation op : ControlOperation.values()) {
            assertEquals(op != ControlOperation.CREATE_TABLE, op.isTableAlter(), op.wireName());
        }
    }
}
