package io.changepipe.definition.yaml;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The checked values of one YAML object, by key; what a shape's builder and cross-checks read. */
public final class Values {

    private final String path;
    private final YamlReader reader;
    private final Map<Key<?>, Object> values = new HashMap<>();
    private final java.util.Set<Key<?>> written = new java.util.HashSet<>();

    Values(String path, YamlReader reader) {
        this.path = path;
        this.reader = reader;
    }

    void put(Key<?> key, Object value) {
        values.put(key, value);
    }

    void written(Key<?> key) {
        written.add(key);
    }

    /** Whether the file has this key at all, valid or not. */
    public boolean isWritten(Key<?> key) {
        return written.contains(key);
    }

    /** Whether the file set this key to a valid value. */
    public boolean has(Key<?> key) {
        return values.containsKey(key);
    }

    /** The value, or the key's default when the file left it out. */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return values.containsKey(key) ? (T) values.get(key) : key.defaultValue();
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> optional(Key<T> key) {
        return Optional.ofNullable(values.containsKey(key) ? (T) values.get(key) : key.defaultValue());
    }

    /** The path of this object, e.g. {@code spec.sinks[1]}. */
    public String path() {
        return path;
    }

    public String path(Key<?> key) {
        return path.isEmpty() ? key.name() : path + "." + key.name();
    }

    /** Reports a problem with one key of this object. */
    public void problem(Key<?> key, String message) {
        reader.problem(path(key), message);
    }

    /** Reports a problem with this object as a whole. */
    public void problem(String message) {
        reader.problem(path, message);
    }

    public YamlReader reader() {
        return reader;
    }
}
