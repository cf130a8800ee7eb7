package io.changepipe.definition.yaml;

import io.changepipe.definition.DataSize;
import io.changepipe.definition.Durations;
import io.changepipe.definition.Secret;
import io.changepipe.definition.WireName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** The value types pipeline files use. Each reads, checks and describes itself for the JSON Schema. */
public final class Types {

    /** Any scalar may be a ${env:NAME} or ${file:/path} reference, numbers and booleans included. */
    static final Map<String, Object> REFERENCE_SCHEMA = Map.of("type", "string", "pattern", "\\$\\{(env|file):[^}]+\\}");

    private Types() {
    }

    /** A scalar read from its text; {@code parse} throws IllegalArgumentException with the reason. */
    public static <T> ValueType<T> scalar(String expected, Function<String, T> parse, Map<String, Object> schema) {
        return new ValueType<>() {
            @Override
            public T read(Node node, String path, YamlReader reader) {
                String text = reader.scalar(node, path, this);
                if (text == null) {
                    return null;
                }
                try {
                    return parse.apply(text);
                } catch (IllegalArgumentException e) {
                    reader.problem(path, (e.getMessage() == null ? "must be " + expected : e.getMessage())
                            + " (was " + YamlReader.describe(node) + ")");
                    return null;
                }
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return schema;
            }

            @Override
            public String expected() {
                return expected;
            }
        };
    }

