package io.changepipe.definition.yaml;

/** One thing wrong with a pipeline file, with its place: {@code invoices.yaml: spec.sinks[1].buffer.size: ...}. */
public record Problem(String file, String path, String message) {

    @Override
    public String toString() {
        return file + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
