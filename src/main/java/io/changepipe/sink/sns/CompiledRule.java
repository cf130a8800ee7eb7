package io.changepipe.sink.sns;

import io.changepipe.definition.SinkDef;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.TableId;
import io.changepipe.expr.CompiledExpression;
import io.changepipe.expr.SqlExpressions;
import java.time.Clock;
import java.util.Optional;

/** One alert rule compiled once: its condition, table selector, templates, dedupe and rate limit. */
final class CompiledRule {

    final String name;
    final CompiledExpression when;
    private final DmsPattern schema;
    private final DmsPattern table;
    final Optional<Template> subject;
    final Optional<Template> message;
    final Optional<Dedupe> dedupe;
    final Optional<RateLimit> rateLimit;

    private CompiledRule(String name, CompiledExpression when, DmsPattern schema, DmsPattern table, Optional<Template> subject,
            Optional<Template> message, Optional<Dedupe> dedupe, Optional<RateLimit> rateLimit) {
        this.name = name;
        this.when = when;
        this.schema = schema;
        this.table = table;
        this.subject = subject;
        this.message = message;
        this.dedupe = dedupe;
        this.rateLimit = rateLimit;
    }

    /** {@code where} names the pipeline and sink in log lines. */
    static CompiledRule compile(SinkDef.AlertRule def, Clock clock, String where) {
        String tables = def.tables() == null || def.tables().isBlank() ? "%.%" : def.tables();
        int dot = tables.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("rule '" + def.name() + "': tables '" + tables + "' must be schema.table");
        }
        return new CompiledRule(def.name(), SqlExpressions.compile(def.when(), clock),
                DmsPattern.compile(tables.substring(0, dot)), DmsPattern.compile(tables.substring(dot + 1)),
                def.subject().map(Template::parse), def.message().map(Template::parse),
                def.dedupe().map(d -> new Dedupe(Template.parse(d.key()), d.window(), clock)),
                def.rateLimit().map(r -> new RateLimit(where + ", rule " + def.name(), r.count(), r.per(), clock)));
    }

    boolean sees(TableId t) {
        return schema.matches(t.schema()) && table.matches(t.table());
    }
}
