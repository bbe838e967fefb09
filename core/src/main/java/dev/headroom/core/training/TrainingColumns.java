package dev.headroom.core.training;

import static dev.headroom.core.training.TrainingColumn.Group.COST;
import static dev.headroom.core.training.TrainingColumn.Group.MEMORY;
import static dev.headroom.core.training.TrainingColumn.Group.SETUP;
import static dev.headroom.core.training.TrainingColumn.Group.TIME;
import static dev.headroom.core.training.TrainingColumn.MISSING_LONG;

import dev.headroom.core.training.TrainingColumn.Group;
import dev.headroom.core.training.TrainingColumn.Unit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The one list of training output columns: the train command's JSON, CSV and text, and the DSL's Tablesaw tables
 * are all made from it, so a name means the same thing, in the same unit, everywhere.
 */
public final class TrainingColumns {
    private TrainingColumns() {}

    public static final List<TrainingColumn> ALL = List.of(
            TrainingColumn.text("model", SETUP, "model", e -> e.model().id()),
            TrainingColumn.text("gpu", SETUP, "GPU", e -> e.gpu().id()),
            TrainingColumn.whole("gpus", Unit.COUNT, SETUP, "GPUs", e -> e.setup().gpus()),
            TrainingColumn.whole("tp", Unit.COUNT, SETUP, "tensor parallel", e -> e.setup().tp()),
            TrainingColumn.whole("pp", Unit.COUNT, SETUP, "pipeline stages", e -> e.setup().pp()),
            TrainingColumn.whole("cp", Unit.COUNT, SETUP, "context parallel", e -> e.setup().cp()),
            TrainingColumn.whole("dp", Unit.COUNT, SETUP, "data-parallel replicas", e -> e.setup().dp()),
            TrainingColumn.text("method", SETUP, "method", e -> e.setup().method().key()),
            TrainingColumn.text("sharding", SETUP, "sharding", e -> e.setup().sharding().key()),
            TrainingColumn.text("offload", SETUP, "offload", e -> e.setup().offload().key()),
            TrainingColumn.text("optimizer", SETUP, "optimizer", e -> e.setup().optimizer().key()),
            TrainingColumn.text("recompute", SETUP, "recompute", e -> e.setup().recompute().key()),
            TrainingColumn.text("framework", SETUP, "framework layout", e -> e.setup().effectiveFramework().key()),
            TrainingColumn.text("precision", SETUP, "GEMM precision", e -> e.setup().compute().key()),
            TrainingColumn.flag("compile", SETUP, "torch.compile", e -> e.setup().compile()),
            TrainingColumn.whole("micro_batch", Unit.COUNT, SETUP, "micro-batch", e -> e.setup().microBatch()),
            TrainingColumn.whole("seq_len", Unit.TOKENS, SETUP, "sequence length", e -> e.setup().seqLen()),
            TrainingColumn.whole("grad_accum", Unit.COUNT, SETUP, "gradient accumulation", e -> e.setup().gradAccum()),
            TrainingColumn.whole("lora_rank", Unit.COUNT, SETUP, "LoRA rank",
                    e -> e.setup().method().adapters() ? e.setup().loraRank() : MISSING_LONG),
            TrainingColumn.text("lora_targets", SETUP, "LoRA targets",
                    e -> e.setup().method().adapters() ? e.setup().loraTargets().toString() : null),
            TrainingColumn.whole("tokens_per_step", Unit.TOKENS, SETUP, "tokens per step", e -> e.setup().tokensPerStep()),

            TrainingColumn.whole("params", Unit.COUNT, MEMORY, "parameters", e -> e.memory().params()),
            TrainingColumn.whole("trainable_params", Unit.COUNT, MEMORY, "trainable parameters", e -> e.memory().trainableParams()),
            TrainingColumn.whole("weights_bytes_per_gpu", Unit.BYTES, MEMORY, "weights per GPU", e -> e.memory().weights().bytes()),
            TrainingColumn.whole("master_weights_bytes_per_gpu", Unit.BYTES, MEMORY, "fp32 master weights per GPU", e -> e.memory().master().bytes()),
            TrainingColumn.whole("gradients_bytes_per_gpu", Unit.BYTES, MEMORY, "gradients per GPU", e -> e.memory().gradients().bytes()),
            TrainingColumn.whole("optimizer_bytes_per_gpu", Unit.BYTES, MEMORY, "optimizer states per GPU", e -> e.memory().optimizer().bytes()),
            TrainingColumn.whole("gathered_bytes_per_gpu", Unit.BYTES, MEMORY, "gathered layers per GPU (ZeRO-3/FSDP)", e -> e.memory().gathered().bytes()),
            TrainingColumn.whole("model_states_bytes_per_gpu", Unit.BYTES, MEMORY, "model states per GPU", e -> e.memory().modelStatesBytes()),
            TrainingColumn.whole("model_states_bytes_cpu", Unit.BYTES, MEMORY, "host memory per node", e -> e.memory().hostBytes()),
            TrainingColumn.whole("activation_bytes_per_gpu", Unit.BYTES, MEMORY, "activations per GPU", e -> e.memory().activations().bytes()),
            TrainingColumn.whole("logits_bytes_per_gpu", Unit.BYTES, MEMORY, "logits and loss per GPU", e -> e.memory().logits().bytes()),
            TrainingColumn.whole("buffers_bytes_per_gpu", Unit.BYTES, MEMORY, "communication buffers per GPU", e -> e.memory().buffers().bytes()),
            TrainingColumn.whole("fragmentation_bytes_per_gpu", Unit.BYTES, MEMORY, "allocator fragmentation per GPU", e -> e.memory().fragmentation().bytes()),
            TrainingColumn.whole("cuda_context_bytes_per_gpu", Unit.BYTES, MEMORY, "CUDA context per GPU", e -> e.memory().context().bytes()),
            TrainingColumn.whole("allocated_bytes_per_gpu", Unit.BYTES, MEMORY, "allocated per GPU (torch peak)", e -> e.memory().allocatedBytes()),
            TrainingColumn.whole("reserved_bytes_per_gpu", Unit.BYTES, MEMORY, "reserved per GPU (torch)", e -> e.memory().reservedBytes()),
            TrainingColumn.whole("total_bytes_per_gpu", Unit.BYTES, MEMORY, "total per GPU", e -> e.memory().totalBytes()),
            TrainingColumn.whole("gpu_memory_bytes", Unit.BYTES, MEMORY, "GPU memory", e -> e.memory().gpuMemoryBytes()),
            TrainingColumn.whole("headroom_bytes_per_gpu", Unit.BYTES, MEMORY, "free per GPU", e -> e.memory().headroomBytes()),
            TrainingColumn.flag("fits", MEMORY, "fits", TrainingEstimate::fits),

            time("step_time_s", Unit.SECONDS, "step time", TrainingTime::stepSeconds),
            time("compute_s", Unit.SECONDS, "compute per step", TrainingTime::computeSeconds),
            time("bubble_s", Unit.SECONDS, "pipeline bubble per step", TrainingTime::bubbleSeconds),
            time("tp_comm_s", Unit.SECONDS, "tensor-parallel communication per step", TrainingTime::tensorParallelSeconds),
            time("dp_comm_s", Unit.SECONDS, "exposed data-parallel communication per step", TrainingTime::dataParallelSeconds),
            time("offload_s", Unit.SECONDS, "host transfers per step", TrainingTime::offloadSeconds),
            time("optimizer_s", Unit.SECONDS, "optimizer step", TrainingTime::optimizerSeconds),
            time("tokens_per_s_per_gpu", Unit.TOKENS_PER_S, "tokens/s per GPU", TrainingTime::tokensPerSecondPerGpu),
            TrainingColumn.real("tokens_per_s", Unit.TOKENS_PER_S, TIME, "tokens/s, all GPUs",
                    e -> e.time() == null ? Double.NaN : e.time().tokensPerSecondPerGpu() * e.setup().gpus()),
            time("mfu", Unit.FRACTION, "model FLOPs utilization", TrainingTime::mfu),
            time("model_flops_per_token", Unit.COUNT, "model FLOPs per token", TrainingTime::modelFlopsPerToken),

            TrainingColumn.whole("tokens", Unit.TOKENS, COST, "token budget", e -> e.setup().tokens() > 0 ? e.setup().tokens() : MISSING_LONG),
            TrainingColumn.real("gpu_hours", Unit.GPU_HOURS, COST, "GPU-hours for the budget", TrainingEstimate::gpuHours),
            TrainingColumn.real("wall_clock_hours", Unit.HOURS, COST, "hours on these GPUs", TrainingEstimate::wallClockHours),
            TrainingColumn.real("usd_per_gpu_hour", Unit.USD_PER_GPU_HOUR, COST, "price per GPU-hour",
                    e -> e.price() == null ? Double.NaN : e.price().onDemandUsdPerGpuHour()),
            TrainingColumn.real("usd", Unit.USD, COST, "cost of the budget", TrainingEstimate::usd),
            TrainingColumn.text("price_source", COST, "price source", e -> e.price() == null ? null
                    : e.price().provider() + " " + e.price().provenance().source() + " (as of " + e.price().asOf() + ")"));

    private static final Map<String, TrainingColumn> BY_NAME = ALL.stream().collect(Collectors.toUnmodifiableMap(TrainingColumn::name, c -> c));

    private static TrainingColumn time(String name, Unit unit, String label, ToDoubleFunction<TrainingTime> f) {
        return TrainingColumn.real(name, unit, TIME, label, e -> e.time() == null ? Double.NaN : f.applyAsDouble(e.time()));
    }

    public static Optional<TrainingColumn> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The columns of the given groups, in list order. */
    public static List<TrainingColumn> of(Group... groups) {
        Set<Group> wanted = groups.length == 0 ? EnumSet.allOf(Group.class) : EnumSet.of(groups[0], groups);
        return ALL.stream().filter(c -> wanted.contains(c.group())).toList();
    }

    /** Prose columns, left out of tables. */
    public static boolean isProse(TrainingColumn c) {
        return c.name().equals("price_source");
    }
}
