package dev.headroom.validation;

import dev.headroom.core.base.Provenance;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.hardware.Interconnect;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.training.Framework;
import dev.headroom.core.training.LoraTargets;
import dev.headroom.core.training.Method;
import dev.headroom.core.training.Offload;
import dev.headroom.core.training.Optimizer;
import dev.headroom.core.training.Recompute;
import dev.headroom.core.training.Sharding;
import dev.headroom.core.training.TrainingSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one row of the training measurement files into a model, a GPU and a setup, in the row's own words. What a
 * row leaves unsaid is filled from the framework the row names, each reading written here once:
 * <ul>
 *   <li>torchtune, LitGPT ("bf16-true"), fsdp_qlora: pure bf16 parameters and optimizer states; torchtitan,
 *       llm-foundry, NeMo AutoModel, Hugging Face Trainer/Accelerate: PyTorch mixed precision (fp32 parameters);
 *       NeMo and Megatron-LM: Megatron with the distributed optimizer; XTuner and Qwen's full runs: DeepSpeed.</li>
 *   <li>Recomputation "not stated": none (Megatron's and NeMo's default), full for XTuner (its default). Optimizer
 *       "not stated": AdamW.
 *       Gradient accumulation "not stated": 1, or global batch / (micro-batch x data-parallel) when the row gives it.</li>
 *   <li>An A100 whose size the source does not state is the 80 GB card when the row says so or publishes more
 *       than 40 GiB per GPU.</li>
 * </ul>
 * Rows the model cannot express throw {@link NotExpressible} with the reason.
 */
final class TrainingRows {
    static final class NotExpressible extends RuntimeException {
        NotExpressible(String reason) {
            super(reason);
        }
    }

    private TrainingRows() {}

    /** The publication: the source up to its revision or annotation ("github:pytorch/torchtune/README.md"). */
    static String group(String source) {
        String s = source.trim();
        int cut = s.length();
        for (String mark : List.of("@", " (", ",")) {
            int i = s.indexOf(mark);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return s.substring(0, cut).replaceAll("[\"']", "");
    }

    static String describe(MeasurementRow r) {
        String setup = r.get("method") + (r.has("zero_stage") ? " zero" + r.get("zero_stage") : "") + (r.has("fsdp") ? " fsdp" : "")
                + " " + firstWord(r.get("gpus")) + "x" + r.get("gpu") + " mb" + r.get("micro_batch") + " s" + firstWord(r.get("seq_len"));
        return (r.get("model") + " " + r.get("framework") + " " + setup).replaceAll("\\s+", " ");
    }

    /** The model of a row: the catalog's, or a GPT spelled out in the row ("GPT 22B (h6144, L48, a64)"). */
    static ModelProfile model(MeasurementRow r) {
        String name = r.get("model");
        Matcher gpt = Pattern.compile("\\(h(\\d+), L(\\d+), a(\\d+)\\)").matcher(name);
        if (gpt.find()) {
            Matcher vocab = Pattern.compile("vocab (\\d+)").matcher(r.get("grad_accum") + " " + r.get("note"));
            if (!vocab.find()) {
                throw new NotExpressible("GPT model without a stated vocabulary");
            }
            return ModelProfile.of(gpt(name.replaceAll("\\s*\\(.*", ""), Integer.parseInt(gpt.group(1)), Integer.parseInt(gpt.group(2)),
                    Integer.parseInt(gpt.group(3)), Integer.parseInt(vocab.group(1))));
        }
        Optional<ModelProfile> m = SourceNames.model(name);
        if (m.isEmpty()) {
            // NeMo's tables spell models "LLAMA3-8B", "LLAMA2-70B".
            m = SourceNames.model(name.replaceAll("(?i)^llama(\\d)", "llama-$1"));
        }
        if (m.isEmpty()) {
            throw new NotExpressible("model '" + name + "' is not in the catalog");
        }
        return m.get();
    }

    /**
     * Megatron's GPT as Korthikanti et al. train it: multi-head attention with biases, a 4h GeLU MLP with biases,
     * two LayerNorms per layer, tied input and output embeddings (learned position embeddings left out).
     */
    static ModelSpec gpt(String id, int hidden, int layers, int heads, int vocab) {
        Attention attention = new Attention(heads, heads, hidden / heads, hidden / heads, true, true,
                dev.headroom.core.model.QkNorm.NONE, false, false, 0);
        Layer layer = new Layer(attention, new DenseFfn(4 * hidden, false, true), 4L * hidden);
        return new ModelSpec(id, "megatron/" + id, List.of(), "gpt", "gpt", hidden, vocab, true, 2048,
                java.util.Collections.nCopies(layers, layer), 2L * hidden, false, 0, Precision.FP16, null, null,
                new Provenance("arXiv 2205.05198 Table 3", "row"));
    }

    /** The GPU of a row; absent when the row does not name one the catalog has. */
    static Optional<Gpu> gpu(MeasurementRow r) {
        String name = r.get("gpu");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("a100") && (lower.contains("size not stated") || lower.contains("80gb assumed"))) {
            return Optional.of(Catalog.gpu("a100-80gb"));
        }
        Optional<Gpu> direct = SourceNames.gpu(name);
        if (direct.isEmpty()) {
            direct = readings(name);
        }
        // "no NVLink": the cards talk over PCIe even when the model can take a bridge.
        if (direct.isPresent() && lower.contains("no nvlink") && direct.get().interconnect().topology() != Interconnect.Topology.PCIE) {
            Gpu g = direct.get();
            direct = Optional.of(g.withInterconnect(new Interconnect("PCIe Gen4 x16", 32e9, null, Interconnect.Topology.PCIE,
                    g.interconnect().maxGpusPerNode())));
        }
        return direct;
    }

