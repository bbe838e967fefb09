package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.CheckpointQuantization;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.PatternSyntaxException;

/**
 * A checkpoint's quantization as it ships: config.json's quantization_config (at the top, or under text_config
 * for multimodal configs), else ModelOpt's hf_quant_config.json, which catalog entries keep verbatim under
 * {@code hf_quant_config}. Module names in the lists are rewritten to this project's tensor names: a
 * multimodal checkpoint's language_model prefix is dropped, one expert of a fused expert block stands for the
 * block, and a family may map its own names (Nemotron-H's backbone.layers.N.mixer).
 */
final class QuantizationReader {
    private static final List<String> QUANT_METHODS = List.of("fp8", "fbgemm_fp8", "mxfp4", "awq", "gptq", "bitsandbytes",
            "compressed-tensors", "modelopt");
    /** ModelOpt quant_algo names of the formats a mixed checkpoint may list per module. */
    private static final Map<String, Precision> MODELOPT_FORMATS = Map.of("FP8", Precision.FP8, "NVFP4", Precision.NVFP4,
            "W4A16_NVFP4", Precision.NVFP4, "W4A8_NVFP4_FP8", Precision.NVFP4, "MXFP4", Precision.MXFP4);

    private QuantizationReader() {}

    static CheckpointQuantization read(Json top, Json text, UnaryOperator<String> familyNames) {
        Json q;
        if (top.has("quantization_config")) {
            q = top.child("quantization_config");
        } else if (text != top && text.has("quantization_config")) {
            q = text.child("quantization_config");
        } else if (top.has("hf_quant_config")) {
            q = top.child("hf_quant_config").child("quantization");
            return modelOpt(q, "modelopt", familyNames);
        } else {
            return null;
        }
        String method = q.text("quant_method");
        if (method.equals("modelopt")) {
            return modelOpt(q, method, familyNames);
        }
        Precision weights = switch (method) {
            case "fp8", "fbgemm_fp8" -> Precision.FP8;
            case "mxfp4" -> Precision.MXFP4;
            case "awq", "gptq" -> switch ((int) q.longValue("bits")) {
                case 4 -> Precision.int4(q.has("group_size") && q.longValue("group_size") > 0 ? q.positiveInt("group_size") : 128);
                case 8 -> Precision.INT8;
                default -> throw new InvalidInputException(q.file() + ": field 'bits' = " + q.longValue("bits") + " — supported: 4, 8");
            };
            case "bitsandbytes" -> q.bool("load_in_4bit", false)
                    ? (q.bool("bnb_4bit_use_double_quant", false) ? Precision.NF4 : Precision.NF4_SINGLE) : Precision.BNB_INT8;
            case "compressed-tensors" -> compressedTensors(q);
            default -> throw InvalidInputException.unknown("quant_method in " + q.file(), method, QUANT_METHODS);
        };
        return build(q, method, weights, keptModules(q), Map.of(), false, familyNames);
    }

    /**
     * ModelOpt checkpoints: one quant_algo (FP8, NVFP4) with exclude_modules / ignore, or MIXED_PRECISION with
     * quantized_layers naming every quantized module and its own algorithm (the unlisted ones stay 16-bit, as
     * vLLM's mixed-precision ModelOpt config reads them). A mixed checkpoint's headline format is the narrowest one
     * it lists, the one its repository is named after.
     */
    private static CheckpointQuantization modelOpt(Json q, String method, UnaryOperator<String> familyNames) {
        String algo = q.text("quant_algo").toUpperCase(Locale.ROOT);
        if (!algo.equals("MIXED_PRECISION")) {
            Precision weights = MODELOPT_FORMATS.get(algo);
            if (weights == null) {
                throw InvalidInputException.unknown("quant_algo in " + q.file(), algo, MODELOPT_FORMATS.keySet());
            }
            return build(q, method, weights, keptModules(q), Map.of(), false, familyNames);
        }
        Json layers = q.child("quantized_layers");
        Map<String, Precision> formats = new LinkedHashMap<>();
        Precision narrowest = null;
        for (String module : layers.fields().keySet()) {
            String layerAlgo = layers.child(module).text("quant_algo").toUpperCase(Locale.ROOT);
            Precision p = MODELOPT_FORMATS.get(layerAlgo);
            if (p == null) {
                throw InvalidInputException.unknown("quant_algo of " + module + " in " + q.file(), layerAlgo, MODELOPT_FORMATS.keySet());
            }
            formats.put(module, p);
            if (narrowest == null || p.bytesFor(1 << 20) < narrowest.bytesFor(1 << 20)) {
                narrowest = p;
            }
        }
        if (narrowest == null) {
            throw new InvalidInputException(q.file() + ": quant_algo MIXED_PRECISION lists no quantized_layers");
        }
        return build(q, "modelopt-mixed", narrowest, keptModules(q), formats, true, familyNames);
    }

