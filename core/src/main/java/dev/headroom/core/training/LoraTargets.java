package dev.headroom.core.training;

import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The weight matrices LoRA adapts, by the role names PEFT and torchtune use: q, k, v, o (attention projections;
 * for latent attention q is the query path and k, v the shared key/value path), gate, up, down (dense and expert
 * MLP projections, every routed and shared expert included), lm_head (the output projection), or all-linear
 * (PEFT's "all-linear": every linear layer of the decoder layers, routers and recurrent mixers' projections
 * included, the output layer excluded).
 */
public record LoraTargets(Set<Target> targets, boolean allLinear) {
    public enum Target {
        Q("q"), K("k"), V("v"), O("o"), GATE("gate"), UP("up"), DOWN("down"), LM_HEAD("lm_head");

        private final String key;

        Target(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** PEFT's all-linear: what the QLoRA paper adapts ("LoRA on all linear transformer block layers"). */
    public static final LoraTargets ALL_LINEAR = new LoraTargets(EnumSet.noneOf(Target.class), true);

    public LoraTargets {
        targets = targets.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(targets));
        if (targets.isEmpty() && !allLinear) {
            throw InvalidInputException.field("lora targets", "(none)", "name at least one of " + String.join(", ", names()));
        }
    }

    public static LoraTargets of(Target... targets) {
        return new LoraTargets(Set.of(targets), false);
    }

    /**
     * "q,v", "q;k;v;o", "all-linear", module names ("q_proj,v_proj", "gate_proj") or torchtune's
     * ("output" for lm_head, "mlp" for gate, up and down).
     */
    public static LoraTargets parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.missing(field, "give all-linear or a list of " + String.join(", ", names()));
        }
        List<String> words = List.of(text.trim().toLowerCase(Locale.ROOT).split("\\s*[,;|]\\s*"));
        if (words.size() == 1 && (words.get(0).equals("all-linear") || words.get(0).equals("all"))) {
            return ALL_LINEAR;
        }
        EnumSet<Target> out = EnumSet.noneOf(Target.class);
        boolean all = false;
        for (String w : words) {
            String k = w.replaceFirst("_proj$", "");
            if (k.equals("output") || k.equals("head")) {
                k = "lm_head";
            }
            switch (k) {
                case "all-linear", "all" -> all = true;
                case "mlp" -> out.addAll(List.of(Target.GATE, Target.UP, Target.DOWN));
                case "qkv" -> out.addAll(List.of(Target.Q, Target.K, Target.V));
                default -> {
                    Target t = null;
                    for (Target c : Target.values()) {
                        if (c.key.equals(k)) {
                            t = c;
                        }
                    }
                    if (t == null) {
                        List<String> valid = new ArrayList<>(names());
                        valid.add("all-linear");
                        throw InvalidInputException.unknown(field, w, valid);
                    }
                    out.add(t);
                }
            }
        }
        return new LoraTargets(out, all);
    }

    public static List<String> names() {
        return java.util.Arrays.stream(Target.values()).map(Target::key).toList();
    }

    /** Whether a matrix with this role name ("q", "kv", "gate", "router", "other", "lm_head") is adapted. */
    boolean adapts(String role) {
        if (role.equals("lm_head")) {
            return targets.contains(Target.LM_HEAD);
        }
        if (allLinear) {
            return true;
        }
        return switch (role) {
            case "q" -> targets.contains(Target.Q);
            case "k" -> targets.contains(Target.K);
            case "v" -> targets.contains(Target.V);
            case "kv" -> targets.contains(Target.K) || targets.contains(Target.V);
            case "o" -> targets.contains(Target.O);
            case "gate" -> targets.contains(Target.GATE);
            case "up" -> targets.contains(Target.UP);
            case "down" -> targets.contains(Target.DOWN);
            default -> false;
        };
    }

    @Override
    public String toString() {
        String listed = targets.stream().sorted().map(Target::key).collect(Collectors.joining(","));
        if (allLinear) {
            return listed.isEmpty() ? "all-linear" : "all-linear," + listed;
        }
        return listed;
    }
}
