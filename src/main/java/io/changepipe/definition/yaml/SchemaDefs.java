package io.changepipe.definition.yaml;

import java.util.LinkedHashMap;
import java.util.Map;

/** The named object shapes collected while writing the JSON Schema ({@code definitions}). */
public final class SchemaDefs {

    private final Map<String, Map<String, Object>> defs = new LinkedHashMap<>();

    /** A {@code $ref} to the shape, writing its definition the first time it is seen. */
    public Map<String, Object> ref(Shape<?> shape) {
        if (!defs.containsKey(shape.id())) {
            defs.put(shape.id(), Map.of());
            defs.put(shape.id(), shape.schema(this));
        }
        return Map.of("$ref", "#/definitions/" + shape.id());
    }

    public Map<String, Map<String, Object>> all() {
        return defs;
    }
}
