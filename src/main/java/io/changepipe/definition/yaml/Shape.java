package io.changepipe.definition.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML object with a fixed key set: unknown keys are problems (with "did you mean"), required keys must be there,
 * every value is checked by its type, then cross-key checks run and, when nothing was wrong inside, the record is built.
 */
public final class Shape<T> implements ValueType<T> {

    private final String id;
    private final String description;
    private final List<Key<?>> keys;
    private final Function<Values, T> build;
    private final List<Consumer<Values>> checks = new ArrayList<>();

    public Shape(String id, String description, List<Key<?>> keys, Function<Values, T> build) {
        this.id = id;
        this.description = description;
        this.keys = List.copyOf(keys);
        this.build = build;
    }

    /** Adds a cross-key check; it runs even when some keys were invalid, so it must use {@link Values#has}. */
    public Shape<T> check(Consumer<Values> check) {
        checks.add(check);
        return this;
    }

    public String id() {
        return id;
    }

    public List<Key<?>> keys() {
        return keys;
    }

    @Override
    public String expected() {
        return "an object";
    }

    @Override
    public T read(Node node, String path, YamlReader reader) {
        if (!(node instanceof MappingNode mapping)) {
            reader.problem(path, "must be an object (was " + YamlReader.describe(node) + ")");
            return null;
        }
        int before = reader.problemCount();
        Values values = new Values(path, reader);
        Map<String, Node> present = entries(mapping, path, reader);
        for (Key<?> key : keys) {
            Node value = present.get(key.name());
            if (value == null) {
                if (key.required()) {
                    reader.problem(path, "missing required key '" + key.name() + "'");
                }
                continue;
            }
            values.written(key);
            Object v = key.type().read(value, values.path(key), reader);
            if (v != null) {
                values.put(key, v);
            }
        }
        checks.forEach(c -> c.accept(values));
        return reader.problemCount() == before ? build.apply(values) : null;
    }

    private Map<String, Node> entries(MappingNode mapping, String path, YamlReader reader) {
        Map<String, Node> present = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        List<String> names = keys.stream().map(Key::name).toList();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                reader.problem(path, "keys must be plain text (was " + YamlReader.describe(t.getKeyNode()) + ")");
                continue;
            }
            String name = k.getValue();
            String at = path.isEmpty() ? name : path + "." + name;
            if (present.containsKey(name)) {
                reader.problem(at, "duplicate key (first at line " + lines.get(name) + ")");
                continue;
            }
            lines.put(name, YamlReader.line(t.getKeyNode()));
            if (!names.contains(name)) {
                reader.problem(at, "unknown key; " + Suggest.allowed(name, names, "allowed keys"));
                continue;
            }
            present.put(name, t.getValueNode());
        }
        return present;
    }

    @Override
    public Map<String, Object> schema(SchemaDefs defs) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("description", description);
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Key<?> key : keys) {
            Map<String, Object> p = new LinkedHashMap<>(key.type().schema(defs));
            if (p.containsKey("$ref")) {
                p = new LinkedHashMap<>(Map.of("allOf", List.of(p)));
            }
            p.put("description", key.description());
            Object dflt = key.defaultValue() == null ? null : Types.schemaValue(key.defaultValue());
            if (dflt != null) {
                p.put("default", dflt);
            }
            props.put(key.name(), p);
            if (key.required()) {
                required.add(key.name());
            }
        }
        s.put("properties", props);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }
}
