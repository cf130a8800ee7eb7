package io.changepipe.definition.yaml;

import static io.changepipe.definition.yaml.PipelineShapes.API_VERSION_V1;
import static io.changepipe.definition.yaml.PipelineShapes.MESSAGE;
import static io.changepipe.definition.yaml.PipelineShapes.NAME_REGEX;
import static io.changepipe.definition.yaml.PipelineShapes.NAME_RULE;
import static io.changepipe.definition.yaml.PipelineShapes.PARTITION_KEY;
import static io.changepipe.definition.yaml.PipelineShapes.SINKS;
import static io.changepipe.definition.yaml.PipelineShapes.SOURCE;
import static io.changepipe.definition.yaml.PipelineShapes.TABLE_MAPPINGS;
import static io.changepipe.definition.yaml.PipelineShapes.TABLE_MAPPINGS_FILE;

import io.changepipe.definition.MigrationType;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.Selection;
import io.changepipe.definition.TableMappingDef.TableType;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.definition.TableMappingDef.Transformation;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads pipeline files into {@link PipelineDef}s, reporting every problem of every file at once. */
public final class PipelineParser {

    /** What one file gave: its pipelines when it is valid, else its problems; notes never fail a file. */
    public record FileResult(String file, int documents, List<PipelineDef> pipelines, List<Problem> problems, List<Problem> notes) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final UnaryOperator<String> env;
    private final boolean resolveReferences;

    /**
     * @param env how {@code ${env:NAME}} is looked up ({@code System::getenv} in production)
     * @param resolveReferences false for {@code validate} without secrets: unresolved references become notes
     */
    public PipelineParser(UnaryOperator<String> env, boolean resolveReferences) {
        this.env = env;
        this.resolveReferences = resolveReferences;
    }

