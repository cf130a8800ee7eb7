package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.Transformation;
import io.changepipe.event.Columns;
import io.changepipe.event.TableId;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DMS transformation rules of a pipeline, compiled once (patterns, data types, expressions), resolved once per
 * source table and compiled once per column list into a {@link TableTransform}.
 * <p>
 * <b>Matching.</b> Rules match source names (before any rename), case-sensitively with DMS wildcards; table-type is
 * ignored (views become tables). A schema-target rule with a table-name applies only to those tables.
 * <p>
 * <b>Conflicts.</b> DMS applies one action per object, the lower rule-id winning, except masking. Here an object is the
 * schema or table of a source table, or one source column, and rules conflict when they decide the same
 * <em>aspect</em> of it: its name (rename, convert-lowercase/-uppercase, add-/remove-/replace-prefix/-suffix), whether
 * it is kept (remove-column, include-column), its type (change-data-type), the table's key (define-primary-key), its
 * before-image columns (add-before-image-columns), or one added column name (add-column). The rule with the lowest
 * rule-id among those whose locator matches the object wins its aspect, whether or not its action changes anything (a
 * remove-prefix on a name without the prefix still wins). Different aspects combine: a column can be renamed, retyped
 * and masked. Masking rules all apply, in rule-id order, after the type change.
 * <p>
 * <b>Masking randomness.</b> {@code data-masking-digits-randomize} draws from a {@link java.util.Random} seeded with
 * {@code maskingSeed}, one per compiled transform, so a fixed seed gives repeatable output in tests; production passes
 * a seed from a secure source.
 * <p>
 * <b>Left out.</b> An object-locator {@code data-type} (select columns by their source type) is rejected when the rules
 * are compiled: rows carry values, not declared types. {@code non-lob} before-image columns are all columns, since a
 * row cannot tell LOB columns apart. Tablespace targets are Oracle-only and the parser refuses them.
 */
public final class TableTransformer {

    private final List<CompiledTransformation> rules;
    private final long maskingSeed;
    private final Clock clock;
    private final ConcurrentHashMap<TableId, TableRules> tables = new ConcurrentHashMap<>();

    public TableTransformer(List<Transformation> rules, ExpressionCompiler expressions, long maskingSeed) {
        this(rules, expressions, maskingSeed, Clock.systemUTC());
    }

    /** With the clock that stands in for a missing commit time in expressions ({@code $AR_H_TIMESTAMP} in full load). */
    public TableTransformer(List<Transformation> rules, ExpressionCompiler expressions, long maskingSeed, Clock clock) {
        this.rules = rules.stream().sorted(Comparator.comparingLong(Transformation::ruleId))
                .map(t -> CompiledTransformation.compile(t, expressions)).toList();
        this.maskingSeed = maskingSeed;
        this.clock = clock;
    }

    /** The table a source table is written as, after schema and table renames. */
    public TableId target(TableId source) {
        return rules(source).target;
    }

    /** The compiled transform for rows of {@code table} with these columns; cached, so call it freely. */
    public TableTransform transform(TableId table, Columns columns) {
        return rules(table).transform(columns);
    }

    TableRules rules(TableId table) {
        TableRules r = tables.get(table);
        return r != null ? r : tables.computeIfAbsent(table, t -> new TableRules(t, rules, maskingSeed, clock));
    }
}
