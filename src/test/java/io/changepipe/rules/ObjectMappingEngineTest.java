package io.changepipe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** What the object-mapping fixtures cannot show: mappings are compiled once and reused, untouched rows are not copied. */
class ObjectMappingEngineTest {

    static final String MAPPINGS = """
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "all", "object-locator": {"schema-name": "%", "table-name": "%"}, "rule-action": "include"},
              {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "docs", "rule-action": "map-record-to-document", "object-locator": {"schema-name": "s", "table-name": "docs"},
               "mapping-parameters": {"exclude-columns": ["secret"]}},
              {"rule-type": "object-mapping", "rule-id": "3", "rule-name": "key-only", "rule-action": "map-record-to-record", "object-locator": {"schema-name": "s", "table-name": "keyed"},
               "mapping-parameters": {"partition-key-type": "primary-key"}},
              {"rule-type": "object-mapping", "rule-id": "4", "rule-name": "rename-only", "rule-action": "map-record-to-record", "target-table-name": "t2", "object-locator": {"schema-name": "s", "table-name": "t"}}
            ]}""";

    static final TableId DOCS = new TableId("s", "docs");
    static final Columns SHAPE = Columns.of("id", "name", "secret");

    final RuleEngine engine = RuleEngine.compile(RuleFixtures.mappings(new Yaml().load(MAPPINGS)), new FakeExpressions(), 1,
            Clock.systemUTC());

    static ChangeEvent insert(TableId t, Row after) {
        return ChangeEvent.of(Op.INSERT, t, after, null, List.of("id"), new SourcePosition.Sequence(1));
    }

    @Test
    void aTableMappingIsCompiledOncePerColumnList() {
        TableObjectMapping m = engine.objectMappings().forTable(DOCS, DOCS);
        RecordMapping r = m.mapping(SHAPE);
        assertSame(r, m.mapping(SHAPE));
        assertSame(r, m.mapping(Columns.of("id", "name", "secret")), "an equal column list shares the mapping");
        assertNotSame(r, m.mapping(Columns.of("id", "name")));
    }

    @Test
    void rowsOfOneShapeShareOneColumnsAndEachGetsItsOwnDocument() {
        ChangeEvent a = engine.process(insert(DOCS, new Row(SHAPE, new Object[] {1L, "a", "x"}))).orElseThrow();
        ChangeEvent b = engine.process(insert(DOCS, new Row(SHAPE, new Object[] {2L, "b", "y"}))).orElseThrow();
        assertSame(a.after().columns(), b.after().columns());
        assertEquals(Columns.of("id", "_doc"), a.after().columns());
        assertEquals(Map.of("id", 1L, "name", "a"), a.after().get("_doc"));
        assertEquals(Map.of("id", 2L, "name", "b"), b.after().get("_doc"));
        assertNotSame(a.after().get("_doc"), b.after().get("_doc"));
    }

    @Test
    void aTableWhoseRuleChangesNothingIsPassedOnAsIs() {
        assertNull(engine.objectMappings().forTable(new TableId("s", "keyed"), new TableId("s", "keyed")));
        ChangeEvent e = insert(new TableId("s", "keyed"), Row.of("id", 1L));
        assertSame(e, engine.process(e).orElseThrow());
    }

    @Test
    void aTargetTableNameAloneKeepsTheRowsWithoutCopying() {
        ChangeEvent e = insert(new TableId("s", "t"), Row.of("id", 1L));
        ChangeEvent out = engine.process(e).orElseThrow();
        assertEquals(new TableId("s", "t2"), out.table());
        assertSame(e.after(), out.after());
    }

    @Test
    void aRuleThatCannotWorkFailsWhenTheEngineIsCompiled() {
        TableMappingDef bad = RuleFixtures.mappings(new Yaml().load("""
                {"rules": [
                  {"rule-type": "selection", "rule-id": "1", "rule-name": "all", "object-locator": {"schema-name": "%", "table-name": "%"}, "rule-action": "include"},
                  {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "bad", "rule-action": "map-record-to-record", "object-locator": {"schema-name": "s", "table-name": "nothing-matches"},
                   "mapping-parameters": {"attribute-mappings": [{"target-attribute-name": "d", "attribute-type": "document", "attribute-sub-type": "json", "value": "{not json"}]}}
                ]}"""));
        RuleException e = assertThrows(RuleException.class, () -> RuleEngine.compile(bad, new FakeExpressions()));
        assertEquals("rule 2 (bad): attribute 'd': value: the document is not valid JSON: Unexpected character ('n' (code 110)): "
                + "was expecting double-quote to start field name", e.getMessage());
    }
}
