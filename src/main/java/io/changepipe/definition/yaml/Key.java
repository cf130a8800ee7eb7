package io.changepipe.definition.yaml;

/** One key of a YAML object, declared once: its name, type, whether it must be there, its default and what it means. */
public record Key<T>(String name, ValueType<T> type, boolean required, T defaultValue, String description) {

    public static <T> Key<T> required(String name, ValueType<T> type, String description) {
        return new Key<>(name, type, true, null, description);
    }

    public static <T> Key<T> optional(String name, ValueType<T> type, T defaultValue, String description) {
        return new Key<>(name, type, false, defaultValue, description);
    }

    public static <T> Key<T> optional(String name, ValueType<T> type, String description) {
        return new Key<>(name, type, false, null, description);
    }
}