    private static Optional<Gpu> readings(String name) {
        String bare = name.replaceAll("\\s*\\(.*\\)\\s*$", "").trim();
        List<String> readings = new ArrayList<>();
        readings.add(bare.replaceAll("\\s+\\d+\\s*GB$", ""));
        readings.add(bare.replace("SXM-", "SXM4-"));
        readings.add(bare.replace(' ', '-'));
        Matcher size = Pattern.compile("(\\d+)\\s*GB").matcher(bare);
        if (size.find()) {
            readings.add(bare.substring(0, size.start()).trim().replace(' ', '-') + "-" + size.group(1) + "GB");
        }
        for (String reading : readings) {
            Optional<Gpu> g = SourceNames.gpu(reading);
            if (g.isPresent()) {
                return g;
            }
        }
        return Optional.empty();
    }

    /** The setup a row describes (the recompute mode given, or the row's). */
    static TrainingSetup setup(MeasurementRow r, Recompute recomputeOverride) {
        Map<String, String> settings = r.settings();
        String framework = r.get("framework").toLowerCase(Locale.ROOT);
        String method = r.get("method").toLowerCase(Locale.ROOT);
        Method m = method.startsWith("lora") ? Method.LORA : method.startsWith("qlora") ? Method.QLORA : Method.FULL;
        if (settings.getOrDefault("quant", "nf4").startsWith("gptq")) {
            throw new NotExpressible("the base is GPTQ int4, not NF4: Headroom's QLoRA is the NF4 base of the QLoRA paper");
        }
        int gpus = leadingInt(r.get("gpus"), "gpus");
        int tp = r.has("tp") ? leadingInt(r.get("tp"), "tp") : 1;
        int pp = r.has("pp") ? leadingInt(r.get("pp"), "pp") : 1;
        String batchCell = r.get("grad_accum");
        int cp = intSetting(settings, "cp", cellInt(batchCell, "CP", 1));
        cp = intSetting(settings, "sequence_parallel", cp);
        int vp = intSetting(settings, "vp", cellInt(batchCell, "VP", 1));
        if (!r.has("micro_batch") || !r.get("micro_batch").matches("\\d+.*")) {
            throw new NotExpressible("the micro-batch is not stated");
        }
        int micro = leadingInt(r.get("micro_batch"), "micro_batch");
        int seq = sequence(r.get("seq_len"));
        int dp = Math.max(1, gpus / Math.max(1, tp * pp * cp));
        int accum;
        if (batchCell.matches("\\d+.*")) {
            accum = leadingInt(batchCell, "grad_accum");
        } else {
            int global = intSetting(settings, "global_batch", cellInt(batchCell, "GBS", 0));
            accum = global > 0 ? Math.max(1, global / (micro * dp)) : 1;
        }
        Sharding sharding = Sharding.DDP;
        if (r.has("zero_stage") && r.get("zero_stage").matches("\\d.*")) {
            sharding = Sharding.zero(leadingInt(r.get("zero_stage"), "zero_stage"));
        } else if (r.has("fsdp") || settings.containsKey("megatron_fsdp") || settings.containsKey("dp_shard")) {
            sharding = r.get("fsdp").equalsIgnoreCase("hybrid") ? Sharding.FSDP_HYBRID : Sharding.FSDP_FULL;
        }
        if ("ddp".equals(settings.get("sharding"))) {
            sharding = Sharding.DDP;
        }
        Framework f;
        if (framework.startsWith("torchtune") || framework.startsWith("litgpt") || framework.startsWith("fsdp_qlora")) {
            f = Framework.PURE_BF16;
        } else if (framework.contains("nemo automodel") || framework.startsWith("torchtitan") || framework.startsWith("llm-foundry")
                || framework.startsWith("hf ")) {
            f = sharding.stage() > 0 && !sharding.fsdp() ? Framework.DEEPSPEED : Framework.TORCH_AMP;
        } else if (framework.contains("nemo") || framework.contains("megatron")) {
            f = Framework.MEGATRON;
            if (sharding == Sharding.DDP && dp > 1) {
                boolean paper = r.get("framework_version").startsWith("2022");
                sharding = paper ? Sharding.DDP : Sharding.ZERO_1; // NeMo turns the distributed optimizer on by default
            }
        } else if (framework.contains("xtuner") || framework.contains("deepspeed")) {
            f = Framework.DEEPSPEED;
            if (sharding == Sharding.DDP) {
                sharding = Sharding.ZERO_3;
            }
        } else {
            throw new NotExpressible("framework '" + r.get("framework") + "' is not read");
        }
        Offload offload = Offload.NONE;
        String offloads = r.cells().getOrDefault("settings", "");
        if (offloads.contains("offload=params")) {
            offload = Offload.OPTIMIZER_AND_PARAMS;
            if (sharding.stage() < 3) {
                sharding = f == Framework.DEEPSPEED ? Sharding.ZERO_3 : Sharding.FSDP_FULL;
            }
        } else if (offloads.contains("offload=optimizer")) {
            offload = Offload.OPTIMIZER;
        }
        Optimizer optimizer = optimizer(r.get("optimizer"), "true".equals(settings.get("paged_optimizer")));
        Recompute recompute = recomputeOverride != null ? recomputeOverride : recompute(r);
        String dtype = r.get("param_dtype").toLowerCase(Locale.ROOT);
        ComputeType compute = dtype.startsWith("fp8") || settings.containsKey("fp8") ? ComputeType.FP8
                : dtype.startsWith("fp16") && !dtype.contains("bf16") ? ComputeType.FP16 : ComputeType.BF16;
        int rank = 16;
        LoraTargets targets = LoraTargets.ALL_LINEAR;
        if (m.adapters()) {
            if (r.has("lora_rank") && r.get("lora_rank").matches("\\d+")) {
                rank = Integer.parseInt(r.get("lora_rank"));
            }
            if (r.has("lora_targets") && !r.get("lora_targets").startsWith("default") && !r.get("lora_targets").startsWith("not")) {
                targets = LoraTargets.parse(r.get("lora_targets"), "lora_targets");
            }
        }
        boolean paper = r.get("framework_version").startsWith("2022");
        // LoRA dropout as the framework's defaults set it: fsdp_qlora train.py lora_dropout 0.1
        // (github:AnswerDotAI/fsdp_qlora/train.py@05ed9f2), lit-gpt finetune/lora.py lora_dropout 0.05
        // (github:Lightning-AI/lit-gpt@b96a570); others unstated, read as none.
        double loraDropout = !m.adapters() ? 0 : framework.startsWith("fsdp_qlora") ? 0.1 : framework.startsWith("litgpt") ? 0.05 : 0;
        return TrainingSetup.defaults().withMethod(m).withLora(rank, 2 * rank, targets).withLoraDropout(loraDropout).withSharding(sharding).withOffload(offload)
                .withOptimizer(optimizer).withRecompute(recompute).withFramework(f).withCompute(compute)
                .withKernels("true".equals(settings.get("compile")), !paper, paper, "true".equals(settings.get("optimizer_in_bwd")))
                .withParallel(gpus, tp, pp, cp, vp).withBatch(micro, seq, accum);
    }

