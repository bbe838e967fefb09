package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the model and GPU names that measurement sources use into catalog entries: first as written (catalog
 * ids, Hugging Face repos and aliases), then without the decorations sources add (instruct/chat suffixes,
 * annotations in parentheses). Readings that equate two different releases are listed here with their reason.
 */
final class SourceNames {
    /** Source name -> catalog id, for names whose architecture equals a catalog entry's. */
    private static final Map<String, String> SAME_ARCHITECTURE = Map.of(
            "llama-7b", "llama-2-7b",                               // LLaMA-1 7B: same shapes as Llama-2-7B (6.74B params)
            "codellama-7b", "llama-2-7b",                           // differs only in vocab 32016 vs 32000 and rope base
            "llama-2-7b-class (smoothquant int8)", "llama-2-7b",
            // "Llama-3.x": Llama 3 and 3.1 share every shape and the vocabulary; 3.1 differs in its 131,072-token context
            "llama-3.x-8b", "llama-3.1-8b",
            "llama-3.x-70b", "llama-3.1-70b");

    private SourceNames() {}

    static Optional<ModelProfile> model(String sourceName) {
        for (String candidate : modelReadings(sourceName)) {
            try {
                return Optional.of(Catalog.profile(candidate));
            } catch (InvalidInputException notInCatalog) {
                // try the next reading
            }
        }
        return Optional.empty();
    }

    private static List<String> modelReadings(String sourceName) {
        String name = sourceName.trim().toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        out.add(SAME_ARCHITECTURE.getOrDefault(name, name));
        String bare = name.replaceAll("\\s*\\(.*\\)\\s*$", "");
        out.add(bare);
        String base = bare.contains("/") ? bare.substring(bare.indexOf('/') + 1) : bare;
        out.add(base);
        for (String suffix : List.of("-instruct", "-chat", "-it", "-hf", "-base")) {
            if (base.endsWith(suffix)) {
                out.add(base.substring(0, base.length() - suffix.length()));
            }
            out.add(base.replace(suffix + "-", "-"));
        }
        if (base.startsWith("meta-")) {
            out.add(base.substring("meta-".length()));
        }
        // Quantized checkpoints name their format ("-FP8", "-NVFP4-v2", "-FP8-dynamic", "-AWQ"); the row's dtype column
        // carries it, and the architecture is the unquantized model's.
        String unquantized = base.replaceAll("-(fp8|fp4|nvfp4|mxfp4|int4|int8|awq|gptq)(-[a-z0-9]+)*$", "");
        if (!unquantized.equals(base)) {
            out.addAll(modelReadings(unquantized));
        }
        return out;
    }

    /**
     * A GPU as sources name it: "H100-80GB-SXM", "M3-Max-40c-64GB", "A100(80GB implied)", "RTX-4070-Ti-12GB". The
     * memory size a name states is the machine's: a catalog entry listed with another size is read at the stated one.
     */
    static Optional<Gpu> gpu(String sourceName) {
        String name = sourceName.trim().replace("?", "");
        String bare = name.replaceAll("\\s*\\(.*\\)\\s*$", "");
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d+)\\s*GB", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(name);
        Integer statedGb = size.find() ? Integer.valueOf(size.group(1)) : null;
        String sized = statedGb != null && !bare.contains(statedGb + "GB") ? bare + "-" + statedGb + "GB" : bare;
        String sizeless = bare.replaceAll("(?i)-?\\d+\\s*GB", "").replaceAll("--+", "-").replaceAll("-$", "");
        List<String> readings = new ArrayList<>(List.of(name, sized, bare, name.replace(' ', '-'), sizeless, sizeless.replace('-', ' ')));
        if (sizeless.matches("(?i)M\\d.*")) {
            readings.add("apple-" + sizeless); // Apple silicon: "M3-Max-40c" -> apple-m3-max
            readings.add("apple-" + sizeless.replaceAll("(?i)-\\d+c$", ""));
        }
        for (String candidate : readings) {
            try {
                Gpu g = Catalog.gpu(candidate);
                return Optional.of(statedGb == null ? g : atStatedMemory(g, statedGb));
            } catch (InvalidInputException notInCatalog) {
                // try the next reading
            }
        }
        return Optional.empty();
    }

    /** The entry at the memory size the source names, when that differs from the catalog's by more than rounding. */
    private static Gpu atStatedMemory(Gpu g, int statedGb) {
        long stated = (long) statedGb << 30;
        double ratio = (double) stated / g.memoryBytes();
        return ratio > 0.9 && ratio < 1.1 ? g : g.withMemory(stated);
    }
}
