package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.Transformation;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pipeline's DMS table mappings, compiled: selection ({@link TableSelector}) then transformation
 * ({@link TableTransformer}). Per event the work is one lookup by {@link TableId}, the row filter, and the compiled
 * steps of the table's transform for the row's column list.
 */
public final class RuleEngine {

    private record TablePlan(TableSelector.Selection selection, TableRules rules) {
    }

    private final TableSelector selector;
    private final TableTransformer transformer;
    private final ConcurrentHashMap<TableId, TablePlan> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TableId, TablePlan> views = new ConcurrentHashMap<>();

    public RuleEngine(TableSelector selector, TableTransformer transformer) {
        this.selector = selector;
        this.transformer = transformer;
    }

    /** Compiles the mappings, with an unpredictable seed for digit randomizing. */
    public static RuleEngine compile(TableMappingDef mappings, ExpressionCompiler expressions) {
        return compile(mappings, expressions, new SecureRandom().nextLong(), Clock.systemUTC());
    }

    /** Compiles the mappings; throws {@link RuleException} for a rule that cannot work (bad data type, expression). */
    public static RuleEngine compile(TableMappingDef mappings, ExpressionCompiler expressions, long maskingSeed, Clock clock) {
        return new RuleEngine(new TableSelector(mappings.rules(TableMappingDef.Selection.class)),
                new TableTransformer(mappings.rules(Transformation.class), expressions, maskingSeed, clock));
    }

    public TableSelector selector() {
        return selector;
    }

    public TableTransformer transformer() {
        return transformer;
    }

    /** The event as the pipeline writes it, or empty when its table is not selected or its row is filtered out. */
    public Optional<ChangeEvent> process(ChangeEvent e) {
        return process(e, false);
    }

    /** As {@link #process(ChangeEvent)}, for a row read from a view (full load only). */
    public Optional<ChangeEvent> process(ChangeEvent e, boolean fromView) {
        TablePlan plan = plan(e.table(), fromView);
        if (!plan.selection().included()) {
            return Optional.empty();
        }
        Row image = e.image();
        if (image == null) {
            return Optional.of(renamed(e, plan));
        }
        if (!plan.selection().filter().accept(image)) {
            return Optional.empty();
        }
        return Optional.of(plan.rules().transform(image.columns()).apply(e));
    }

    private static ChangeEvent renamed(ChangeEvent e, TablePlan plan) {
        TableRules rules = plan.rules();
        return rules.renamed ? e.withRows(rules.target, e.after(), e.before(), e.primaryKey()) : e;
    }

    private TablePlan plan(TableId table, boolean fromView) {
        ConcurrentHashMap<TableId, TablePlan> cache = fromView ? views : tables;
        TablePlan p = cache.get(table);
        return p != null ? p : cache.computeIfAbsent(table, t -> {
            TableSelector.Selection s = selector.select(t, fromView);
            return new TablePlan(s, s.included() ? transformer.rules(t) : null);
        });
    }
}
