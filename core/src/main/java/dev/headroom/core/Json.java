package dev.headroom.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Typed reads from a JSON file whose errors name the file and the field, for users' own files. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode root;
    private final String file;

    private Json(JsonNode root, String file) {
        this.root = root;
        this.file = file;
    }

    static Json parse(String text, String file) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(file + ": expected a JSON object");
            }
            return new Json(node, file);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")");
        }
    }

    JsonNode node() {
        return root;
    }

    String file() {
        return file;
    }

    boolean has(String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    Json child(String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isObject()) {
            throw missing(field, "an object");
        }
        return new Json(n, file + " > " + field);
    }

    String text(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull() || !n.isTextual() || n.asText().isBlank()) {
            throw missing(field, "a text value");
        }
        return n.asText();
    }

    String text(String field, String otherwise) {
        return has(field) ? text(field) : otherwise;
    }

    long longValue(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull() || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw missing(field, "a whole number");
        }
        return n.asLong();
    }

    int positiveInt(String field) {
        long v = longValue(field);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(file + ": field '" + field + "' = " + v + " must be a positive whole number");
        }
        return (int) v;
    }

    int positiveInt(String field, int otherwise) {
        return has(field) ? positiveInt(field) : otherwise;
    }

    double positiveDouble(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull() || !n.isNumber()) {
            throw missing(field, "a number");
        }
        double v = n.asDouble();
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(file + ": field '" + field + "' = " + v + " must be a positive number");
        }
        return v;
    }

    boolean bool(String field, boolean otherwise) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return otherwise;
        }
        if (!n.isBoolean()) {
            throw missing(field, "true or false");
        }
        return n.asBoolean();
    }

    private InvalidInputException missing(String field, String expected) {
        JsonNode n = root.get(field);
        String state = n == null || n.isNull() ? "is missing" : "is " + n + ", not " + expected;
        return new InvalidInputException(file + ": field '" + field + "' " + state + " (expected " + expected + ")");
    }
}
