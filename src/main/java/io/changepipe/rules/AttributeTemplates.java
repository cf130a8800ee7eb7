package io.changepipe.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.changepipe.rules.AttributeTemplate.Constant;
import io.changepipe.rules.AttributeTemplate.Document;
import io.changepipe.rules.AttributeTemplate.Field;
import io.changepipe.rules.AttributeTemplate.Reference;
import io.changepipe.rules.AttributeTemplate.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses object-mapping attribute values into {@link AttributeTemplate}s; problems are IllegalArgumentExceptions. */
final class AttributeTemplates {

    private static final Pattern REFERENCE = Pattern.compile("\\s*\\$\\{([^}]*)}\\s*,?");
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private AttributeTemplates() {
    }

    /** A scalar string value: a bare {@code ${col}} is a {@link Reference}, anything else {@link Text}. */
    static AttributeTemplate text(String value) {
        List<String> literals = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = value.indexOf("${", from);
            if (open < 0) {
                literals.add(value.substring(from));
                break;
            }
            int close = value.indexOf('}', open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'${' at position " + (open + 1) + " is never closed");
            }
            String name = value.substring(open + 2, close);
            if (name.isBlank()) {
                throw new IllegalArgumentException("'${}' at position " + (open + 1) + " names no column");
            }
            literals.add(value.substring(from, open));
            columns.add(name);
            from = close + 1;
        }
        if (columns.size() == 1 && literals.get(0).isEmpty() && literals.get(1).isEmpty()) {
            return new Reference(columns.get(0));
        }
        return new Text(literals, columns);
    }

    /**
     * A document value: a JSON object whose string values are {@link #text} templates and whose numbers, booleans and
     * nulls are constants ({@code {"Home": {"Phone": "${homephone}"}}}), or a list of references ({@code ${a}, ${b}})
     * that makes the flat document {@code {"a": .., "b": ..}} keyed by the names as written.
     */
    static Document document(String value) {
        String v = value.strip();
        if (v.startsWith("{")) {
            return json(v);
        }
        Matcher m = REFERENCE.matcher(v);
        List<Field> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int end = 0;
        while (end < v.length() && m.region(end, v.length()).lookingAt()) {
            String name = m.group(1);
            if (name.isBlank()) {
                throw new IllegalArgumentException("'${}' names no column");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("${" + name + "} appears twice");
            }
            fields.add(new Field(name, new Reference(name)));
            end = m.end();
        }
        if (fields.isEmpty() || end < v.length()) {
            throw new IllegalArgumentException("a document value is a JSON object whose string values may use ${column} "
                    + "(e.g. {\"Home\": {\"Phone\": \"${homephone}\"}}) or a list of ${column} references (e.g. "
                    + "'${a}, ${b}'), not '" + value + "'");
        }
        return new Document(fields);
    }

    private static Document json(String value) {
        try (JsonParser p = JSON.createParser(value)) {
            p.nextToken();
            Document d = object(p, "");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the document's closing '}'");
            }
            return d;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the document is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document object(JsonParser p, String path) throws IOException {
        List<Field> fields = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            AttributeTemplate v = switch (p.nextToken()) {
                case START_OBJECT -> object(p, path + name + ".");
                case START_ARRAY -> throw new IllegalArgumentException("document field " + path + name
                        + " is an array; only objects, text, numbers, booleans and null are supported");
                case VALUE_STRING -> text(p.getText());
                case VALUE_NUMBER_INT -> new Constant(p.getNumberValue() instanceof BigInteger b ? b : p.getLongValue());
                case VALUE_NUMBER_FLOAT -> new Constant(p.getDecimalValue());
                case VALUE_TRUE, VALUE_FALSE -> new Constant(p.getBooleanValue());
                default -> new Constant(null);
            };
            fields.add(new Field(name, v));
        }
        return new Document(fields);
    }
}
