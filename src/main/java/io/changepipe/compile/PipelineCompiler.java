package io.changepipe.compile;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.expr.CompiledExpression;
import io.changepipe.expr.SqlExpressions;
import io.changepipe.partition.PartitionKeyStrategy;
import io.changepipe.partition.PartitionKeys;
import io.changepipe.rules.ExpressionCompiler;
import io.changepipe.rules.RuleEngine;
import io.changepipe.sink.Sink;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a validated pipeline definition into the parts of a running graph: rules, partition keys, source and sinks. */
public final class PipelineCompiler {

    private final Plugins plugins;
    private final Clock clock;

    public PipelineCompiler(Plugins plugins, Clock clock) {
        this.plugins = plugins;
        this.clock = clock;
    }

    /** The DMS expression language as the rules engine consumes it. */
    public static ExpressionCompiler expressions(Clock clock) {
        return text -> {
            CompiledExpression e = SqlExpressions.compile(text, clock);
            return e::evaluate;
        };
    }

    public PipelineGraph.Parts compile(PipelineDef def) {
        RuleEngine rules = RuleEngine.compile(def.tableMappings(), expressions(clock));
        PartitionKeyStrategy keys = PartitionKeys.of(def.partitionKey(), def.tableMappings().rules(TableMappingDef.ObjectMapping.class));
        Map<String, Sink> sinks = new LinkedHashMap<>();
        for (SinkDef s : def.sinks()) {
            sinks.put(s.name(), plugins.sink(s.type()).create(def, s));
        }
        return new PipelineGraph.Parts(plugins.source(def.source().type()).create(def), rules::process,
                (source, processed) -> keys.forTable(source.table()).key(processed), sinks);
    }
}