    private static List<String> keptModules(Json q) {
        List<String> kept = new ArrayList<>();
        for (String field : List.of("modules_to_not_convert", "ignored_layers", "ignore", "exclude_modules")) {
            kept.addAll(q.texts(field));
        }
        return kept;
    }

    private static CheckpointQuantization build(Json q, String method, Precision weights, List<String> kept,
                                                Map<String, Precision> formats, boolean listsEveryQuantized,
                                                UnaryOperator<String> familyNames) {
        List<String> keptNames = new ArrayList<>();
        kept.forEach(m -> keptNames.add(tensorName(m, familyNames)));
        Map<String, Precision> formatNames = new LinkedHashMap<>();
        formats.forEach((m, p) -> formatNames.put(tensorName(m, familyNames), p));
        try {
            return new CheckpointQuantization(method, weights, keptNames, formatNames, listsEveryQuantized);
        } catch (PatternSyntaxException e) {
            throw new InvalidInputException(q.file() + ": a module pattern is not a valid regular expression: " + e.getPattern());
        }
    }

    /** A checkpoint's module name as this project names the tensor. */
    static String tensorName(String module, UnaryOperator<String> familyNames) {
        if (module.startsWith("re:")) {
            return module;
        }
        String name = module;
        for (String prefix : List.of("model.language_model.", "language_model.model.")) {
            if (name.startsWith(prefix)) {
                name = "model." + name.substring(prefix.length());
            }
        }
        if (name.startsWith("language_model.")) {
            name = name.substring("language_model.".length());
        }
        name = familyNames.apply(name);
        // One expert of a fused block ("mlp.experts.17.up_proj", "experts.3.w1") stands for the block's tensor.
        return name.replaceFirst("\\.experts\\.\\d+\\.[A-Za-z0-9_]+$", ".experts");
    }

    /** llm-compressor / ModelOpt checkpoints: FP8 (W8A8), NVFP4, MXFP4 or int4 weight-only, read from quant_algo or the format. */
    private static Precision compressedTensors(Json q) {
        String algo = q.text("quant_algo", q.text("format", "")).toLowerCase(Locale.ROOT);
        if (algo.contains("mxfp4")) {
            return Precision.MXFP4;
        }
        if (algo.contains("nvfp4") || algo.contains("fp4")) {
            return Precision.NVFP4;
        }
        if (algo.contains("fp8") || algo.contains("float-quantized")) {
            return Precision.FP8;
        }
        if (algo.contains("int4") || algo.contains("pack-quantized") || algo.contains("w4a16")) {
            Json weights = firstWeightsGroup(q);
            int group = weights != null && weights.has("group_size") ? weights.positiveInt("group_size") : 128;
            // compressed-tensors' QuantizationArgs default to symmetric: one scale per group, no zero point
            boolean symmetric = weights == null || weights.bool("symmetric", true);
            return symmetric ? Precision.int4Symmetric(group) : Precision.int4(group);
        }
        if (algo.contains("int8") || algo.contains("int-quantized")) {
            return Precision.INT8;
        }
        throw new InvalidInputException(q.file() + ": cannot tell the weight format of this " + q.text("quant_method")
                + " checkpoint (quant_algo/format = '" + algo + "'); give --weights");
    }

    /** The weights arguments of a compressed-tensors checkpoint's first config group, or null. */
    private static Json firstWeightsGroup(Json q) {
        if (!q.has("config_groups")) {
            return null;
        }
        Json groups = q.child("config_groups");
        for (String name : groups.fields().keySet()) {
            Json g = groups.child(name);
            if (g.has("weights")) {
                return g.child("weights");
            }
        }
        return null;
    }
}
