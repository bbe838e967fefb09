package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A checkpoint's own quantization_config: the format its linear weights ship in and the modules it leaves in
 * 16 bits (Meta's FP8 Llama-3.1-405B keeps attention and some MLPs in BF16; gpt-oss keeps attention and router).
 *
 * <p>Module patterns are written as the quantizers write them: a module name matches itself and every tensor
 * under it; {@code *} is a wildcard that may span dots (ModelOpt's fnmatch patterns such as
 * {@code model.layers.0.self_attn*}); {@code re:} starts a regular expression matched from the start of the
 * name (compressed-tensors' {@code re:.*self_attn.*}). Exact names are looked up, not scanned: a mixed
 * checkpoint lists thousands of modules.
 */
public final class CheckpointQuantization {
    private final String method;
    private final Precision weights;
    private final List<String> modulesNotConverted;
    private final Map<String, Precision> moduleFormats;
    private final boolean listsEveryQuantized;
    private final Patterns kept;
    private final Map<String, Precision> exactFormats = new HashMap<>();
    private final Map<Wildcard, Precision> wildcardFormats = new LinkedHashMap<>();

    /**
     * @param weights             the checkpoint's headline format: what "load it as shipped" means
     * @param modulesNotConverted patterns of modules kept in 16 bits
     * @param moduleFormats       patterns of modules with their own format (ModelOpt MIXED_PRECISION's
     *                            quantized_layers); they win over the headline format and the role defaults
     * @param listsEveryQuantized true when moduleFormats names every quantized module (MIXED_PRECISION), so a
     *                            linear weight it does not list ships in 16 bits
     */
    public CheckpointQuantization(String method, Precision weights, List<String> modulesNotConverted,
                                  Map<String, Precision> moduleFormats, boolean listsEveryQuantized) {
        this.method = method;
        this.weights = weights;
        this.modulesNotConverted = List.copyOf(modulesNotConverted);
        this.moduleFormats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(moduleFormats));
        this.listsEveryQuantized = listsEveryQuantized;
        this.kept = new Patterns(this.modulesNotConverted);
        moduleFormats.forEach((pattern, format) -> {
            if (isExact(pattern)) {
                exactFormats.put(pattern, format);
            } else {
                wildcardFormats.put(Wildcard.of(pattern), format);
            }
        });
    }

    /** One format for every linear weight but the listed 16-bit modules. */
    public CheckpointQuantization(String method, Precision weights, List<String> modulesNotConverted) {
        this(method, weights, modulesNotConverted, Map.of(), false);
    }

    public String method() {
        return method;
    }

    public Precision weights() {
        return weights;
    }

    public List<String> modulesNotConverted() {
        return modulesNotConverted;
    }

    public Map<String, Precision> moduleFormats() {
        return moduleFormats;
    }

    public boolean listsEveryQuantized() {
        return listsEveryQuantized;
    }

    public boolean keepsHighPrecision(String tensorName) {
        return kept.matchesAny(tensorName);
    }

    /** The format the checkpoint states for this tensor's module, if it states one. */
    public Optional<Precision> formatOf(String tensorName) {
        for (String candidate : moduleAndParents(tensorName)) {
            Precision p = exactFormats.get(candidate);
            if (p != null) {
                return Optional.of(p);
            }
        }
        for (Map.Entry<Wildcard, Precision> e : wildcardFormats.entrySet()) {
            if (e.getKey().matches(tensorName)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code pattern} names the module {@code name} belongs to (or {@code name} itself). */
    public static boolean matches(String pattern, String name) {
        return new Patterns(List.of(pattern)).matchesAny(name);
    }

    @Override
    public String toString() {
        return method + " (" + weights.name() + ", " + modulesNotConverted.size() + " modules kept 16-bit, "
                + moduleFormats.size() + " with their own format)";
    }

    private static boolean isExact(String pattern) {
        return !pattern.startsWith("re:") && !pattern.contains("*");
    }

    /** A pattern with a wildcard: a regular expression ("re:") or a glob whose {@code *} may span dots. */
    private record Wildcard(Pattern pattern, boolean regex) {
        static Wildcard of(String text) {
            if (text.startsWith("re:")) {
                return new Wildcard(Pattern.compile(text.substring(3)), true);
            }
            StringBuilder b = new StringBuilder();
            for (String part : text.split("\\*", -1)) {
                if (b.length() > 0) {
                    b.append(".*");
                }
                b.append(Pattern.quote(part));
            }
            return new Wildcard(Pattern.compile(b.toString()), false);
        }

        /** A regular expression matches from the start of the name (Python's re.match); a glob names a module. */
        boolean matches(String name) {
            if (regex) {
                return pattern.matcher(name).lookingAt();
            }
            for (String candidate : moduleAndParents(name)) {
                if (pattern.matcher(candidate).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** "a.b.c" -> "a", "a.b", "a.b.c": the tensor and every module above it. */
    private static List<String> moduleAndParents(String name) {
        List<String> out = new ArrayList<>();
        int dot = name.indexOf('.');
        while (dot >= 0) {
            out.add(name.substring(0, dot));
            dot = name.indexOf('.', dot + 1);
        }
        out.add(name);
        return out;
    }

    /** A list of patterns split into exact names (looked up) and wildcards (scanned). */
    private static final class Patterns {
        private final java.util.Set<String> exact = new java.util.HashSet<>();
        private final List<Wildcard> wildcards = new ArrayList<>();

        Patterns(List<String> patterns) {
            for (String p : patterns) {
                if (isExact(p)) {
                    exact.add(p);
                } else {
                    wildcards.add(Wildcard.of(p));
                }
            }
        }

        boolean matchesAny(String name) {
            for (String candidate : moduleAndParents(name)) {
                if (exact.contains(candidate)) {
                    return true;
                }
            }
            for (Wildcard w : wildcards) {
                if (w.matches(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
