package io.changepipe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case under {@code src/test/resources/rules/}: a file holds DMS {@code mappings} (verbatim JSON or YAML) and
 * {@code cases}, each an {@code event} and what to {@code expect}: {@code excluded}, {@code filtered},
 * {@code loadOrder}, the output's {@code schema}/{@code table}/{@code after}/{@code before}/{@code primaryKey}, or an
 * exact {@code error}. A case may bring its own {@code mappings}.
 */
class RuleFixturesTest {

    static final Path DIR = Path.of("src/test/resources/rules");
    static final long SEED = 42;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
    static final Set<String> CASE_KEYS = Set.of("name", "mappings", "event", "expect");
    static final Set<String> EXPECT_KEYS = Set.of("excluded", "filtered", "loadOrder", "schema", "table", "after", "before",
            "primaryKey", "error");

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicNode> everyFixtureCase() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        int count = 0;
        for (Path f : files) {
            Map<String, Object> doc = RuleFixtures.load(f);
            List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("cases");
            List<DynamicTest> tests = new ArrayList<>();
            for (Map<String, Object> c : cases) {
                Object mappings = c.getOrDefault("mappings", doc.get("mappings"));
                tests.add(DynamicTest.dynamicTest((String) c.get("name"), () -> run(mappings, c)));
            }
            count += tests.size();
            nodes.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), tests));
        }
        int total = count;
        nodes.add(DynamicTest.dynamicTest("the fixtures hold at least 60 cases", () -> assertTrue(total >= 60, "has " + total)));
        return nodes.stream();
    }

    @SuppressWarnings("unchecked")
    private static void run(Object mappings, Map<String, Object> c) {
        assertTrue(CASE_KEYS.containsAll(c.keySet()), "case keys " + c.keySet() + " are among " + CASE_KEYS);
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        assertTrue(EXPECT_KEYS.containsAll(expect.keySet()), "expect keys " + expect.keySet() + " are among " + EXPECT_KEYS);
        Map<String, Object> ev = (Map<String, Object>) c.get("event");
        boolean view = Boolean.TRUE.equals(ev.remove("view"));
        String error = (String) expect.get("error");
        RuleEngine engine;
        ChangeEvent event;
        Optional<ChangeEvent> out;
        try {
            engine = RuleEngine.compile(RuleFixtures.mappings(mappings), new FakeExpressions(), SEED, CLOCK);
            event = RuleFixtures.event(ev);
            out = engine.process(event, view);
        } catch (RuleException | RuleFixtures.ParseFailure e) {
            if (error == null) {
                throw e;
            }
            assertEquals(error, e.getMessage());
            return;
        }
        if (error != null) {
            fail("expected the error '" + error + "' but got " + out);
        }
        TableSelector.Selection selection = engine.selector().select(event.table(), view);
        if (Boolean.TRUE.equals(expect.get("excluded"))) {
            assertFalse(selection.included(), "the table is excluded");
            assertTrue(out.isEmpty(), "an excluded table's event is dropped");
        }
        if (Boolean.TRUE.equals(expect.get("filtered"))) {
            assertTrue(selection.included(), "the table is included");
            assertTrue(out.isEmpty(), "the row is filtered out, got " + out);
        }
        if (expect.containsKey("loadOrder")) {
            assertTrue(selection.included(), "the table is included");
            assertEquals(((Number) expect.get("loadOrder")).intValue(), selection.loadOrder());
        }
        boolean checksOutput = Stream.of("schema", "table", "after", "before", "primaryKey").anyMatch(expect::containsKey);
        if (!checksOutput) {
            return;
        }
        assertTrue(out.isPresent(), "the event passes");
        ChangeEvent o = out.get();
        if (expect.containsKey("schema")) {
            assertEquals(expect.get("schema"), o.table().schema());
        }
        if (expect.containsKey("table")) {
            assertEquals(expect.get("table"), o.table().table());
        }
        if (expect.containsKey("after")) {
            assertEquals(describe(expect.get("after")), RuleFixtures.describe(o.after()), "after");
        }
        if (expect.containsKey("before")) {
            assertEquals(describe(expect.get("before")), RuleFixtures.describe(o.before()), "before");
        }
        if (expect.containsKey("primaryKey")) {
            assertEquals(expect.get("primaryKey"), o.primaryKey());
        }
    }

    @SuppressWarnings("unchecked")
    private static String describe(Object expected) {
        Row r = RuleFixtures.row((Map<String, Object>) expected);
        return RuleFixtures.describe(r);
    }
}
