package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.engine.Release;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a measurement row was run, read into Headroom's terms: the engine (at the row's version, with the knobs the
 * row states), the split, and the formats. Sources name engines and versions their own way ("trtllm-pytorch",
 * "vllm-rocm", "0.10.0 (rocm/vllm-dev ROCm 6.4.1)"); the readings are here, once, for every validation.
 */
final class RowSetup {
    /** Engines whose serving Headroom does not model: their rows are reported as not expressible. */
    private static final Set<String> UNMODELLED = Set.of("lmdeploy", "lmdeploy-turbomind", "mlc", "exllamav2", "deepspeed-mii");
    private static final Pattern VERSION = Pattern.compile("(?:^|[^0-9a-z])v?((?:b\\d{3,5})|(?:\\d+\\.\\d+(?:\\.\\d+)?))");

    private RowSetup() {}

    /** The engine id a source's engine name stands for; throws (not expressible) for an engine Headroom does not model. */
    static String engineId(String sourceName) {
        String n = sourceName.trim().toLowerCase(Locale.ROOT);
        if (UNMODELLED.contains(n) || n.startsWith("lmdeploy")) {
            throw new InvalidInputException("engine '" + sourceName + "' is not modelled");
        }
        if (n.contains("trtllm") || n.contains("tensorrt") || n.equals("nim(trtllm)")) {
            return "trtllm";
        }
        if (n.contains("vllm")) {
            return "vllm";
        }
        if (n.contains("sglang")) {
            return "sglang";
        }
        if (n.contains("ollama")) {
            return "ollama";
        }
        if (n.startsWith("llama.cpp") || n.startsWith("llamacpp")) {
            return "llamacpp";
        }
        if (n.equals("tgi") || n.contains("text-generation-inference")) {
            return "tgi";
        }
        if (n.startsWith("nim")) {
            throw new InvalidInputException("engine '" + sourceName + "': the row does not say which backend NIM ran");
        }
        return n;
    }

    /** The version a row states, as the engine numbers them ("0.10.0", "b6918"); null when it states none usable. */
    static String version(String stated) {
        if (stated == null) {
            return null;
        }
        String s = stated.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.startsWith("?") || s.equals("-")) {
            return null;
        }
        if (s.matches("\\d{4}-\\d{2}.*")) {
            return null; // a date, not a release
        }
        Matcher m = VERSION.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    /**
     * The row's engine at the modelled release that governs its version (the oldest modelled one for older rows —
     * noted by the caller), with every knob the row states that the engine has.
     */
    static Engine engine(MeasurementRow row, List<String> notes) {
        return engine(row, row.has("note") ? row.get("note") : "", notes);
    }

    /** The same, with the notes of every row of the row's log (facts a log states once hold for all its figures). */
    static Engine engine(MeasurementRow row, String logNotes, List<String> notes) {
        String id = engineId(row.get("engine"));
        String version = row.cells().containsKey("engine_version") ? version(row.get("engine_version")) : null;
        Engine e;
        try {
            e = Engines.named(id, version);
        } catch (InvalidInputException olderThanModelled) {
            if (version == null) {
                throw olderThanModelled;
            }
            e = Engines.named(id);
            List<Release> known = Engines.releases().get(e.id());
            e = Engines.named(id, known.stream().map(Release::version).min(Release::compareVersions).orElseThrow());
            notes.add(id + " " + version + " is older than the modelled releases; read as " + e.release().version());
        }
        for (Map.Entry<String, String> knob : knobs(row).entrySet()) {
            e = apply(e, knob.getKey(), knob.getValue(), notes);
        }
        if (row.get("engine").toLowerCase(Locale.ROOT).contains("unsloth") && !row.settings().containsKey("v1")) {
            // Unsloth's fast inference starts vLLM's V0 engine (its logs in found/memory.csv PM006, PM007: v1=false)
            e = apply(e, "v1", "false", notes);
        }
        int nodes = nodes(row, logNotes);
        return nodes > 1 ? apply(e, "nnodes", String.valueOf(nodes), notes) : e;
    }

