package dev.headroom.core;

import static dev.headroom.core.Column.Group.COST;
import static dev.headroom.core.Column.Group.MEMORY;
import static dev.headroom.core.Column.Group.SETUP;
import static dev.headroom.core.Column.Group.SPEED;
import static dev.headroom.core.Column.MISSING_LONG;

import dev.headroom.core.Column.Group;
import dev.headroom.core.Column.Unit;
import dev.headroom.core.cost.CostEstimate;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.workload.Load;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The one list of output columns: JSON, CSV, text and Tablesaw tables are all made from it, so a name
 * means the same thing, in the same unit, everywhere. To add an output, add a line here.
 */
public final class Columns {
    private Columns() {}

    public static final List<Column> ALL = List.of(
            Column.text("model", SETUP, "model", e -> e.memory().model().id()),
            Column.text("gpu", SETUP, "GPU", e -> e.memory().deployment().gpu().id()),
            Column.whole("gpus", Unit.COUNT, SETUP, "GPUs", e -> e.memory().deployment().gpus()),
            Column.whole("tp", Unit.COUNT, SETUP, "tensor parallel", e -> e.memory().deployment().tp()),
            Column.whole("pp", Unit.COUNT, SETUP, "pipeline stages", e -> e.memory().deployment().pp()),
            Column.whole("ep", Unit.COUNT, SETUP, "expert parallel", e -> e.memory().deployment().ep()),
            Column.whole("replicas", Unit.COUNT, SETUP, "replicas", e -> e.memory().deployment().replicas()),
            Column.text("engine", SETUP, "engine", e -> e.memory().deployment().engine().id()),
            Column.text("engine_version", SETUP, "engine version", e -> e.memory().deployment().engine().release().version()),
            Column.text("weights_dtype", SETUP, "weights", e -> e.memory().weights().name()),
            Column.text("kv_dtype", SETUP, "KV cache", e -> e.memory().kv().name()),
            Column.text("load", SETUP, "load", e -> e.memory().workload().load().kind().words()),
            Column.whole("batch", Unit.SEQUENCES, SETUP, "batch",
                    e -> e.memory().workload().load() instanceof Load.Static s ? s.batch() : MISSING_LONG),
            Column.real("request_rate", Unit.REQUESTS_PER_S, SETUP, "request rate",
                    e -> e.memory().workload().load() instanceof Load.Rate r ? r.requestsPerSecond() : Double.NaN),
            Column.whole("input_tokens", Unit.TOKENS, SETUP, "prompt", e -> e.memory().workload().inputTokens()),
            Column.whole("output_tokens", Unit.TOKENS, SETUP, "output", e -> e.memory().workload().outputTokens()),

            Column.whole("params", Unit.COUNT, MEMORY, "parameters", e -> e.memory().params()),
            Column.whole("active_params", Unit.COUNT, MEMORY, "active parameters", e -> e.memory().activeParams()),
            Column.whole("weights_bytes", Unit.BYTES, MEMORY, "weights, all GPUs", e -> e.memory().weightsBytes()),
            Column.whole("weights_bytes_per_gpu", Unit.BYTES, MEMORY, "weights per GPU", e -> e.memory().weightsBytesPerGpu()),
            Column.whole("kv_bytes_per_token", Unit.BYTES, MEMORY, "KV per token", e -> e.memory().kvBytesPerToken()),
            Column.whole("kv_bytes_per_token_per_gpu", Unit.BYTES, MEMORY, "KV per token per GPU", e -> e.memory().kvBytesPerTokenPerGpu()),
            Column.whole("activation_bytes_per_gpu", Unit.BYTES, MEMORY, "activations per GPU", e -> e.memory().activationBytesPerGpu()),
            Column.whole("runtime_overhead_bytes_per_gpu", Unit.BYTES, MEMORY, "runtime overhead per GPU", e -> e.memory().runtimeOverheadBytesPerGpu()),
            Column.whole("cuda_graph_bytes_per_gpu", Unit.BYTES, MEMORY, "CUDA graphs per GPU", e -> e.memory().cudaGraphBytesPerGpu()),
            Column.whole("kv_budget_bytes_per_gpu", Unit.BYTES, MEMORY, "KV budget before blocks per GPU",
                    e -> Math.max(0, e.memory().kvBudgetBytesPerGpu())),
            // a quantity, never negative: what the engine would lack for its KV cache when it refuses to start
            Column.whole("kv_budget_shortfall_bytes_per_gpu", Unit.BYTES, MEMORY, "KV budget shortfall per GPU (refused)",
                    e -> Math.max(0, -e.memory().kvBudgetBytesPerGpu())),
            Column.whole("kv_cache_bytes_per_gpu", Unit.BYTES, MEMORY, "KV pool per GPU", e -> e.memory().kvCacheBytesPerGpu()),
            Column.whole("kv_cache_tokens", Unit.TOKENS, MEMORY, "KV pool tokens", e -> e.memory().kvCacheTokens()),
            Column.whole("kv_cache_blocks", Unit.BLOCKS, MEMORY, "KV pool blocks", e -> e.memory().kvCacheBlocks()),
            Column.whole("max_model_len", Unit.TOKENS, MEMORY, "engine max length", e -> e.memory().maxModelLen()),
            Column.whole("largest_max_model_len", Unit.TOKENS, MEMORY, "largest max length that starts", e -> e.memory().largestMaxModelLen()),
            Column.whole("workload_kv_bytes_per_gpu", Unit.BYTES, MEMORY, "KV of this batch per GPU", e -> e.memory().workloadKvBytesPerGpu()),
            Column.whole("total_bytes_per_gpu", Unit.BYTES, MEMORY, "reserved per GPU", e -> e.memory().totalBytesPerGpu()),
            Column.whole("gpu_memory_bytes", Unit.BYTES, MEMORY, "GPU memory", e -> e.memory().gpuMemoryBytes()),
            Column.whole("headroom_bytes_per_gpu", Unit.BYTES, MEMORY, "free per GPU", e -> e.memory().headroomBytesPerGpu()),
            Column.whole("shortfall_bytes_per_gpu", Unit.BYTES, MEMORY, "missing per GPU", e -> e.memory().shortfallBytesPerGpu()),
            Column.flag("fits", MEMORY, "fits", e -> e.memory().fits()),
            Column.flag("engine_refuses", MEMORY, "engine refuses to start", e -> e.memory().refusal().isPresent()),
            Column.text("refusal", MEMORY, "why the engine refuses", e -> e.memory().refusal().map(r -> r.reason()).orElse(null)),
            Column.text("refusal_knob", MEMORY, "knob that fixes the refusal", e -> e.memory().refusal().map(r -> r.knob()).orElse(null)),
            Column.text("limit", MEMORY, "limited by", e -> e.memory().limit().words()),
            Column.whole("max_concurrency", Unit.SEQUENCES, MEMORY, "max concurrency at the workload's context (capped by the engine)",
                    e -> e.memory().maxConcurrency()),
            Column.text("max_concurrency_limit", MEMORY, "max concurrency bound", e -> e.memory().concurrencyLimit().words()),
            Column.real("engine_max_concurrency", Unit.RATIO, MEMORY, "max concurrency at max_model_len, as the engine logs it",
                    e -> e.memory().engineMaxConcurrency()),
            Column.whole("engine_max_sequences", Unit.SEQUENCES, MEMORY, "engine max sequences", e -> e.memory().engineMaxSequences()),

            perf("concurrency", Unit.SEQUENCES, "requests in flight", PerfEstimate::concurrency),
            perf("ttft_ms", Unit.MS, "time to first token", p -> 1e3 * p.ttft()),
            perf("ttft_ms_low", Unit.MS, "time to first token, low end of the 80% band", p -> 1e3 * p.ttftLow()),
            perf("ttft_ms_high", Unit.MS, "time to first token, high end of the 80% band", p -> 1e3 * p.ttftHigh()),
            perf("tpot_ms", Unit.MS, "time per output token", p -> 1e3 * p.tpotSeconds()),
            perf("tpot_ms_low", Unit.MS, "time per output token, low end of the 80% band", p -> 1e3 * p.tpotLow()),
            perf("tpot_ms_high", Unit.MS, "time per output token, high end of the 80% band", p -> 1e3 * p.tpotHigh()),
            perf("e2e_latency_ms", Unit.MS, "end-to-end latency", p -> 1e3 * p.e2eLatency()),
            perf("e2e_latency_ms_low", Unit.MS, "end-to-end latency, low end of the 80% band", p -> 1e3 * p.e2eLatencyLow()),
            perf("e2e_latency_ms_high", Unit.MS, "end-to-end latency, high end of the 80% band", p -> 1e3 * p.e2eLatencyHigh()),
            perf("output_tokens_per_s", Unit.TOKENS_PER_S, "output tokens/s", PerfEstimate::outputTokensPerSecond),
            perf("output_tokens_per_s_low", Unit.TOKENS_PER_S, "output tokens/s, low end of the 80% band", PerfEstimate::outputTokensPerSecondLow),
            perf("output_tokens_per_s_high", Unit.TOKENS_PER_S, "output tokens/s, high end of the 80% band", PerfEstimate::outputTokensPerSecondHigh),
            perf("output_tokens_per_s_per_gpu", Unit.TOKENS_PER_S, "output tokens/s per GPU", PerfEstimate::outputTokensPerSecondPerGpu),
            perf("total_tokens_per_s", Unit.TOKENS_PER_S, "total tokens/s", PerfEstimate::totalTokensPerSecond),
            Column.text("bottleneck", SPEED, "bottleneck", e -> e.perf() == null ? null : e.perf().bottleneck().toString()),
            Column.text("not_estimated", SPEED, "speed or cost missing because", e -> e.missing().words()),

            cost("usd_per_gpu_hour", Unit.USD_PER_HOUR, "price per GPU-hour", CostEstimate::usdPerGpuHour),
            cost("usd_per_hour", Unit.USD_PER_HOUR, "cost per hour", CostEstimate::usdPerHour),
            cost("usd_per_month", Unit.USD_PER_MONTH, "cost per month", CostEstimate::usdPerMonth),
            cost("usd_per_million_input_tokens", Unit.USD_PER_MILLION_TOKENS, "per 1M input tokens", CostEstimate::usdPerMillionInputTokens),
            cost("usd_per_million_output_tokens", Unit.USD_PER_MILLION_TOKENS, "per 1M output tokens", CostEstimate::usdPerMillionOutputTokens),
            // A GPU-hour's output scales with tokens/s, so the speed band is a cost band: more tokens/s, fewer dollars.
            Column.real("usd_per_million_output_tokens_low", Unit.USD_PER_MILLION_TOKENS, COST,
                    "per 1M output tokens, low end of the 80% band", e -> perMillionAt(e, e.perf() == null ? 0 : e.perf().outputTokensPerSecondHigh())),
            Column.real("usd_per_million_output_tokens_high", Unit.USD_PER_MILLION_TOKENS, COST,
                    "per 1M output tokens, high end of the 80% band", e -> perMillionAt(e, e.perf() == null ? 0 : e.perf().outputTokensPerSecondLow())),
            Column.text("price_source", COST, "price source", e -> e.cost() == null ? null : e.cost().price().provider() + " "
                    + e.cost().price().provenance().source() + " (as of " + e.cost().price().asOf() + ")"),
            Column.text("compared_api", COST, "compared API", e -> e.cost() == null || e.cost().api() == null ? null : e.cost().api().id()),
            cost("break_even_tokens_per_day", Unit.TOKENS_PER_DAY, "break-even vs API",
                    c -> c.breakEvenTokensPerDay() == null ? Double.NaN : c.breakEvenTokensPerDay()),
            cost("capacity_tokens_per_day", Unit.TOKENS_PER_DAY, "capacity", CostEstimate::capacityTokensPerDay),

            Column.text("verdict", MEMORY, "verdict", e -> e.memory().verdict()),
            Column.text("unavailable", SPEED, "not estimated", Estimate::unavailable));

