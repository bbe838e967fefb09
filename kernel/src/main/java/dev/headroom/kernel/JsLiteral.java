package dev.headroom.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;

/**
 * Reads the JavaScript object literals tablesaw-jsplot generates ({@code var trace0 = {x: [...], type: 'scatter',}})
 * as JSON: unquoted and quoted keys, single- or double-quoted strings, trailing commas, comments.
 * NaN, Infinity and undefined become null (JSON has no such numbers). Anything else, such as a
 * function or a variable reference, is refused with {@link IllegalArgumentException}.
 */
final class JsLiteral {
    private final String text;
    private int at;

    private JsLiteral(String text, int at) {
        this.text = text;
        this.at = at;
    }

    /** Parses {@code var name = <literal>;} (or a bare literal) into JSON. */
    static JsonElement parseDeclaration(String javascript) {
        String body = javascript.strip();
        if (body.startsWith("var ") || body.startsWith("let ") || body.startsWith("const ")) {
            int equals = body.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("no '=' in declaration: " + abbreviate(body));
            }
            body = body.substring(equals + 1);
        }
        JsLiteral parser = new JsLiteral(body, 0);
        JsonElement value = parser.value();
        parser.skipSpace();
        if (parser.at < body.length() && body.charAt(parser.at) == ';') {
            parser.at++;
        }
        parser.skipSpace();
        if (parser.at != body.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    private JsonElement value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(at);
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '\'' || c == '"') {
            return new JsonPrimitive(string());
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            return number();
        }
        String word = identifier();
        return switch (word) {
            case "true" -> new JsonPrimitive(true);
            case "false" -> new JsonPrimitive(false);
            case "null", "undefined", "NaN", "Infinity" -> JsonNull.INSTANCE;
            default -> throw error("not a literal: '" + word + "'");
        };
    }

    private JsonObject object() {
        JsonObject object = new JsonObject();
        at++;
        while (true) {
            skipSpace();
            if (peek('}')) {
                at++;
                return object;
            }
            char c = text.charAt(at);
            String key = c == '\'' || c == '"' ? string() : Character.isDigit(c) ? number().getAsString() : identifier();
            skipSpace();
            expect(':');
            object.add(key, value());
            skipSpace();
            if (peek(',')) {
                at++;
            } else if (!peek('}')) {
                throw error("expected ',' or '}'");
            }
        }
    }

    private JsonArray array() {
        JsonArray array = new JsonArray();
        at++;
        while (true) {
            skipSpace();
            if (peek(']')) {
                at++;
                return array;
            }
            array.add(value());
            skipSpace();
            if (peek(',')) {
                at++;
            } else if (!peek(']')) {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        char quote = text.charAt(at++);
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("bad \\u escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                case '\n' -> { } // line continuation
                default -> out.append(escaped);
            }
        }
        throw error("unterminated string");
    }

    private JsonElement number() {
        int start = at;
        if (peek('-') || peek('+')) {
            at++;
        }
        if (text.startsWith("Infinity", at)) {
            at += "Infinity".length();
            return JsonNull.INSTANCE;
        }
        while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String literal = text.substring(start, at);
        try {
            return new JsonPrimitive(new BigDecimal(literal.startsWith("+") ? literal.substring(1) : literal));
        } catch (NumberFormatException e) {
            throw error("bad number '" + literal + "'");
        }
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && (Character.isJavaIdentifierPart(text.charAt(at)))) {
            at++;
        }
        if (start == at) {
            throw error("unexpected character '" + text.charAt(at) + "'");
        }
        return text.substring(start, at);
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (text.startsWith("//", at)) {
                int end = text.indexOf('\n', at);
                at = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", at)) {
                int end = text.indexOf("*/", at + 2);
                at = end < 0 ? text.length() : end + 2;
            } else {
                return;
            }
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at offset " + at + " in: " + abbreviate(text.substring(Math.max(0, at - 40))));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
