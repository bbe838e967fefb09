package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * A checkpoint's own quantization_config: the format its linear weights ship in and the modules it
 * leaves in 16 bits (Meta's FP8 Llama-3.1-405B keeps attention and some MLPs in BF16; gpt-oss keeps
 * attention and router). Patterns are module-name prefixes; {@code *} matches one path segment.
 */
public record CheckpointQuantization(String method, Precision weights, List<String> modulesNotConverted) {
    public CheckpointQuantization {
        modulesNotConverted = List.copyOf(modulesNotConverted);
    }

    public boolean keepsHighPrecision(String tensorName) {
        for (String pattern : modulesNotConverted) {
            if (matches(pattern, tensorName)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(String pattern, String name) {
        String[] p = pattern.split("\\.");
        String[] n = name.split("\\.");
        if (p.length > n.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(n[i])) {
                return false;
            }
        }
        return true;
    }
}