    public static ValueType<String> text() {
        return scalar("text", t -> {
            if (t.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return t;
        }, Map.of("type", "string", "minLength", 1));
    }

    /** Text that may be empty (a CSV null value, a suffix). */
    public static ValueType<String> anyText() {
        ValueType<String> text = scalar("text", t -> t, Map.of("type", "string"));
        return new ValueType<>() {
            @Override
            public String read(Node node, String path, YamlReader reader) {
                // YAML reads NULL, null, ~ and nothing as null; here they are the text the user wrote
                if (node instanceof ScalarNode s && node.getTag().equals(Tag.NULL)) {
                    return s.getValue();
                }
                return text.read(node, path, reader);
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("type", List.of("string", "null"));
            }

            @Override
            public String expected() {
                return "text";
            }
        };
    }

    /** Text matching {@code regex}; {@code rule} says what is allowed in words. */
    public static ValueType<String> text(String regex, String rule) {
        Pattern p = Pattern.compile(regex);
        return scalar("text", t -> {
            if (!p.matcher(t).matches()) {
                throw new IllegalArgumentException("must be " + rule);
            }
            return t;
        }, Map.of("type", "string", "pattern", "^(?:" + regex + ")$"));
    }

    /** A secret: only a {@code ${env:NAME}} or {@code ${file:/path}} reference, never the secret itself. */
    public static ValueType<Secret> secret() {
        return new ValueType<>() {
            @Override
            public Secret read(Node node, String path, YamlReader reader) {
                if (node instanceof ScalarNode s && !YamlReader.hasReference(s.getValue())) {
                    reader.problem(path, "must be a ${env:NAME} or ${file:/path} reference, not the secret itself");
                    return null;
                }
                String value = reader.scalar(node, path, this);
                return value == null ? null : new Secret(value, ((ScalarNode) node).getValue());
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("type", "string", "pattern", "\\$\\{(env|file):[^}]+\\}");
            }

            @Override
            public String expected() {
                return "a ${env:NAME} or ${file:/path} reference";
            }
        };
    }

    public static ValueType<Integer> integer(int min, int max) {
        return number("a whole number", min, max, Math::toIntExact);
    }

    public static ValueType<Long> longInteger(long min, long max) {
        return number("a whole number", min, max, n -> n);
    }

    private static <N> ValueType<N> number(String expected, long min, long max, Function<Long, N> cast) {
        ValueType<Long> raw = scalar(expected, t -> {
            long n;
            try {
                n = Long.parseLong(t.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be " + expected);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return n;
        }, Map.of());
        return new ValueType<>() {
            @Override
            public N read(Node node, String path, YamlReader reader) {
                if (node instanceof ScalarNode s && node.getTag().equals(Tag.STR) && !YamlReader.hasReference(s.getValue())) {
                    reader.problem(path, "must be " + expected + " without quotes (was '" + s.getValue() + "')");
                    return null;
                }
                Long n = raw.read(node, path, reader);
                return n == null ? null : cast.apply(n);
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("anyOf", List.of(Map.of("type", "integer", "minimum", min, "maximum", max), REFERENCE_SCHEMA));
            }

            @Override
            public String expected() {
                return expected;
            }
        };
    }

    public static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            public Boolean read(Node node, String path, YamlReader reader) {
                String text = reader.scalar(node, path, this);
                if (text == null) {
                    return null;
                }
                if (node.getTag().equals(Tag.BOOL) || text.equals("true") || text.equals("false")) {
                    return Boolean.parseBoolean(text) || text.equalsIgnoreCase("yes") || text.equalsIgnoreCase("on")
                            || text.equalsIgnoreCase("y");
                }
                reader.problem(path, "must be true or false (was " + YamlReader.describe(node) + ")");
                return null;
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("anyOf", List.of(Map.of("type", "boolean"), REFERENCE_SCHEMA));
            }

            @Override
            public String expected() {
                return "true or false";
            }
        };
    }

    /** One of an enum's wire names, e.g. {@code full-load-and-cdc}. */
    public static <E extends Enum<E> & WireName> ValueType<E> choice(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(WireName::wireName).toList();
        return scalar("one of: " + String.join(", ", names), t -> {
            for (E e : type.getEnumConstants()) {
                if (e.wireName().equals(t)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(Suggest.allowed(t, names, "must be one of"));
        }, Map.of("type", "string", "enum", names));
    }

    /** A duration between {@code min} and {@code max}, written {@code 250ms}, {@code 60s}, {@code 5m}, {@code 1h}. */
    public static ValueType<Duration> duration(Duration min, Duration max) {
        String range = max.compareTo(Duration.ofHours(1)) <= 0 && max.toMillis() % 1000 == 0 && min.toMillis() % 1000 == 0
                ? "between " + min.toSeconds() + "s and " + max.toSeconds() + "s"
                : "between " + Durations.format(min) + " and " + Durations.format(max);
        return scalar("a duration like 60s", t -> {
            Duration d;
            try {
                d = Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a duration like 500ms, 60s, 5m or 1h");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be " + range);
            }
            return d;
        }, Map.of("type", "string", "pattern", "^(\\d+(ms|s|m|h|d))+$|^P", "description", range));
    }

    /** A size between {@code min} and {@code max}, written {@code 512KiB}, {@code 5MiB}, {@code 1MB} or bytes. */
    public static ValueType<DataSize> size(DataSize min, DataSize max) {
        String range = "between " + min + " and " + max;
        return scalar("a size like 5MiB", t -> {
            DataSize s;
            try {
                s = DataSize.parse(t);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("must be a size like 512KiB, 5MiB or 1048576");
            }
            if (s.compareTo(min) < 0 || s.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be " + range);
            }
            return s;
        }, Map.of("oneOf", List.of(Map.of("type", "integer", "minimum", min.bytes(), "maximum", max.bytes()),
                Map.of("type", "string", "pattern", "^\\d+\\s*([KMGkmg]i?[Bb]|[Bb])?$")), "description", range));
    }

    public static <T> ValueType<List<T>> list(ValueType<T> item, int minItems) {
        return new ValueType<>() {
            @Override
            public List<T> read(Node node, String path, YamlReader reader) {
                if (!(node instanceof SequenceNode seq)) {
                    reader.problem(path, "must be a list (was " + YamlReader.describe(node) + ")");
                    return null;
                }
                if (seq.getValue().size() < minItems) {
                    reader.problem(path, "must have at least " + minItems + (minItems == 1 ? " entry" : " entries"));
                    return null;
                }
                int before = reader.problemCount();
                List<T> out = new ArrayList<>();
                for (int i = 0; i < seq.getValue().size(); i++) {
                    T v = item.read(seq.getValue().get(i), path + "[" + i + "]", reader);
                    out.add(v);
                }
                return reader.problemCount() == before ? List.copyOf(out) : null;
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("type", "array");
                s.put("items", item.schema(defs));
                if (minItems > 0) {
                    s.put("minItems", minItems);
                }
                return s;
            }

            @Override
            public String expected() {
                return "a list";
            }
        };
    }

    /** Free-form text labels (Kubernetes-style metadata). */
    public static ValueType<Map<String, String>> labels() {
        ValueType<String> value = anyText();
        return new ValueType<>() {
            @Override
            public Map<String, String> read(Node node, String path, YamlReader reader) {
                if (!(node instanceof MappingNode m)) {
                    reader.problem(path, "must be an object of text values (was " + YamlReader.describe(node) + ")");
                    return null;
                }
                Map<String, String> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    String k = ((ScalarNode) t.getKeyNode()).getValue();
                    String v = value.read(t.getValueNode(), path + "." + k, reader);
                    if (v != null) {
                        out.put(k, v);
                    }
                }
                return out;
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("type", "object", "additionalProperties", Map.of("type", "string"));
            }

            @Override
            public String expected() {
                return "an object of text values";
            }
        };
    }

    /** An object whose shape is chosen by one key's value, e.g. a sink by its {@code type}. */
    public static <T> ValueType<T> variants(String discriminator, List<Variant<T>> variants) {
        Map<String, Shape<? extends T>> shapes = new LinkedHashMap<>();
        variants.forEach(v -> shapes.put(v.name(), v.shape()));
        List<String> names = List.copyOf(shapes.keySet());
        return new ValueType<>() {
            @Override
            public T read(Node node, String path, YamlReader reader) {
                if (!(node instanceof MappingNode m)) {
                    reader.problem(path, "must be an object (was " + YamlReader.describe(node) + ")");
                    return null;
                }
                Node kind = m.getValue().stream()
                        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(discriminator))
                        .map(NodeTuple::getValueNode).findFirst().orElse(null);
                if (kind == null) {
                    reader.problem(path, "missing required key '" + discriminator + "' (one of: " + String.join(", ", names) + ")");
                    return null;
                }
                String name = kind instanceof ScalarNode s ? s.getValue() : "";
                Shape<? extends T> shape = shapes.get(name);
                if (shape == null) {
                    reader.problem(path + "." + discriminator, "unknown " + discriminator + " '" + name + "'; "
                            + Suggest.allowed(name, names, "must be one of"));
                    return null;
                }
                return shape.read(node, path, reader);
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("oneOf", shapes.values().stream().map(defs::ref).toList());
            }

            @Override
            public String expected() {
                return "an object";
            }
        };
    }

