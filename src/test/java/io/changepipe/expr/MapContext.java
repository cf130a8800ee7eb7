package io.changepipe.expr;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row for tests: {@code {a: 1, before.a: 0, $operation: 'update', "My Col": 'x'}} in the literals of
 * {@link FixtureValues}. Keys {@code before.x} fill the before image, keys {@code $x} the metadata.
 */
final class MapContext implements EvalContext {

    final Map<String, Object> columns = new LinkedHashMap<>();
    final Map<String, Object> before = new LinkedHashMap<>();
    final Map<String, Object> meta = new LinkedHashMap<>();

    static MapContext parse(String row) {
        String body = row.strip();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new IllegalArgumentException("a row is written {name: value, ...}, not " + row);
        }
        MapContext ctx = new MapContext();
        for (String entry : FixtureValues.splitTopLevel(body.substring(1, body.length() - 1))) {
            int colon = entry.indexOf(':');
            String key = entry.substring(0, colon).strip();
            Object value = FixtureValues.parse(entry.substring(colon + 1));
            if (key.startsWith("\"")) {
                ctx.columns.put(key.substring(1, key.length() - 1), value);
            } else if (key.startsWith("before.")) {
                ctx.before.put(key.substring("before.".length()), value);
            } else if (key.startsWith("$")) {
                ctx.meta.put(key.substring(1), value);
            } else {
                ctx.columns.put(key, value);
            }
        }
        return ctx;
    }

    @Override
    public boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    @Override
    public Object column(String name) {
        return columns.get(name);
    }

    @Override
    public boolean hasBefore(String name) {
        return before.containsKey(name);
    }

    @Override
    public Object before(String name) {
        return before.get(name);
    }

    @Override
    public Object meta(String name) {
        return meta.get(name);
    }

    @Override
    public Collection<String> columnNames() {
        return columns.keySet();
    }
}
