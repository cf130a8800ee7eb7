package io.changepipe.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every line of {@code src/test/resources/expr/cases.txt}: {@code expression | row | expected}. The row is
 * {@code {name: value, ...}}, or {@code known {...}} to compile against the row's column names. Expected is a typed
 * value (see {@link FixtureValues}), {@code ERROR: prefix} for a compile error, {@code RUNTIME ERROR: prefix} for an
 * ExpressionException. 'now' is 2024-05-06T07:08:09.123Z and the clock's zone Europe/Paris.
 */
class ExpressionCasesTest {

    static final Path CASES = Path.of("src/test/resources/expr/cases.txt");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneId.of("Europe/Paris"));

    record Case(int line, String expression, String row, String expected) {
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsExpectedValue() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 120, "the fixture holds at least 120 cases, has " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.expression(), () -> run(c)));
    }

    static List<Case> cases() throws IOException {
        List<String> lines = Files.readAllLines(CASES);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int last = line.lastIndexOf(" | ");
            int middle = line.lastIndexOf(" | ", last - 1);
            if (middle < 0) {
                throw new IllegalArgumentException(CASES + ":" + (i + 1) + ": expected 'expression | row | expected'");
            }
            cases.add(new Case(i + 1, line.substring(0, middle).strip(), line.substring(middle + 3, last).strip(),
                    line.substring(last + 3).strip()));
        }
        return cases;
    }

    private static void run(Case c) {
        boolean known = c.row().startsWith("known ");
        MapContext row = MapContext.parse(known ? c.row().substring("known ".length()) : c.row());
        Set<String> columns = known ? row.columns.keySet() : null;
        if (c.expected().startsWith("ERROR: ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SqlExpressions.compile(c.expression(), columns, CLOCK));
            assertStartsWith(c.expected().substring("ERROR: ".length()), e.getMessage());
            return;
        }
        CompiledExpression compiled = SqlExpressions.compile(c.expression(), columns, CLOCK);
        if (c.expected().startsWith("RUNTIME ERROR: ")) {
            ExpressionException e = assertThrows(ExpressionException.class, () -> compiled.evaluate(row));
            assertStartsWith(c.expected().substring("RUNTIME ERROR: ".length()), e.getMessage());
            return;
        }
        assertEquals(FixtureValues.describe(FixtureValues.parse(c.expected())), FixtureValues.describe(compiled.evaluate(row)));
    }

    private static void assertStartsWith(String prefix, String message) {
        assertTrue(message.startsWith(prefix), "expected a message starting '" + prefix + "', got '" + message + "'");
    }
}
