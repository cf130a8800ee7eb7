package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.RuleTarget;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.event.Columns;
import io.changepipe.event.TableId;
import io.changepipe.rules.CompiledTransformation.Aspect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transformation rules that apply to one source table, conflicts already settled (lowest rule-id per object and
 * aspect), with its compiled transforms cached per column list.
 */
final class TableRules {

    final TableId source;
    final TableId target;
    /** True when schema or table rules give the table another name. */
    final boolean renamed;
    /** Column-level rules (naming, presence, type, masking) whose schema and table match, in rule-id order. */
    final List<CompiledTransformation> columnRules;
    /** True when an include-column rule matches the table: columns no include-column rule names are dropped. */
    final boolean includeMode;
    /** add-column winners, one per added column name, in rule-id order. */
    final List<CompiledTransformation> added;
    final CompiledTransformation primaryKey;
    final CompiledTransformation beforeImage;
    /** True when no rule touches columns, keys or before images: rows pass through untouched. */
    final boolean rowsUntouched;
    final long maskingSeed;
    final Clock clock;

    private final ConcurrentHashMap<Columns, TableTransform> byColumns = new ConcurrentHashMap<>();
    private TableTransform last;

    TableRules(TableId source, List<CompiledTransformation> all, long maskingSeed, Clock clock) {
        this.source = source;
        this.maskingSeed = maskingSeed;
        this.clock = clock;
        List<CompiledTransformation> matching = all.stream().filter(r -> r.matchesTable(source)).toList();
        CompiledTransformation schemaName = first(matching, RuleTarget.SCHEMA, Aspect.NAME);
        CompiledTransformation tableName = first(matching, RuleTarget.TABLE, Aspect.NAME);
        this.target = new TableId(name(schemaName, source.schema(), "schema"), name(tableName, source.table(), "table"));
        this.renamed = !target.equals(source);
        List<CompiledTransformation> columns = new ArrayList<>();
        Map<String, CompiledTransformation> adds = new LinkedHashMap<>();
        for (CompiledTransformation r : matching) {
            switch (r.aspect()) {
                case NAME, PRESENCE, TYPE, MASK -> {
                    if (r.target() == RuleTarget.COLUMN) {
                        columns.add(r);
                    }
                }
                case ADD_COLUMN -> adds.putIfAbsent(r.def().value().orElseThrow(), r);
                default -> {
                }
            }
        }
        this.columnRules = List.copyOf(columns);
        this.includeMode = columns.stream().anyMatch(r -> r.action() == TransformAction.INCLUDE_COLUMN);
        this.added = List.copyOf(adds.values());
        this.primaryKey = first(matching, RuleTarget.TABLE, Aspect.PRIMARY_KEY);
        this.beforeImage = first(matching, RuleTarget.COLUMN, Aspect.BEFORE_IMAGE);
        this.rowsUntouched = columnRules.isEmpty() && added.isEmpty() && primaryKey == null && beforeImage == null;
    }

    private String name(CompiledTransformation rule, String name, String what) {
        if (rule == null) {
            return name;
        }
        String out = rule.rename().apply(name);
        if (out.isEmpty()) {
            throw new RuleException(rule.label() + ": " + rule.action().wireName() + " leaves the " + what + " name of " + source + " empty");
        }
        return out;
    }

    private static CompiledTransformation first(List<CompiledTransformation> rules, RuleTarget target, Aspect aspect) {
        return rules.stream().filter(r -> r.target() == target && r.aspect() == aspect).findFirst().orElse(null);
    }

    /** The transform for rows of this shape: an identity check for the shape seen last, else one map lookup. */
    TableTransform transform(Columns columns) {
        TableTransform t = last;
        if (t != null && t.source() == columns) {
            return t;
        }
        t = byColumns.get(columns);
        if (t == null) {
            t = byColumns.computeIfAbsent(columns, c -> new TableTransform(this, c));
        }
        last = t;
        return t;
    }
}
