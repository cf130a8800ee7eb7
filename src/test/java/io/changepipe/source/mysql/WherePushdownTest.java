package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.event.TableId;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Source filters become a WHERE clause that keeps at least the rows the rules keep. */
class WherePushdownTest {

    static final TableId INVOICES = new TableId("shop", "invoices");
    static final TableSchema SCHEMA = TableSchema.of(INVOICES, List.of(
            ColumnDef.of("id", "int", "int(11)", null, 0, 0, false),
            ColumnDef.of("name", "varchar", "varchar(20)", "utf8mb4", 80, 0, false),
            ColumnDef.of("due", "date", "date", null, 0, 0, false),
            ColumnDef.of("ratio", "float", "float", null, 0, 0, false)), List.of("id"));

    static Optional<WherePushdown.Where> where(String rules) {
        PipelineDef p = MariaDb.pipeline("where", "shop", "full-load", null, rules);
        return WherePushdown.of(p.tableMappings().rules(TableMappingDef.Selection.class), INVOICES, SCHEMA);
    }

    static String rule(int id, String table, String filters) {
        return """
                - rule-type: selection
                  rule-id: "%d"
                  rule-name: r%d
                  object-locator: { schema-name: shop, table-name: "%s" }
                  rule-action: include
                  filters: %s
                """.formatted(id, id, table, filters.replace("\n", " "));
    }

    @Test
    void numbersDatesNullsAndTextEqualityArePushedDown() {
        Optional<WherePushdown.Where> w = where(rule(1, "invoices", """
                [ { filter-type: source, column-name: id, filter-conditions: [ { filter-operator: between, start-value: "1", end-value: "10" }, { filter-operator: eq, value: "42" } ] },
                  { filter-type: source, column-name: due, filter-conditions: [ { filter-operator: gte, value: "2022-04-15" } ] },
                  { filter-type: source, column-name: name, filter-conditions: [ { filter-operator: eq, value: "a" }, { filter-operator: "null" } ] } ]"""));
        assertEquals("((`id` BETWEEN ? AND ? OR `id` = ?) AND `due` >= ? AND (CONVERT(`name` USING utf8mb4) COLLATE utf8mb4_bin = ? OR `name` IS NULL))",
                w.orElseThrow().sql());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("10"), new BigDecimal("42"), "2022-04-15", "a"), w.get().params());
    }

    @Test
    void whatCannotBePushedSafelyWidensTheClause() {
        assertEquals(Optional.empty(), where(rule(1, "invoices", """
                [ { filter-type: source, column-name: name, filter-conditions: [ { filter-operator: gte, value: "m" } ] } ]""")),
                "text ranges compare by collation in MySQL");
        assertEquals("`id` >= ?", where(rule(1, "invoices", """
                [ { filter-type: source, column-name: id, filter-conditions: [ { filter-operator: gte, value: "5" } ] },
                  { filter-type: source, column-name: ratio, filter-conditions: [ { filter-operator: eq, value: "0.1" } ] } ]""")).orElseThrow().sql(),
                "FLOAT compares as binary floating point in MySQL: that filter is left to the rules");
        assertEquals(Optional.empty(), where(rule(1, "invoices", """
                [ { filter-type: source, column-name: id, filter-conditions: [ { filter-operator: eq, value: "x" } ] } ]""")),
                "a non-number against an integer column compares as text in the rules");
    }

    @Test
    void exactRulesOrTogetherAndAnUnfilteredOneKeepsEverything() {
        String a = rule(1, "invoices", "[ { filter-type: source, column-name: id, filter-conditions: [ { filter-operator: lte, value: \"3\" } ] } ]");
        String b = rule(2, "invoices", "[ { filter-type: source, column-name: id, filter-conditions: [ { filter-operator: gte, value: \"8\" } ] } ]");
        assertEquals("`id` <= ? OR `id` >= ?", where(a + b).orElseThrow().sql());
        assertEquals(Optional.empty(), where(a + rule(3, "invoices", "[]")));
        assertEquals("`id` <= ?", where(a + rule(3, "%", "[]")).orElseThrow().sql(), "a wildcard rule only selects the table");
    }
}
