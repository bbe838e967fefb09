package dev.headroom.dsl;

import dev.headroom.core.Catalog;
import dev.headroom.core.Gpu;
import dev.headroom.core.ModelSpec;
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
        return Scenario.of(Catalog.model(name));
    }

    public static ModelSpec spec(String name) {
        return Catalog.model(name);
    }

    public static Gpu gpu(String name) {
        return Catalog.gpu(name);
    }

    public static List<String> models() {
        return Catalog.models().stream().map(ModelSpec::id).sorted().toList();
    }

    public static List<String> gpus() {
        return Catalog.gpus().stream().map(Gpu::id).sorted().toList();
    }
}
