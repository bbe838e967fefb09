package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads from a JSON object whose errors name the file and the field, for users' own files. */
public final class Json {
    private final Map<String, Object> root;
    private final String file;

    private Json(Map<String, Object> root, String file) {
        this.root = root;
        this.file = file;
    }

    /** Parses a JSON object; anything else (an array, a bare value, broken text) is one clear error naming the file. */
    @SuppressWarnings("unchecked")
    public static Json parse(String text, String file) {
        Object v = JsonParser.parse(text, file);
        if (!(v instanceof Map)) {
            throw new InvalidInputException(file + ": expected a JSON object");
        }
        return new Json((Map<String, Object>) v, file);
    }

    public String file() {
        return file;
    }

    public Map<String, Object> fields() {
        return root;
    }

    public boolean has(String field) {
        return root.get(field) != null;
    }

    public Object raw(String field) {
        return root.get(field);
    }

    @SuppressWarnings("unchecked")
    public Json child(String field) {
        Object n = root.get(field);
        if (!(n instanceof Map)) {
            throw wrong(field, "an object");
        }
        return new Json((Map<String, Object>) n, file + " > " + field);
    }

    public String text(String field) {
        Object n = root.get(field);
        if (!(n instanceof String s) || s.isBlank()) {
            throw wrong(field, "a text value");
        }
        return s;
    }

    public String text(String field, String otherwise) {
        return has(field) ? text(field) : otherwise;
    }

    public long longValue(String field) {
        Object n = root.get(field);
        if (n instanceof Long l) {
            return l;
        }
        if (n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
            return d.longValue();
        }
        throw wrong(field, "a whole number");
    }

    public int positiveInt(String field) {
        long v = longValue(field);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(file + ": field '" + field + "' = " + v + " must be a positive whole number below 2^31");
        }
        return (int) v;
    }

    public int positiveInt(String field, int otherwise) {
        return has(field) ? positiveInt(field) : otherwise;
    }

    public int nonNegativeInt(String field, int otherwise) {
        if (!has(field)) {
            return otherwise;
        }
        long v = longValue(field);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(file + ": field '" + field + "' = " + v + " must be zero or a positive whole number below 2^31");
        }
        return (int) v;
    }

    public double number(String field) {
        Object n = root.get(field);
        if (n instanceof Number num) {
            return num.doubleValue();
        }
        throw wrong(field, "a number");
    }

    public double positiveDouble(String field) {
        double v = number(field);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(file + ": field '" + field + "' = " + v + " must be a positive number");
        }
        return v;
    }

    public boolean bool(String field, boolean otherwise) {
        Object n = root.get(field);
        if (n == null) {
            return otherwise;
        }
        if (!(n instanceof Boolean b)) {
            throw wrong(field, "true or false");
        }
        return b;
    }

    /** A list of texts (or an empty list when absent). */
    public List<String> texts(String field) {
        Object n = root.get(field);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof List<?> list)) {
            throw wrong(field, "a list");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** A list of objects (or an empty list when absent), each naming its place in errors ("file > field[3]"). */
    @SuppressWarnings("unchecked")
    public List<Json> objects(String field) {
        Object n = root.get(field);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof List<?> list)) {
            throw wrong(field, "a list of objects");
        }
        List<Json> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map)) {
                throw wrong(field, "a list of objects");
            }
            out.add(new Json((Map<String, Object>) list.get(i), file + " > " + field + "[" + i + "]"));
        }
        return out;
    }

    /** A list of whole numbers (or an empty list when absent). */
    public List<Long> longs(String field) {
        Object n = root.get(field);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof List<?> list)) {
            throw wrong(field, "a list of whole numbers");
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long l)) {
                throw wrong(field, "a list of whole numbers");
            }
            out.add(l);
        }
        return out;
    }

    private InvalidInputException wrong(String field, String expected) {
        Object n = root.get(field);
        String state = n == null ? "is missing" : "is " + describe(n) + ", not " + expected;
        return new InvalidInputException(file + ": field '" + field + "' " + state + " (expected " + expected + ")");
    }

    private static String describe(Object n) {
        if (n instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (n instanceof Map) {
            return "an object";
        }
        if (n instanceof List) {
            return "a list";
        }
        return String.valueOf(n);
    }
}
