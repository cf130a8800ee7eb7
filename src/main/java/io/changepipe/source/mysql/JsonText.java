package io.changepipe.source.mysql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * MySQL's JSON type as text. The binlog holds MySQL's binary JSON and SELECT prints it with spaces; both are parsed
 * and written compactly so the two paths give the same string. (MariaDB's JSON is LONGTEXT: its text is kept as is.)
 */
final class JsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {
    }

    static String fromBinary(byte[] binary) {
        if (binary.length == 0) {
            return "null";
        }
        try {
            return canonical(JsonBinary.parseAsString(binary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a binary JSON value: " + e.getMessage(), e);
        }
    }

    static String canonical(String json) {
        try {
            return MAPPER.writeValueAsString(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