    /** Every {@code *.yaml}/{@code *.yml} in {@code dir} (not hidden, not below), in name order, with names checked across files. */
    public List<FileResult> parseDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(PipelineParser::isPipelineFile).sorted().toList();
        }
        List<FileResult> results = new ArrayList<>();
        for (Path f : files) {
            results.add(parseFile(f, dir.relativize(f).toString()));
        }
        return checkNamesAcrossFiles(results);
    }

    static boolean isPipelineFile(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
    }

    public FileResult parseFile(Path file, String displayName) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new FileResult(displayName, 0, List.of(), List.of(new Problem(displayName, "", "cannot be read: " + e.getMessage())), List.of());
        }
        return parse(displayName, file.toAbsolutePath().getParent(), text);
    }

    /** Parses one file's text; {@code baseDir} resolves {@code tableMappingsFile}. */
    public FileResult parse(String file, Path baseDir, String text) {
        YamlReader reader = new YamlReader(file, env, resolveReferences);
        List<Node> documents = new ArrayList<>();
        try {
            for (Node n : yaml().composeAll(new StringReader(text))) {
                if (n != null) {
                    documents.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            reader.problem("line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1),
                    "YAML syntax error: " + e.getProblem() + (e.getContext() != null ? " (" + e.getContext() + ")" : ""));
            return result(reader, 0, List.of());
        } catch (YAMLException e) {
            reader.problem("", "YAML error: " + e.getMessage());
            return result(reader, 0, List.of());
        }
        if (documents.isEmpty()) {
            reader.problem("", "is empty; expected a document with apiVersion: " + API_VERSION_V1 + " and kind: Pipeline");
        }
        List<PipelineDef> pipelines = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            String root = documents.size() == 1 ? "" : "document[" + i + "]";
            PipelineDef p = document(file, baseDir).read(documents.get(i), root, reader);
            if (p != null) {
                pipelines.add(p);
            }
        }
        return result(reader, documents.size(), pipelines);
    }

    private static FileResult result(YamlReader reader, int documents, List<PipelineDef> pipelines) {
        boolean ok = reader.problems().isEmpty() && reader.problemCount() == 0;
        return new FileResult(reader.file(), documents, ok ? List.copyOf(pipelines) : List.of(), List.copyOf(reader.problems()),
                List.copyOf(reader.notes()));
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(4 * 1024 * 1024);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    // ---- the document: apiVersion, kind, metadata, spec

    static final Key<String> API_VERSION = Key.required("apiVersion", Types.text("changepipe\\.io/v1", "changepipe.io/v1"), "changepipe.io/v1");
    static final Key<String> KIND = Key.required("kind", Types.text("Pipeline", "Pipeline"), "Pipeline");
    static final Key<String> NAME = Key.required("name", Types.text(NAME_REGEX, NAME_RULE), "Unique pipeline name");
    static final Key<Map<String, String>> LABELS = Key.optional("labels", Types.labels(), Map.of(), "Labels");
    static final Key<Map<String, String>> ANNOTATIONS = Key.optional("annotations", Types.labels(), Map.of(), "Annotations");
    static final Shape<Metadata> METADATA_SHAPE = new Shape<>("metadata", "Name and labels",
            List.of(NAME, LABELS, ANNOTATIONS), v -> new Metadata(v.get(NAME), v.get(LABELS)));
    static final Key<Metadata> METADATA = Key.required("metadata", METADATA_SHAPE, "Name and labels");

    record Metadata(String name, Map<String, String> labels) {
    }

    record Spec(io.changepipe.definition.SourceDef source, TableMappingDef mappings, io.changepipe.definition.PartitionKeyDef partitionKey,
            io.changepipe.definition.MessageDef message, List<SinkDef> sinks) {
    }

    /** The document shape for one file; {@code tableMappingsFile} resolves against {@code baseDir}. */
    Shape<PipelineDef> document(String file, Path baseDir) {
        Key<TableMappingDef> mappingsFile = Key.optional(TABLE_MAPPINGS_FILE.name(), new MappingsFileType(baseDir), TABLE_MAPPINGS_FILE.description());
        Shape<Spec> spec = new Shape<>("spec", "What the pipeline reads, how it shapes records, and where it writes them",
                List.of(SOURCE, TABLE_MAPPINGS, mappingsFile, PARTITION_KEY, MESSAGE, SINKS),
                v -> new Spec(v.get(SOURCE), v.has(TABLE_MAPPINGS) ? v.get(TABLE_MAPPINGS) : v.get(mappingsFile), v.get(PARTITION_KEY),
                        v.get(MESSAGE), v.get(SINKS)))
                .check(v -> checkSpec(v, mappingsFile));
        Key<Spec> specKey = Key.required("spec", spec, "The pipeline");
        return new Shape<>("pipeline", "A changepipe pipeline", List.of(API_VERSION, KIND, METADATA, specKey),
                v -> {
                    Spec s = v.get(specKey);
                    Metadata m = v.get(METADATA);
                    return new PipelineDef(m.name(), file, m.labels(), s.source(), s.mappings(), s.partitionKey(), s.message(), s.sinks());
                });
    }

    /** The schema's view of the document (the mappings-file key described without a base directory). */
    static Shape<PipelineDef> schemaDocument() {
        return new PipelineParser(n -> null, false).document("", Path.of("."));
    }

    private static void checkSpec(Values v, Key<TableMappingDef> mappingsFile) {
        if (v.isWritten(TABLE_MAPPINGS) == v.isWritten(mappingsFile)) {
            v.problem("needs exactly one of tableMappings and tableMappingsFile");
        }
        List<SinkDef> sinks = v.get(SINKS);
        if (sinks != null) {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < sinks.size(); i++) {
                Integer first = seen.putIfAbsent(sinks.get(i).name(), i);
                if (first != null) {
                    v.reader().problem(v.path(SINKS) + "[" + i + "].name", "'" + sinks.get(i).name() + "' is already the name of sinks[" + first + "]");
                }
            }
        }
        TableMappingDef mappings = v.has(TABLE_MAPPINGS) ? v.get(TABLE_MAPPINGS) : v.get(mappingsFile);
        Key<?> mappingsKey = v.has(TABLE_MAPPINGS) ? TABLE_MAPPINGS : mappingsFile;
        if (mappings == null) {
            return;
        }
        boolean beforeImageColumns = mappings.rules(Transformation.class).stream().anyMatch(t -> t.action() == TransformAction.ADD_BEFORE_IMAGE_COLUMNS);
        if (beforeImageColumns && v.has(MESSAGE) && v.get(MESSAGE).beforeImage().enabled()) {
            v.reader().problem(v.path(MESSAGE) + ".beforeImage.enabled",
                    "cannot be combined with an add-before-image-columns rule (DMS allows one of the two)");
        }
        if (v.has(SOURCE) && v.get(SOURCE).migrationType() == MigrationType.CDC) {
            List<TableMappingDef.Rule> rules = mappings.rules();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) instanceof Selection s && s.locator().tableType() == TableType.VIEW) {
                    v.reader().problem(v.path(mappingsKey) + ".rules[" + i + "]",
                            "can never match: views are read only in full load and migrationType is cdc");
                }
            }
        }
    }

    /** {@code tableMappingsFile}: a DMS mapping JSON (or YAML) next to the pipeline file; its problems name that file. */
    private final class MappingsFileType implements ValueType<TableMappingDef> {
        private final Path baseDir;

        MappingsFileType(Path baseDir) {
            this.baseDir = baseDir;
        }

        @Override
        public TableMappingDef read(Node node, String path, YamlReader reader) {
            String name = reader.scalar(node, path, this);
            if (name == null) {
                return null;
            }
            Path f = baseDir.resolve(name).normalize();
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                reader.problem(path, "cannot read " + name + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
            YamlReader inner = new YamlReader(name, env, resolveReferences);
            TableMappingDef def = null;
            try {
                def = TableMappingShapes.MAPPINGS.read(yaml().compose(new StringReader(text)), "", inner);
            } catch (MarkedYAMLException e) {
                inner.problem("line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1),
                        "syntax error: " + e.getProblem());
            }
            inner.problems().forEach(p -> reader.problem(path, p.toString()));
            return inner.problems().isEmpty() ? def : null;
        }

        @Override
        public Map<String, Object> schema(SchemaDefs defs) {
            return Map.of("type", "string", "minLength", 1);
        }

        @Override
        public String expected() {
            return "a file name";
        }
    }

    private static List<FileResult> checkNamesAcrossFiles(List<FileResult> results) {
        Map<String, String> owner = new LinkedHashMap<>();
        List<FileResult> out = new ArrayList<>();
        for (FileResult r : results) {
            List<Problem> problems = new ArrayList<>(r.problems());
            for (PipelineDef p : r.pipelines()) {
                String first = owner.putIfAbsent(p.name(), r.file());
                if (first != null) {
                    problems.add(new Problem(r.file(), "metadata.name", "pipeline name '" + p.name() + "' is already used by " + first));
                }
            }
            out.add(problems.size() == r.problems().size() ? r
                    : new FileResult(r.file(), r.documents(), List.of(), List.copyOf(problems), r.notes()));
        }
        return out;
    }
}