    /** Knobs from the row's columns and its settings cell, in the engine's words; values without annotations. */
    static Map<String, String> knobs(MeasurementRow row) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!row.cells().containsKey("settings") && row.has("note")) {
            // the shared file has no settings column: its notes state knobs as name=value ("max_num_seqs=128") or
            // "max_batch N"
            Matcher kv = Pattern.compile("([a-z_]+)=([0-9.]+)").matcher(row.get("note"));
            while (kv.find()) {
                out.put(kv.group(1), kv.group(2));
            }
            Matcher batch = Pattern.compile("max_batch (\\d+)").matcher(row.get("note"));
            if (batch.find()) {
                out.put("max_batch_size", batch.group(1));
            }
        }
        if (row.has("gpu_mem_util")) {
            String v = row.get("gpu_mem_util");
            int eq = v.indexOf('=');
            if (eq > 0) {
                out.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
            } else if (v.matches("[0-9.]+")) {
                out.put("gpu_memory_utilization", v);
            }
        }
        if (row.has("block_size") && row.get("block_size").matches("\\d+")) {
            out.put("block_size", row.get("block_size"));
        }
        if (row.has("max_model_len") && row.get("max_model_len").matches("\\d+.*")) {
            out.put("max_model_len", row.get("max_model_len").replaceAll("[^0-9].*", ""));
        }
        for (Map.Entry<String, String> s : row.settings().entrySet()) {
            String value = s.getValue().replaceAll("\\s*\\(.*\\)\\s*$", "").trim();
            if (s.getKey().equals("cuda_graph")) {
                // "cuda_graph=off" is vLLM's enforce_eager and SGLang's disable_cuda_graph
                boolean off = value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false");
                out.put("enforce_eager", String.valueOf(off));
                out.put("disable_cuda_graph", String.valueOf(off));
                continue;
            }
            out.put(s.getKey(), value);
        }
        return out;
    }

    private static final Map<String, List<String>> SYNONYMS = Map.ofEntries(
            Map.entry("kv_free_frac", List.of("free_gpu_memory_fraction")),
            Map.entry("kv_cache_free_gpu_mem_fraction", List.of("free_gpu_memory_fraction")),
            Map.entry("max_model_len", List.of("max_model_len", "context_length", "max_seq_len", "n_ctx", "num_ctx", "max_total_tokens")),
            Map.entry("n_ctx", List.of("n_ctx", "num_ctx")),
            Map.entry("n_gpu_layers", List.of("n_gpu_layers", "num_gpu")),
            Map.entry("mamba_cache_size", List.of("max_mamba_cache_size")),
            Map.entry("max_seq_len", List.of("max_seq_len", "max_model_len", "context_length")),
            Map.entry("max_num_seqs", List.of("max_num_seqs", "max_running_requests", "max_batch_size")),
            Map.entry("max_running_requests", List.of("max_running_requests", "max_num_seqs", "max_batch_size")),
            Map.entry("max_batch_size", List.of("max_batch_size", "max_num_seqs", "max_running_requests")),
            Map.entry("max_num_tokens", List.of("max_num_tokens", "max_num_batched_tokens", "chunked_prefill_size")),
            Map.entry("max_num_batched_tokens", List.of("max_num_batched_tokens", "max_num_tokens", "chunked_prefill_size")));

    /** Sets a knob when the engine has it (under its name or a synonym) and the value reads; otherwise leaves it. */
    private static Engine apply(Engine e, String knob, String value, List<String> notes) {
        List<String> names = new ArrayList<>(SYNONYMS.getOrDefault(knob, List.of(knob)));
        Set<String> has = new java.util.HashSet<>(e.settings().stream().map(Engine.Setting::name).toList());
        for (String name : names) {
            if (has.contains(name)) {
                try {
                    return e.with(name, value);
                } catch (InvalidInputException unreadable) {
                    notes.add("setting " + knob + "=" + value + " not applied: " + unreadable.getMessage());
                    return e;
                }
            }
        }
        return e;
    }

    /**
     * A dtype cell: "fp8?" is read as fp8 (the source's likely format); "?", "-" and "auto" as the default; vendor
     * labels ("FP4" in NVIDIA tables is NVFP4, "awq-int4", "q4_k_m (gguf file name)") as the format they name.
     */
    static Precision precision(String cell, String column) {
        String v = cell.trim().toLowerCase(Locale.ROOT).replaceAll("\\s*\\(.*\\)\\s*$", "").replace("?", "").trim();
        if (v.isEmpty() || v.equals("auto") || v.equals("-")) {
            return null;
        }
        v = v.replaceAll("[ /].*$", ""); // "nvfp4/fp8 gemms", "fp8-kv checkpoint" -> the format named first
        v = switch (v) {
            case "f16" -> "fp16";
            case "fp4" -> "nvfp4";
            case "fp8-kv" -> "fp8";
            case "awq-int4", "gptq-int4" -> "int4";
            case "eetq-int8" -> "int8";
            default -> v;
        };
        return Precision.parse(v, column);
    }

    /** A whole-number cell or setting ("8", "8(inferred)"); {@code fallback} when absent. */
    static int whole(MeasurementRow row, String column, int fallback) {
        String v = row.has(column) ? row.get(column) : row.settings().get(column);
        if (v == null || v.isBlank() || v.equals("-") || v.equals("?")) {
            return fallback;
        }
        String digits = v.replaceAll("\\(.*\\)", "").trim();
        if (!digits.matches("\\d+")) {
            throw new InvalidInputException(column + " '" + v + "' is not a whole number");
        }
        return Integer.parseInt(digits);
    }

    /**
     * The row's GPU: a catalog entry by the names sources use, else — when the row states its size ("24GB-class",
     * "AMD-ROCm-24GiB", "16GB-class (15.4 GiB available)") — a GPU of that size whose other properties are unknown (a
     * memory budget needs only the total). The driver-reported total the row gives (gpu_total_gib, "x GiB available")
     * replaces the catalog's. Empty when the row names no usable GPU.
     */
    static java.util.Optional<dev.headroom.core.hardware.Gpu> gpu(MeasurementRow row) {
        String name = row.has("gpu") ? row.get("gpu") : "";
        java.util.Optional<dev.headroom.core.hardware.Gpu> found = name.isEmpty() ? java.util.Optional.empty() : SourceNames.gpu(name);
        if (found.isEmpty()) {
            Matcher size = Pattern.compile("(\\d+)\\s*Gi?B", Pattern.CASE_INSENSITIVE).matcher(name);
            if (!size.find()) {
                return java.util.Optional.empty();
            }
            long bytes = Long.parseLong(size.group(1)) << 30;
            found = java.util.Optional.of(new dev.headroom.core.hardware.Gpu("generic-" + size.group(1) + "gb", name, "unknown",
                    "unknown", bytes, null, 1e12, Map.of(), null, 0, 0, 1.0, null, List.of(),
                    new dev.headroom.core.base.Provenance(row.get("source"), "size as the row states it")));
        }
        dev.headroom.core.hardware.Gpu gpu = found.get();
        Matcher available = Pattern.compile("([0-9.]+)\\s*GiB available").matcher(name);
        if (row.has("gpu_total_gib") && row.get("gpu_total_gib").replace("~", "").matches("[0-9.]+")) {
            gpu = gpu.withVisibleMemory(dev.headroom.core.base.Bytes.ofGiB(Double.parseDouble(row.get("gpu_total_gib").replace("~", ""))).value());
        } else if (available.find()) {
            gpu = gpu.withVisibleMemory(dev.headroom.core.base.Bytes.ofGiB(Double.parseDouble(available.group(1))).value());
        }
        return java.util.Optional.of(gpu);
    }

    /**
     * Nodes the deployment spans: a "nodes" setting, or the row's note ("TP4 spread over 4 nodes", "across 2 nodes").
     * Tensor parallelism across nodes keeps no intra-node NCCL or custom all-reduce buffers on the GPUs.
     */
    static int nodes(MeasurementRow row, String logNotes) {
        String set = row.settings().get("nodes");
        if (set != null && set.matches("\\d+")) {
            return Integer.parseInt(set);
        }
        Matcher m = Pattern.compile("(?:over|across) (\\d+) nodes").matcher(logNotes);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /** Whether a setting is on ("attention_dp=true", "enable_dp_attention=on"). */
    static boolean on(MeasurementRow row, String... settings) {
        for (String s : settings) {
            String v = row.settings().get(s);
            if (v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on") || v.equalsIgnoreCase("yes"))) {
                return true;
            }
        }
        return false;
    }
}
