package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.catalog.GpuQuery;
import dev.headroom.core.catalog.ModelQuery;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelSpec;
import java.util.List;

/**
 * The notebook's entry point, made for {@code import static dev.headroom.dsl.Sizing.*}:
 * <pre>
 *   model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 32, 128).table()
 * </pre>
 */
public final class Sizing {
    private Sizing() {}

    /** A catalog id, a Hugging Face repo id (from the catalog, or its config.json in the local Hugging Face cache), or a config.json path. */
    public static Scenario model(String name) {
        return Scenario.of(Catalog.profile(Args.name("model(...)", name)));
    }

    public static ModelSpec spec(String name) {
        return Catalog.model(Args.name("spec(...)", name));
    }

    public static Gpu gpu(String name) {
        return Catalog.gpu(Args.name("gpu(...)", name));
    }

    /** Every catalog model id. */
    public static List<String> models() {
        return Catalog.modelIds();
    }

    /** The catalog models of one family ("qwen", "llama"), by id: {@code sweep().model(models("qwen"))}. */
    public static List<String> models(String family) {
        return ModelQuery.all().family(Args.name("models(...)", family)).ids();
    }

    /** The catalog models a query finds: {@code models(modelQuery().family("qwen").minParams("30b"))}. */
    public static List<String> models(ModelQuery query) {
        return Args.notNull("models(...)", query).ids();
    }

    /** A query over every catalog model, to narrow by family and parameter count. */
    public static ModelQuery modelQuery() {
        return ModelQuery.all();
    }

    /** Every catalog GPU id. */
    public static List<String> gpus() {
        return Catalog.gpuIds();
    }

    /** {@code from}, twice that, and so on up to {@code to}: {@code powersOfTwo(1, 256)} is 1, 2, 4, ..., 256. */
    public static int[] powersOfTwo(int from, int to) {
        Args.positive("powersOfTwo(...)", from);
        if (to < from) {
            throw new InvalidInputException("powersOfTwo(" + from + ", " + to + "): the end must be at least the start");
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (long v = from; v <= to; v *= 2) {
            out.add((int) v);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code from}, {@code from + step}, ... up to and including {@code to}: {@code range(1024, 8192, 1024)}. */
    public static int[] range(int from, int to, int step) {
        Args.positive("range(from, to, ...)", step);
        if (to < from) {
            throw new InvalidInputException("range(" + from + ", " + to + ", " + step + "): the end must be at least the start");
        }
        return java.util.stream.IntStream.iterate(from, v -> v <= to && v >= from, v -> v + step).toArray();
    }

    /** Decimal steps, the end included when a step lands on it: {@code range(0.5, 4, 0.5)} for request rates. */
    public static double[] range(double from, double to, double step) {
        Args.positive("range(from, to, ...)", step);
        if (!(to >= from) || Double.isInfinite(to) || Double.isInfinite(from)) {
            throw new InvalidInputException("range(" + from + ", " + to + ", " + step + "): the end must be a number at least the start");
        }
        long n = (long) Math.floor((to - from) / step + 1e-9) + 1;
        if (n > 10_000_000) {
            throw new InvalidInputException("range(" + from + ", " + to + ", " + step + ") has " + n + " values; take a larger step");
        }
        double[] out = new double[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.round((from + i * step) * 1e9) / 1e9; // 0.1 + 0.2 prints as 0.3
        }
        return out;
    }

    /** The catalog GPUs of one vendor ("amd", "nvidia"), by id: {@code sweep().gpu(gpus("amd"))}. */
    public static List<String> gpus(String vendor) {
        return GpuQuery.all().vendor(Args.name("gpus(...)", vendor)).ids();
    }
}