    static Recompute recompute(MeasurementRow r) {
        String text = r.get("recompute").toLowerCase(Locale.ROOT);
        if (text.startsWith("full")) {
            return Recompute.FULL;
        }
        if (text.startsWith("selective")) {
            return Recompute.SELECTIVE;
        }
        if (text.startsWith("not stated") && r.get("framework").toLowerCase(Locale.ROOT).contains("xtuner")) {
            // XTuner's SupervisedFinetune turns Hugging Face gradient checkpointing on unless told otherwise
            // (xtuner/model/sft.py, use_activation_checkpointing=True, github:InternLM/xtuner).
            return Recompute.FULL;
        }
        if (text.startsWith("none") || text.startsWith("not stated") || text.equals("-")) {
            return Recompute.NONE;
        }
        throw new NotExpressible("recompute '" + r.get("recompute") + "' is not one mode");
    }

    /** Whether the row states its recompute mode (memory depends on it; time much less). */
    static boolean recomputeStated(MeasurementRow r) {
        String text = r.get("recompute").toLowerCase(Locale.ROOT);
        return text.startsWith("full") || text.startsWith("selective") || text.startsWith("none");
    }

    private static Optimizer optimizer(String text, boolean paged) {
        String t = text.toLowerCase(Locale.ROOT);
        boolean eightBit = t.contains("8bit") || t.contains("8-bit");
        paged = paged || t.contains("paged");
        if (eightBit) {
            return paged ? Optimizer.PAGED_ADAMW_8BIT : Optimizer.ADAMW_8BIT;
        }
        return paged ? Optimizer.PAGED_ADAMW : Optimizer.ADAMW;
    }

    /** "2048 packed" is 2048; "var (Alpaca; longest 1304 tokens ...)" peaks at its longest, 1304; "512 max" at 512. */
    static int sequence(String cell) {
        Matcher lead = Pattern.compile("^(\\d+)").matcher(cell.trim());
        if (lead.find()) {
            return Integer.parseInt(lead.group(1));
        }
        Matcher longest = Pattern.compile("longest (\\d+)").matcher(cell);
        if (longest.find()) {
            return Integer.parseInt(longest.group(1));
        }
        throw new NotExpressible("sequence length '" + cell + "' is not a number");
    }

    static int leadingInt(String cell, String column) {
        Matcher lead = Pattern.compile("^\\s*(\\d+)").matcher(cell);
        if (!lead.find()) {
            throw new NotExpressible(column + " '" + cell + "' is not a number");
        }
        return Integer.parseInt(lead.group(1));
    }

    private static int cellInt(String cell, String key, int fallback) {
        Matcher m = Pattern.compile("\\b" + key + " (\\d+)").matcher(cell);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    private static int intSetting(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        return v != null && v.matches("\\d+") ? Integer.parseInt(v) : fallback;
    }

    private static String firstWord(String s) {
        return s.trim().split("\\s+")[0];
    }
}
