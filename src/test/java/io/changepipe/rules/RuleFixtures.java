package io.changepipe.rules;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.definition.yaml.Problem;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads rule fixtures: YAML with typed scalars ({@code !decimal 1.50}, {@code !date 2020-01-01},
 * {@code !datetime '2020-01-01 10:00:00'}, {@code !instant 2020-01-01T00:00:00Z}, {@code !time 10:00:00},
 * {@code !bigint 18446744073709551615}, {@code !bytes 00ff}); plain integers are Longs. Mappings are parsed by the
 * project's own pipeline parser, embedded into a minimal pipeline document.
 */
final class RuleFixtures {

    private RuleFixtures() {
    }

    /** The parser's problems, as one message (a case may expect them as its error). */
    static final class ParseFailure extends RuntimeException {
        ParseFailure(String message) {
            super(message);
        }
    }

    static Map<String, Object> load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return new Yaml(new TypedConstructor()).load(r);
        }
    }

    /** Parses DMS mappings (a map as loaded from the fixture) with {@link PipelineParser}. */
    static TableMappingDef mappings(Object mappings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "changepipe.io/v1");
        doc.put("kind", "Pipeline");
        doc.put("metadata", Map.of("name", "rules-fixture"));
        Map<String, Object> spec = new LinkedHashMap<>();
        // full-load-and-cdc, not cdc: the parser rightly refuses view rules in a cdc-only pipeline
        spec.put("source", Map.of("type", "mysql", "migrationType", "full-load-and-cdc",
                "connection", Map.of("host", "h", "user", "u", "password", "${env:P}")));
        spec.put("tableMappings", mappings);
        spec.put("sinks", List.of(Map.of("name", "s", "type", "kinesis", "stream", "x")));
        doc.put("spec", spec);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String text = new Yaml(options).dump(doc);
        PipelineParser.FileResult r = new PipelineParser(n -> "P".equals(n) ? "p" : null, true).parse("fixture.yaml", Path.of("."), text);
        if (!r.valid()) {
            throw new ParseFailure(r.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        PipelineDef p = r.pipelines().get(0);
        return p.tableMappings();
    }

    @SuppressWarnings("unchecked")
    static ChangeEvent event(Map<String, Object> e) {
        Op op = Op.valueOf(((String) e.getOrDefault("op", "insert")).toUpperCase());
        TableId table = new TableId((String) e.get("schema"), (String) e.get("table"));
        Row after = row((Map<String, Object>) e.get("after"));
        Row before = row((Map<String, Object>) e.get("before"));
        List<String> key = (List<String>) e.getOrDefault("primaryKey", List.of());
        String position = (String) e.get("position");
        SourcePosition pos = position == null ? new SourcePosition.Sequence(1) : SourcePosition.parse("binlog", position);
        return new ChangeEvent(op, table, after, before, key, (Instant) e.get("commitTimestamp"), (String) e.get("transactionId"),
                1, null, 0, pos, null);
    }

    static Row row(Map<String, Object> values) {
        if (values == null) {
            return null;
        }
        List<String> names = new ArrayList<>(values.keySet());
        Object[] v = values.values().stream().map(RuleFixtures::value).toArray();
        return new Row(Columns.of(names), v);
    }

    /** A fixture value: Integer becomes Long, a nested mapping a LinkedHashMap of such values (a document). */
    static Object value(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> doc = new LinkedHashMap<>();
            m.forEach((k, x) -> doc.put((String) k, value(x)));
            return doc;
        }
        if (v instanceof java.util.Date) {
            throw new IllegalArgumentException("plain YAML date " + v + ": write !date, !datetime or quote it");
        }
        return v;
    }

    /**
     * A row as text with each value's type, so 1 (Long) and 1 (String) or 1.0 and 1.00 never compare equal; documents
     * (maps) are described the same way, field by field, in order.
     */
    static String describe(Row row) {
        return row == null ? "null" : describe(row.asMap());
    }

    private static String describe(Map<?, ?> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((name, v) -> parts.add(name + "=" + describeValue(v)));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String describeValue(Object v) {
        if (v == null) {
            return "null";
        }
        String text = v instanceof byte[] b ? HexFormat.of().formatHex(b) : v instanceof Map<?, ?> m ? describe(m) : String.valueOf(v);
        return text + " <" + v.getClass().getSimpleName() + ">";
    }

    private static final class TypedConstructor extends SafeConstructor {
        TypedConstructor() {
            super(new LoaderOptions());
            tag("!decimal", BigDecimal::new);
            tag("!date", LocalDate::parse);
            tag("!datetime", s -> LocalDateTime.parse(s.replace(' ', 'T')));
            tag("!instant", Instant::parse);
            tag("!time", LocalTime::parse);
            tag("!bigint", BigInteger::new);
            tag("!bytes", s -> HexFormat.of().parseHex(s));
        }

        private void tag(String name, Function<String, Object> parse) {
            yamlConstructors.put(new Tag(name), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return parse.apply(((ScalarNode) node).getValue());
                }
            });
        }
    }
}
