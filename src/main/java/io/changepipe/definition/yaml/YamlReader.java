package io.changepipe.definition.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reading state for one file: where problems go, and how {@code ${env:NAME}} / {@code ${file:/path}} references
 * resolve. With {@code resolveReferences} off (the {@code validate} default, where secrets are absent), a
 * reference that does not resolve is a note, not a problem.
 */
public final class YamlReader {

    static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");

    private final String file;
    private final UnaryOperator<String> env;
    private final boolean resolveReferences;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> notes = new ArrayList<>();
    private int unresolved;

    public YamlReader(String file, UnaryOperator<String> env, boolean resolveReferences) {
        this.file = file;
        this.env = env;
        this.resolveReferences = resolveReferences;
    }

    public String file() {
        return file;
    }

    public void problem(String path, String message) {
        problems.add(new Problem(file, path, message));
    }

    public List<Problem> problems() {
        return problems;
    }

    public List<Problem> notes() {
        return notes;
    }

    public int problemCount() {
        return problems.size() + unresolved;
    }

    /** The text of a scalar with references resolved, or {@code null} after a problem (or an unresolved note). */
    public String scalar(Node node, String path, ValueType<?> type) {
        if (!(node instanceof ScalarNode s) || node.getTag().equals(Tag.NULL)) {
            problem(path, "must be " + type.expected() + " (was " + describe(node) + ")");
            return null;
        }
        return resolve(s.getValue(), path);
    }

    /** Whether the raw text contains a reference (such values are never echoed back in messages). */
    static boolean hasReference(String raw) {
        return REFERENCE.matcher(raw).find();
    }

    String resolve(String raw, String path) {
        Matcher m = REFERENCE.matcher(raw);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = lookup(m.group(1), m.group(2), m.group(), path);
            ok &= value != null;
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    private String lookup(String scheme, String body, String whole, String path) {
        String name = body;
        String fallback = null;
        int dflt = body.indexOf(":-");
        if (dflt >= 0) {
            name = body.substring(0, dflt);
            fallback = body.substring(dflt + 2);
        }
        if (name.isBlank()) {
            problem(path, "reference " + whole + " names nothing; write ${env:NAME} or ${file:/path}");
            return null;
        }
        String value;
        String why;
        if (scheme.equals("env")) {
            value = env.apply(name);
            why = "environment variable " + name + " is not set";
        } else {
            value = readFile(name);
            why = "file " + name + " cannot be read";
        }
        if (value == null) {
            value = fallback;
        }
        if (value == null) {
            if (resolveReferences) {
                problem(path, "unresolved reference " + whole + ": " + why);
            } else {
                unresolved++;
                notes.add(new Problem(file, path, "not resolved here: " + whole + " (" + why + "); it must resolve when the pipeline runs"));
            }
        }
        return value;
    }

    private static String readFile(String name) {
        try {
            String text = Files.readString(Path.of(name));
            // mounted Kubernetes secrets and `echo > file` end with a newline that is not part of the secret
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "an object";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node.getTag().equals(Tag.NULL)) {
            return "empty";
        }
        String v = ((ScalarNode) node).getValue();
        return v.isEmpty() ? "empty text" : v.replace("\n", "\\n");
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
