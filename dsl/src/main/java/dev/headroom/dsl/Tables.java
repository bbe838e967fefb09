package dev.headroom.dsl;

import dev.headroom.core.Attention;
import dev.headroom.core.Bytes;
import dev.headroom.core.CostEstimate;
import dev.headroom.core.Estimate;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemorySolver;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.PerfEstimate;
import dev.headroom.core.PlanOption;
import dev.headroom.core.Target;
import dev.headroom.core.Precision;
import java.util.List;
import java.util.function.Function;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Estimates as Tablesaw tables, one row each. Memory columns are GiB (2^30) and their names say so;
 * the exact byte counts stay in the estimates (and in the _bytes columns).
 */
public final class Tables {
    private Tables() {}

    /** Memory columns, then speed (ms, tokens/s) and cost (USD) columns; a part that could not be estimated is left empty. */
    public static Table of(List<Estimate> estimates) {
        Table t = memory(estimates.stream().map(Estimate::memory).toList());
        t.setName("estimates");
        StringColumn load = StringColumn.create("load");
        StringColumn bottleneck = StringColumn.create("bottleneck");
        for (Estimate e : estimates) {
            load.append(e.perf() == null ? "" : e.perf().load().toString());
            bottleneck.append(e.perf() == null ? "" : e.perf().bottleneck());
        }
        t.addColumns(load,
                perf(estimates, "concurrency", PerfEstimate::concurrency),
                perf(estimates, "ttft_ms", p -> p.ttftSeconds() == null ? null : 1e3 * p.ttftSeconds()),
                perf(estimates, "tpot_ms", p -> 1e3 * p.tpotSeconds()),
                perf(estimates, "output_tokens_per_s", PerfEstimate::outputTokensPerSecond),
                perf(estimates, "output_tokens_per_s_per_gpu", PerfEstimate::outputTokensPerSecondPerGpu),
                bottleneck,
                cost(estimates, "usd_per_hour", CostEstimate::usdPerHour),
                cost(estimates, "usd_per_million_input_tokens", CostEstimate::usdPerMillionInputTokens),
                cost(estimates, "usd_per_million_output_tokens", CostEstimate::usdPerMillionOutputTokens));
        return t;
    }

    private static DoubleColumn perf(List<Estimate> estimates, String name, Function<PerfEstimate, Double> value) {
        return doubles(estimates, name, e -> e.perf() == null ? null : value.apply(e.perf()));
    }

    private static DoubleColumn cost(List<Estimate> estimates, String name, Function<CostEstimate, Double> value) {
        return doubles(estimates, name, e -> e.cost() == null ? null : value.apply(e.cost()));
    }

