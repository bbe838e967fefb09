package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.Columns;
import dev.headroom.core.Estimate;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.TokenMixer;
import dev.headroom.core.plan.Fit;
import dev.headroom.core.plan.PlanOption;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Target;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Estimates as Tablesaw tables, one row each, made from the one column list ({@link Columns}): memory in exact
 * bytes, durations in milliseconds, money in US dollars — the same names and units as the JSON and CSV.
 */
public final class Tables {
    private Tables() {}

    /** Every column of the column list except prose; a part that could not be estimated is missing, never zero. */
    public static Results of(List<Estimate> estimates) {
        Args.notNull("of(estimates)", estimates);
        return of(estimates, Columns.ALL.stream().filter(c -> !Columns.isProse(c)).toList());
    }

    public static Results of(List<Estimate> estimates, List<Column> columns) {
        Args.noNulls("of(estimates, ...)", estimates);
        Args.noNulls("of(estimates, columns)", columns);
        TableBuilder b = new TableBuilder("estimates", columns, estimates.size());
        for (int i = 0; i < estimates.size(); i++) {
            b.set(i, estimates.get(i));
        }
        return Results.of(b.build());
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
        Args.notNull("kvPerToken(models)", models);
        for (String name : models) {
            ModelProfile p = Catalog.profile(Args.name("kvPerToken(models)", name));
            ModelSpec m = p.spec();
            long bytes = p.kvBytesPerToken(Precision.BF16);
            long copied = 2L * m.layerCount() * m.hiddenSize() * 2;
            id.append(m.id());
            attention.append(describe(m.attention()));
            layers.append(m.layerCount());
            exact.append(bytes);
            naive.append(copied);
            ratio.append(bytes == 0 ? Double.NaN : Math.round(100.0 * copied / bytes) / 100.0);
        }
        return Table.create("kv per token", id, attention, layers, exact, naive, ratio);
    }

    private static String describe(TokenMixer a) {
        if (a instanceof LatentAttention la) {
            return "MLA (latent " + (la.kvLoraRank() + la.qkRopeHeadDim()) + ")";
        }
        if (a instanceof Attention at) {
            return at.kvHeads() == at.heads() ? "MHA " + at.heads() + " heads" : "GQA " + at.kvHeads() + " KV / " + at.heads() + " heads";
        }
        return a.getClass().getSimpleName();
    }

    /** Deployments that fit, one row each: GPU, count, split, memory reserved and price. */
    public static Table fits(List<Fit> fits) {
        Args.noNulls("fits(fits)", fits);
        StringColumn gpu = StringColumn.create("gpu");
        LongColumn gpus = LongColumn.create("gpus");
        LongColumn tp = LongColumn.create("tp");
        LongColumn pp = LongColumn.create("pp");
        LongColumn reserved = LongColumn.create("total_bytes_per_gpu");
        LongColumn memory = LongColumn.create("gpu_memory_bytes");
        DoubleColumn usd = DoubleColumn.create("usd_per_hour");
        for (Fit f : fits) {
            gpu.append(f.deployment().gpu().id());
            gpus.append(f.deployment().gpus());
            tp.append(f.deployment().tp());
            pp.append(f.deployment().pp());
            reserved.append(f.memory().totalBytesPerGpu());
            memory.append(f.memory().gpuMemoryBytes());
            f.usdPerHour().ifPresentOrElse(usd::append, usd::appendMissing);
        }
        return Table.create("fits", gpu, gpus, tp, pp, reserved, memory, usd);
    }

    /** Capacity-plan options, one row each, cheapest first. */
    public static Table plan(List<PlanOption> options, Target target) {
        Args.noNulls("plan(options, ...)", options);
        Args.notNull("plan(options, target)", target);
        StringColumn gpu = StringColumn.create("gpu");
        LongColumn tp = LongColumn.create("tp");
        LongColumn replicas = LongColumn.create("replicas");
        LongColumn gpus = LongColumn.create("gpus");
        DoubleColumn perReplica = DoubleColumn.create(target instanceof Target.Users ? "users_per_replica" : "requests_per_s_per_replica");
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
            perReplica.append(o.perReplica());
            tpot.append(1e3 * o.tpotSeconds());
            if (o.ttftSeconds() == null) ttft.appendMissing(); else ttft.append(1e3 * o.ttftSeconds());
            output.append(o.outputTokensPerSecond());
            if (o.usdPerHour() == null) usd.appendMissing(); else usd.append(o.usdPerHour());
            if (o.usdPerMillionOutputTokens() == null) perMillion.appendMissing(); else perMillion.append(o.usdPerMillionOutputTokens());
        }
        // printed like the estimate tables: the units come from the one column list
        for (DoubleColumn c : List.of(tpot, ttft, output, usd, perMillion)) {
            CellFormats.apply(c, Columns.named(c.name()).orElseThrow().unit());
        }
        CellFormats.apply(perReplica, target instanceof Target.Users ? Column.Unit.COUNT
                : Column.Unit.REQUESTS_PER_S);
        return Table.create("plan: " + target, gpu, tp, replicas, gpus, perReplica, tpot, ttft, output, usd, perMillion);
    }

    /** A column of sweep-axis values: numbers stay numeric, anything else becomes text. */
    static tech.tablesaw.columns.Column<?> column(String name, List<Object> values) {
        if (values.stream().allMatch(v -> v instanceof Integer)) {
            return IntColumn.create(name, values.stream().mapToInt(v -> (Integer) v).toArray());
        }
        if (values.stream().allMatch(v -> v instanceof Integer || v instanceof Long)) {
            return LongColumn.create(name, values.stream().mapToLong(v -> ((Number) v).longValue()).toArray());
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return DoubleColumn.create(name, values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray());
        }
        return StringColumn.create(name, values.stream().map(String::valueOf).toList());
    }
}
