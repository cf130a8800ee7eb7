package io.changepipe.cli;

import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.definition.yaml.PipelineParser.FileResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** {@code validate}: every problem of every file, one per line; exit 0 only when all files are valid. */
public final class Validate {

    private final PrintStream out;
    private final PrintStream err;
    private final UnaryOperator<String> env;

    public Validate(PrintStream out, PrintStream err, UnaryOperator<String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(String... args) {
        boolean resolve = List.of(args).contains("--resolve");
        List<String> targets = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        if (targets.isEmpty()) {
            err.println("validate: name a pipeline file or directory");
            return 2;
        }
        PipelineParser parser = new PipelineParser(env, resolve);
        List<FileResult> results = new ArrayList<>();
        for (String t : targets) {
            Path p = Path.of(t);
            try {
                if (Files.isDirectory(p)) {
                    results.addAll(parser.parseDirectory(p));
                } else {
                    results.add(parser.parseFile(p, p.getFileName().toString()));
                }
            } catch (IOException e) {
                err.println(t + ": cannot be read: " + e.getMessage());
                return 2;
            }
        }
        int problems = 0;
        for (FileResult r : results) {
            r.problems().forEach(out::println);
            r.notes().forEach(n -> out.println("note: " + n));
            problems += r.problems().size();
            if (r.valid()) {
                out.println(r.file() + ": ok (" + r.documents() + (r.documents() == 1 ? " pipeline)" : " pipelines)"));
            }
        }
        if (results.isEmpty()) {
            out.println("no pipeline files (*.yaml, *.yml) found");
            return 1;
        }
        long bad = results.stream().filter(r -> !r.valid()).count();
        out.println(bad == 0 ? results.size() + " file(s) valid"
                : problems + " problem(s) in " + bad + " of " + results.size() + " file(s)");
        return bad == 0 ? 0 : 1;
    }
}