    /** Columns whose value depends only on the deployment, never on the workload. */
    static final Set<String> PER_DEPLOYMENT = Set.of("model", "gpu", "gpus", "tp", "pp", "ep", "replicas", "engine",
            "engine_version", "weights_dtype", "kv_dtype", "params", "active_params", "weights_bytes", "weights_bytes_per_gpu",
            "kv_bytes_per_token", "kv_bytes_per_token_per_gpu", "runtime_overhead_bytes_per_gpu", "gpu_memory_bytes");

    private static final Map<String, Column> BY_NAME = ALL.stream().collect(Collectors.toUnmodifiableMap(Column::name, c -> c));

    private static Column perf(String name, Unit unit, String label, ToDoubleFunction<PerfEstimate> f) {
        return Column.real(name, unit, SPEED, label, e -> e.perf() == null ? Double.NaN : f.applyAsDouble(e.perf()));
    }

    /** Dollars per 1M output tokens had the deployment served {@code tokensPerSecond} instead of its estimate. */
    private static double perMillionAt(Estimate e, double tokensPerSecond) {
        if (e.cost() == null || e.perf() == null || !(tokensPerSecond > 0)) {
            return Double.NaN;
        }
        return e.cost().usdPerMillionOutputTokens() * e.perf().outputTokensPerSecond() / tokensPerSecond;
    }

    private static Column cost(String name, Unit unit, String label, ToDoubleFunction<CostEstimate> f) {
        return Column.real(name, unit, COST, label, e -> e.cost() == null ? Double.NaN : f.applyAsDouble(e.cost()));
    }

    public static Optional<Column> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The columns of the given groups, in list order. */
    public static List<Column> of(Group... groups) {
        Set<Group> wanted = groups.length == 0 ? EnumSet.allOf(Group.class) : EnumSet.of(groups[0], groups);
        return ALL.stream().filter(c -> wanted.contains(c.group())).toList();
    }

    /** The prose columns (verdict, reasons): left out of tables, where per-row text costs memory and is rarely read. */
    public static boolean isProse(Column c) {
        return c.name().equals("verdict") || c.name().equals("unavailable") || c.name().equals("price_source") || c.name().equals("refusal");
    }

}
