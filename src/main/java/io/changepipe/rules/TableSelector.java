package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.SelectionAction;
import io.changepipe.definition.TableMappingDef.TableType;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tables a pipeline reads and which of their rows, decided once per table from the DMS selection rules and
 * cached by {@link TableId}.
 * <ul>
 * <li><b>Matching.</b> A rule matches a table when its schema-name and table-name patterns match (DMS wildcards,
 * case-sensitive, see {@link DmsPattern}) and its table-type fits: {@code table} (the default) matches tables only,
 * {@code view} views only, {@code all} both.
 * <li><b>Exclude wins.</b> A table matched by any exclude rule is excluded, whatever else includes it and in whatever
 * rule order.
 * <li><b>Explicit</b> rules name exactly one table (no wildcards; the parser enforces it) and otherwise include it
 * like an include rule. A table no include or explicit rule matches is excluded.
 * <li><b>Load order</b> is the highest {@code load-order} among the matching include and explicit rules (0 if none
 * sets one).
 * <li><b>Row filters across rules.</b> DMS allows filters only on rules that name one table exactly, and does not say
 * how several rules for one table combine, so: when any matching include/explicit rule names the table exactly (no
 * wildcard in schema-name or table-name), those exact rules alone decide the rows, and a row is kept when it passes
 * the filters of <em>any</em> of them (each rule names a set of rows; the table gets their union; an exact rule without
 * filters keeps every row). Wildcard rules then only select the table, so {@code shop.%} plus a filtered
 * {@code shop.orders} filters orders. When only wildcard rules match, every row is kept.
 * </ul>
 */
public final class TableSelector {

    /** The decision for one table: excluded, or included with its load order and row filter. */
    public record Selection(boolean included, int loadOrder, RowFilter filter) {

        public static final Selection EXCLUDED = new Selection(false, 0, row -> false);

        /** True when the table is included and the row passes its filter. */
        public boolean accept(Row row) {
            return included && filter.accept(row);
        }
    }

    private record Compiled(TableMappingDef.Selection rule, DmsPattern schema, DmsPattern table, boolean exact) {
        boolean matches(TableId t, boolean isView) {
            TableType type = rule.locator().tableType();
            boolean typeFits = type == TableType.ALL || (type == TableType.VIEW) == isView;
            return typeFits && schema.matches(t.schema()) && table.matches(t.table());
        }
    }

    private final List<Compiled> excludes = new ArrayList<>();
    private final List<Compiled> includes = new ArrayList<>();
    private final ConcurrentHashMap<TableId, Selection> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TableId, Selection> views = new ConcurrentHashMap<>();

    public TableSelector(List<TableMappingDef.Selection> rules) {
        for (TableMappingDef.Selection r : rules.stream().sorted(Comparator.comparingLong(TableMappingDef.Selection::ruleId)).toList()) {
            DmsPattern schema = DmsPattern.compile(r.locator().schemaName());
            DmsPattern table = DmsPattern.compile(r.locator().tableName().orElse("%"));
            Compiled c = new Compiled(r, schema, table, schema.isLiteral() && table.isLiteral());
            (r.action() == SelectionAction.EXCLUDE ? excludes : includes).add(c);
        }
    }

    /** The cached decision for a table (or, with {@code isView}, a view) of the source. */
    public Selection select(TableId t, boolean isView) {
        ConcurrentHashMap<TableId, Selection> cache = isView ? views : tables;
        Selection s = cache.get(t);
        return s != null ? s : cache.computeIfAbsent(t, k -> decide(k, isView));
    }

    private Selection decide(TableId t, boolean isView) {
        for (Compiled e : excludes) {
            if (e.matches(t, isView)) {
                return Selection.EXCLUDED;
            }
        }
        List<Compiled> matching = includes.stream().filter(c -> c.matches(t, isView)).toList();
        if (matching.isEmpty()) {
            return Selection.EXCLUDED;
        }
        int loadOrder = matching.stream().mapToInt(c -> c.rule().loadOrder()).max().orElse(0);
        List<RowFilter> exact = matching.stream().filter(Compiled::exact).map(c -> SourceFilters.compile(c.rule(), t)).toList();
        return new Selection(true, loadOrder, SourceFilters.anyOf(exact));
    }
}
