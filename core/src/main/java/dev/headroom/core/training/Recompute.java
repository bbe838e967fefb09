package dev.headroom.core.training;

import java.util.List;

/**
 * Activation recomputation (Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models",
 * arXiv 2205.05198): keep every activation; drop the attention core (softmax, its dropout, the score matrix —
 * the terms that grow with sequence squared) and recompute it; or keep only each layer's input and recompute the
 * whole layer in the backward pass.
 */
public enum Recompute {
    NONE("none"), SELECTIVE("selective"), FULL("full");

    private final String key;

    Recompute(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Recompute parse(String text, String field) {
        return Keys.parse(values(), Recompute::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Recompute::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
