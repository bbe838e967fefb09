package dev.headroom.dsl;

import dev.headroom.core.catalog.Catalog;
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

    /** A catalog id, a Hugging Face repo id, or the path of a config.json. */
    public static Scenario model(String name) {
        return Scenario.of(Catalog.profile(Args.name("model(...)", name)));
    }

    public static ModelSpec spec(String name) {
        return Catalog.model(Args.name("spec(...)", name));
    }

    public static Gpu gpu(String name) {
        return Catalog.gpu(Args.name("gpu(...)", name));
    }

    public static List<String> models() {
        return Catalog.modelIds();
    }

    public static List<String> gpus() {
        return Catalog.gpuIds();
    }
}
