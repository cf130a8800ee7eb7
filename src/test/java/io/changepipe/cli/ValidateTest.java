package io.changepipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidateTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int validate(String... args) {
        return new Validate(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                name -> null).run(args);
    }

    List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theRepositoryPipelinesAreValidWithoutSecretsAtHand() {
        assertEquals(0, validate("pipelines"));
        assertEquals(List.of(
                "note: invoices.yaml: spec.source.connection.password: not resolved here: ${env:CDC_DB_PASSWORD} (environment variable CDC_DB_PASSWORD is not set); it must resolve when the pipeline runs",
                "invoices.yaml: ok (1 pipeline)",
                "1 file(s) valid"), lines());
    }

    @Test
    void resolveTurnsUnresolvedReferencesIntoProblems() {
        assertEquals(1, validate("pipelines", "--resolve"));
        assertEquals(List.of(
                "invoices.yaml: spec.source.connection.password: unresolved reference ${env:CDC_DB_PASSWORD}: environment variable CDC_DB_PASSWORD is not set",
                "1 problem(s) in 1 of 1 file(s)"), lines());
    }

    @Test
    void aBrokenFileGetsEveryProblemAndExitsNonZero() {
        assertEquals(1, validate("src/test/resources/pipelines/bad/many-problems-at-once.yaml"));
        List<String> lines = lines();
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("many-problems-at-once.yaml: metadata.name: must be lower-case"));
        assertTrue(lines.get(4).startsWith("note: many-problems-at-once.yaml: spec.source.connection.password: not resolved here"));
        assertEquals("4 problem(s) in 1 of 1 file(s)", lines.get(5));
    }

    @Test
    void aMissingTargetIsReported() {
        assertEquals(2, validate());
        assertEquals(1, validate("no/such/file.yaml"));
        assertTrue(lines().get(0).startsWith("file.yaml: cannot be read: "), lines().get(0));
    }
}
