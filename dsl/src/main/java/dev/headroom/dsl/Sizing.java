package dev.headroom.dsl;

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

    /** The catalog GPUs of one vendor ("amd", "nvidia"), by id: {@code sweep().gpu(gpus("amd"))}. */
    public static List<String> gpus(String vendor) {
        return GpuQuery.all().vendor(Args.name("gpus(...)", vendor)).ids();
    }
}
