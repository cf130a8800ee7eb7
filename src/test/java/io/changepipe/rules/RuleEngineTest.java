package io.changepipe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the fixtures cannot show: decisions are compiled once and reused, untouched events are not copied. */
class RuleEngineTest {

    static final String MAPPINGS = """
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "shop", "object-locator": {"schema-name": "shop", "table-name": "%"}, "rule-action": "include"},
              {"rule-type": "selection", "rule-id": "2", "rule-name": "open", "object-locator": {"schema-name": "shop", "table-name": "orders"}, "rule-action": "include",
               "filters": [{"filter-type": "source", "column-name": "status", "filter-conditions": [{"filter-operator": "eq", "value": "open"}]}]},
              {"rule-type": "transformation", "rule-id": "3", "rule-name": "upper", "rule-action": "convert-uppercase", "rule-target": "column", "object-locator": {"schema-name": "shop", "table-name": "orders", "column-name": "%"}},
              {"rule-type": "transformation", "rule-id": "4", "rule-name": "mask", "rule-action": "data-masking-digits-mask", "rule-target": "column", "object-locator": {"schema-name": "shop", "table-name": "orders", "column-name": "card"}},
              {"rule-type": "transformation", "rule-id": "5", "rule-name": "rename", "rule-action": "rename", "rule-target": "table", "object-locator": {"schema-name": "shop", "table-name": "renamed"}, "value": "r2"}
            ]}""";

    static final Columns ORDER = Columns.of("id", "status", "card");
    static final TableId ORDERS = new TableId("shop", "orders");

    final TableMappingDef mappings = RuleFixtures.mappings(new org.yaml.snakeyaml.Yaml().load(MAPPINGS));
    final RuleEngine engine = RuleEngine.compile(mappings, new FakeExpressions(), 1, Clock.systemUTC());

    static ChangeEvent insert(TableId t, Row after, long seq) {
        return ChangeEvent.of(Op.INSERT, t, after, null, List.of("id"), new SourcePosition.Sequence(seq));
    }

    @Test
    void aTableIsDecidedOnceAndATransformCompiledOncePerColumnList() {
        TableSelector.Selection s = engine.selector().select(ORDERS, false);
        assertSame(s, engine.selector().select(ORDERS, false));
        TableTransform t = engine.transformer().transform(ORDERS, ORDER);
        assertSame(t, engine.transformer().transform(ORDERS, ORDER));
        assertSame(t, engine.transformer().transform(ORDERS, Columns.of("id", "status", "card")), "an equal column list shares the transform");
        assertNotSame(t, engine.transformer().transform(ORDERS, Columns.of("id", "status")));
        assertEquals(Columns.of("ID", "STATUS", "CARD"), t.columns());
        assertSame(t.columns(), t.apply(insert(ORDERS, new Row(ORDER, new Object[] {1L, "open", "4111"}), 1)).after().columns(),
                "every output row of a shape shares one Columns");
    }

    @Test
    void anEventOfAnUntouchedTableIsPassedOnAsIs() {
        ChangeEvent e = insert(new TableId("shop", "items"), Row.of("id", 1L), 1);
        assertSame(e, engine.process(e).orElseThrow());
    }

    @Test
    void aRenamedTableKeepsItsRowsWithoutCopying() {
        ChangeEvent e = insert(new TableId("shop", "renamed"), Row.of("id", 1L), 1);
        ChangeEvent out = engine.process(e).orElseThrow();
        assertEquals(new TableId("shop", "r2"), out.table());
        assertSame(e.after(), out.after());
        assertEquals(new TableId("shop", "r2"), engine.transformer().target(new TableId("shop", "renamed")));
    }

    @Test
    void processFiltersThenTransforms() {
        assertEquals(Optional.empty(), engine.process(insert(ORDERS, new Row(ORDER, new Object[] {1L, "closed", "4111"}), 1)));
        assertEquals(Optional.empty(), engine.process(insert(new TableId("other", "orders"), Row.of("id", 1L), 1)));
        ChangeEvent out = engine.process(insert(ORDERS, new Row(ORDER, new Object[] {1L, "open", "4111"}), 1)).orElseThrow();
        assertEquals(Row.of("ID", 1L, "STATUS", "open", "CARD", "****"), out.after());
        assertEquals(List.of("ID"), out.primaryKey());
        assertEquals("1", out.dedupeId(), "the position travels unchanged");
    }

    @Test
    void aRuleThatCannotWorkFailsWhenTheEngineIsCompiled() {
        TableMappingDef bad = RuleFixtures.mappings(new org.yaml.snakeyaml.Yaml().load("""
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-name": "all", "object-locator": {"schema-name": "%", "table-name": "%"}, "rule-action": "include"},
                  {"rule-type": "transformation", "rule-id": "2", "rule-name": "x", "rule-action": "add-column", "rule-target": "column",
                   "object-locator": {"schema-name": "%", "table-name": "%"}, "value": "x", "expression": "lower($x)", "data-type": {"type": "string"}}
                ]}"""));
        RuleException e = assertThrows(RuleException.class, () -> RuleEngine.compile(bad, new FakeExpressions()));
        assertTrue(e.getMessage().startsWith("rule 2 (x): expression 'lower($x)'"), e.getMessage());
    }

    @Test
    void threadsShareTheCompiledRules() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    long kept = 0;
                    for (int i = 0; i < 20_000; i++) {
                        Row r = new Row(ORDER, new Object[] {(long) i, i % 2 == 0 ? "open" : "closed", "12" + i});
                        Optional<ChangeEvent> out = engine.process(insert(ORDERS, r, i));
                        if (out.isPresent()) {
                            assertEquals(r.value(0), out.get().after().value(0));
                            kept++;
                        }
                    }
                    return kept;
                }));
            }
            for (Future<Long> f : results) {
                assertEquals(10_000L, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