    /** One kind of a {@link #variants} object: the discriminator value and its shape. */
    public record Variant<T>(String name, Shape<? extends T> shape) {
    }

    /** The constant discriminator value of one variant ({@code type: kinesis}). */
    public static ValueType<String> constant(String value) {
        return scalar("'" + value + "'", t -> t, Map.of("const", value));
    }

    /** A scalar form or an object form of the same thing (e.g. {@code start: current} or {@code start: {gtidSet: ...}}). */
    public static <T> ValueType<T> scalarOrObject(ValueType<? extends T> scalar, ValueType<? extends T> object) {
        return new ValueType<>() {
            @Override
            public T read(Node node, String path, YamlReader reader) {
                return node instanceof MappingNode ? object.read(node, path, reader) : scalar.read(node, path, reader);
            }

            @Override
            public Map<String, Object> schema(SchemaDefs defs) {
                return Map.of("oneOf", List.of(scalar.schema(defs), object.schema(defs)));
            }

            @Override
            public String expected() {
                return scalar.expected() + " or an object";
            }
        };
    }

    /** Text checked by {@code check}, which returns an error message or null. */
    public static ValueType<String> checked(String expected, Function<String, String> check) {
        return scalar(expected, t -> {
            String error = check.apply(t);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
            return t;
        }, Map.of("type", "string", "minLength", 1));
    }

    /** How a default value is written in the JSON Schema. */
    static Object schemaValue(Object v) {
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof WireName w) {
            return w.wireName();
        }
        if (v instanceof DataSize s) {
            return s.toString();
        }
        // object defaults (a whole batch or message block) are described by their own keys' defaults
        return v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof List ? v : null;
    }
}
