package io.changepipe.definition.yaml;

import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** How one YAML value is read and checked, and how it is described in the JSON Schema. */
public interface ValueType<T> {

    /** The value, or {@code null} after reporting a problem at {@code path}. */
    T read(Node node, String path, YamlReader reader);

    /** This type as a JSON Schema fragment; object types register themselves in {@code defs}. */
    Map<String, Object> schema(SchemaDefs defs);

    /** A short phrase for messages, e.g. "a duration like 60s". */
    String expected();
}
