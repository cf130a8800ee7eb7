package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.definition.TableMappingDef.Transformation;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pipeline's DMS table mappings, compiled: selection ({@link TableSelector}), transformation
 * ({@link TableTransformer}), then object mapping ({@link ObjectMappings}). Per event the work is one lookup by
 * {@link TableId}, the row filter, and the compiled steps of the table's transform and mapping for the row's column list.
 */
public final class RuleEngine {

    /** {@code mapping} is null when no object-mapping rule changes the table's records or name. */
    private record TablePlan(TableSelector.Selection selection, TableRules rules, TableObjectMapping mapping) {
    }

    private final TableSelector selector;
    private final TableTransformer transformer;
    private final ObjectMappings mappings;
    private final ConcurrentHashMap<TableId, TablePlan> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TableId, TablePlan> views = new ConcurrentHashMap<>();

    public RuleEngine(TableSelector selector, TableTransformer transformer) {
        this(selector, transformer, new ObjectMappings(List.of()));
    }

    public RuleEngine(TableSelector selector, TableTransformer transformer, ObjectMappings mappings) {
        this.selector = selector;
        this.transformer = transformer;
        this.mappings = mappings;
    }

    /** Compiles the mappings, with an unpredictable seed for digit randomizing. */
    public static RuleEngine compile(TableMappingDef mappings, ExpressionCompiler expressions) {
        return compile(mappings, expressions, new SecureRandom().nextLong(), Clock.systemUTC());
    }

    /**
     * Compiles the mappings; throws {@link RuleException} for a rule that cannot work (bad data type, expression,
     * attribute template).
     */
    public static RuleEngine compile(TableMappingDef mappings, ExpressionCompiler expressions, long maskingSeed, Clock clock) {
        return new RuleEngine(new TableSelector(mappings.rules(TableMappingDef.Selection.class)),
                new TableTransformer(mappings.rules(Transformation.class), expressions, maskingSeed, clock),
                new ObjectMappings(mappings.rules(ObjectMapping.class)));
    }

    public TableSelector selector() {
        return selector;
    }

    public TableTransformer transformer() {
        return transformer;
    }

    public ObjectMappings objectMappings() {
        return mappings;
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
        ChangeEvent out;
        if (image == null) {
            out = renamed(e, plan);
        } else if (plan.selection().filter().accept(image)) {
            out = plan.rules().transform(image.columns()).apply(e);
        } else {
            return Optional.empty();
        }
        return Optional.of(plan.mapping() == null ? out : plan.mapping().apply(out));
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
            if (!s.included()) {
                return new TablePlan(s, null, null);
            }
            TableRules rules = transformer.rules(t);
            return new TablePlan(s, rules, mappings.forTable(t, rules.target));
        });
    }
}