    /** A numeric column where an estimate without the value (no capacity, no price, overloaded) is missing, never NaN. */
    private static DoubleColumn doubles(List<Estimate> estimates, String name, Function<Estimate, Double> value) {
        DoubleColumn c = DoubleColumn.create(name);
        for (Estimate e : estimates) {
            Double v = value.apply(e);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(round(v));
            }
        }
        return c;
    }

    /** Whole numbers from 100 up, four significant digits below: readable, and small prices never round to zero. */
    private static double round(double v) {
        return Math.abs(v) >= 100 ? Math.round(v) : new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    public static Table memory(List<MemoryEstimate> estimates) {
        Table t = Table.create("memory");
        StringColumn model = StringColumn.create("model");
        StringColumn gpu = StringColumn.create("gpu");
        IntColumn gpus = IntColumn.create("gpus");
        IntColumn tp = IntColumn.create("tp");
        StringColumn engine = StringColumn.create("engine");
        StringColumn weights = StringColumn.create("weights");
        StringColumn kv = StringColumn.create("kv");
        IntColumn batch = IntColumn.create("batch");
        IntColumn input = IntColumn.create("input_tokens");
        IntColumn output = IntColumn.create("output_tokens");
        DoubleColumn weightsGib = DoubleColumn.create("weights_gib");
        DoubleColumn kvGib = DoubleColumn.create("kv_cache_gib");
        DoubleColumn activationGib = DoubleColumn.create("activations_gib");
        DoubleColumn overheadGib = DoubleColumn.create("overhead_gib");
        DoubleColumn neededGib = DoubleColumn.create("needed_gib");
        DoubleColumn gpuGib = DoubleColumn.create("gpu_gib");
        DoubleColumn poolGib = DoubleColumn.create("kv_pool_gib");
        DoubleColumn concurrency = DoubleColumn.create("max_concurrency");
        BooleanColumn fits = BooleanColumn.create("fits");
        LongColumn neededBytes = LongColumn.create("needed_bytes");
        for (MemoryEstimate e : estimates) {
            model.append(e.model().id());
            gpu.append(e.deployment().gpu().id());
            gpus.append(e.deployment().gpus());
            tp.append(e.deployment().tp());
            engine.append(e.deployment().engine().name());
            weights.append(e.weights().name());
            kv.append(e.kv().name());
            batch.append(e.workload().batch());
            input.append(e.workload().inputTokens());
            output.append(e.workload().outputTokens());
            long needed = neededBytes(e);
            weightsGib.append(gib(e.weightsBytesPerGpu()));
            kvGib.append(gib(e.workloadKvBytesPerGpu()));
            activationGib.append(gib(e.activationBytesPerGpu()));
            overheadGib.append(gib(e.runtimeOverheadBytesPerGpu()));
            neededGib.append(gib(needed));
            gpuGib.append(gib(e.gpuMemoryBytes()));
            poolGib.append(gib(e.kvCacheBytesPerGpu()));
            concurrency.append(Math.round(e.maxConcurrency() * 100) / 100.0);
            fits.append(e.fits());
            neededBytes.append(needed);
        }
        return t.addColumns(model, gpu, gpus, tp, engine, weights, kv, batch, input, output, weightsGib, kvGib,
                activationGib, overheadGib, neededGib, gpuGib, poolGib, concurrency, fits, neededBytes);
    }

    /**
     * KV bytes per token of each model (bf16, one copy), next to the widely copied formula
     * 2 x layers x hidden x bytes that ignores grouped-query and latent attention.
     */
    public static Table kvPerToken(String... models) {
        StringColumn id = StringColumn.create("model");
        StringColumn attention = StringColumn.create("attention");
        IntColumn layers = IntColumn.create("layers");
        LongColumn exact = LongColumn.create("kv_bytes_per_token");
        LongColumn naive = LongColumn.create("naive_bytes_per_token");
        DoubleColumn ratio = DoubleColumn.create("naive_over_exact");
        for (String name : models) {
            ModelSpec m = Sizing.spec(name);
            Attention a = m.attention();
            long bytes = m.kvBytesPerToken(Precision.BF16);
            long copied = 2L * m.layers() * m.hiddenSize() * 2;
            id.append(m.id());
            attention.append(a.isMla() ? "MLA (latent " + (a.mla().kvLoraRank() + a.mla().qkRopeHeadDim()) + ")"
                    : a.kvHeads() == a.heads() ? "MHA " + a.heads() + " heads" : "GQA " + a.kvHeads() + " KV / " + a.heads() + " heads");
            layers.append(m.layers());
            exact.append(bytes);
            naive.append(copied);
            ratio.append(Math.round(100.0 * copied / bytes) / 100.0);
        }
        return Table.create("kv per token", id, attention, layers, exact, naive, ratio);
    }

    /** Deployments that fit, one row each: GPU, count, split, memory used and price. */
    public static Table fits(List<MemorySolver.Fit> fits) {
        StringColumn gpu = StringColumn.create("gpu");
        IntColumn gpus = IntColumn.create("gpus");
        IntColumn tp = IntColumn.create("tp");
        IntColumn pp = IntColumn.create("pp");
        DoubleColumn needed = DoubleColumn.create("needed_gib");
        DoubleColumn memory = DoubleColumn.create("gpu_gib");
        DoubleColumn usd = DoubleColumn.create("usd_per_hour");
        for (MemorySolver.Fit f : fits) {
            gpu.append(f.deployment().gpu().id());
            gpus.append(f.deployment().gpus());
            tp.append(f.deployment().tp());
            pp.append(f.deployment().pp());
            needed.append(gib(neededBytes(f.memory())));
            memory.append(gib(f.memory().gpuMemoryBytes()));
            f.usdPerHour().ifPresentOrElse(v -> usd.append(round(v)), usd::appendMissing);
        }
        return Table.create("fits", gpu, gpus, tp, pp, needed, memory, usd);
    }

    /** Capacity-plan options, one row each, cheapest first. */
    public static Table plan(List<PlanOption> options, Target target) {
        StringColumn gpu = StringColumn.create("gpu");
        IntColumn tp = IntColumn.create("tp");
        IntColumn replicas = IntColumn.create("replicas");
        IntColumn gpus = IntColumn.create("gpus");
        DoubleColumn perReplica = DoubleColumn.create(target.kind() == Target.Kind.USERS ? "users_per_replica" : "requests_per_s_per_replica");
        DoubleColumn tpot = DoubleColumn.create("tpot_ms");
        DoubleColumn ttft = DoubleColumn.create("ttft_ms");
        DoubleColumn output = DoubleColumn.create("output_tokens_per_s");
        DoubleColumn usd = DoubleColumn.create("usd_per_hour");
        DoubleColumn perMillion = DoubleColumn.create("usd_per_million_output_tokens");
        for (PlanOption o : options) {
            gpu.append(o.gpu().id());
            tp.append(o.tp());
            replicas.append(o.replicas());
            gpus.append(o.gpus());
            perReplica.append(round(o.perReplica()));
            tpot.append(round(1e3 * o.tpotSeconds()));
            if (o.ttftSeconds() == null) ttft.appendMissing(); else ttft.append(round(1e3 * o.ttftSeconds()));
            output.append(round(o.outputTokensPerSecond()));
            if (o.usdPerHour() == null) usd.appendMissing(); else usd.append(round(o.usdPerHour()));
            if (o.usdPerMillionOutputTokens() == null) perMillion.appendMissing(); else perMillion.append(round(o.usdPerMillionOutputTokens()));
        }
        return Table.create("plan: " + target, gpu, tp, replicas, gpus, perReplica, tpot, ttft, output, usd, perMillion);
    }

    /** A column of sweep-axis values: numbers stay numeric, anything else becomes text. */
    static tech.tablesaw.columns.Column<?> column(String name, List<Object> values) {
        if (values.stream().allMatch(v -> v instanceof Integer)) {
            return IntColumn.create(name, values.stream().mapToInt(v -> (Integer) v).toArray());
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return DoubleColumn.create(name, values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray());
        }
        return StringColumn.create(name, values.stream().map(String::valueOf).toList());
    }

    /** Per GPU: what the batch itself needs (weights + its KV + activations + overhead), engine reserve aside. */
    static long neededBytes(MemoryEstimate e) {
        return e.weightsBytesPerGpu() + e.workloadKvBytesPerGpu() + e.activationBytesPerGpu() + e.runtimeOverheadBytesPerGpu();
    }

    static double gib(long bytes) {
        return Math.round(Bytes.of(bytes).gib() * 1000) / 1000.0;
    }
}
