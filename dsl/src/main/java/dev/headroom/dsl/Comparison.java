package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code compare(...)}: the same scenario on several GPUs or for several models. Which one is meant is read from the
 * names: all GPUs or all models; anything else is refused with the names that are neither.
 */
final class Comparison {
    private Comparison() {}

    static Sweep of(Scenario base, String... names) {
        Args.notNull("compare(...)", names);
        if (names.length == 0) {
            throw new InvalidInputException("compare(...) needs GPU or model names, e.g. compare(\"h100-sxm\", \"h200\")");
        }
        List<String> gpus = Catalog.gpuIds();
        List<String> models = Catalog.modelIds();
        List<String> notGpus = new ArrayList<>();
        for (String n : names) {
            Args.name("compare(...)", n);
            if (!isGpu(n, gpus)) {
                notGpus.add(n);
            }
        }
        if (notGpus.isEmpty()) {
            return base.sweep().gpu(names);
        }
        List<String> notModels = Arrays.stream(names).filter(n -> !isModel(n, models)).toList();
        if (notModels.isEmpty()) {
            return base.sweep().model(names);
        }
        if (notGpus.size() == names.length) {
            throw InvalidInputException.unknown("model or GPU for compare(...)", notModels.get(0), models);
        }
        throw new InvalidInputException("compare(...) takes only GPUs or only models; neither GPUs: " + notGpus);
    }

    private static boolean isGpu(String name, List<String> ids) {
        return known(name, ids, Catalog::gpu);
    }

    private static boolean isModel(String name, List<String> ids) {
        return known(name, ids, Catalog::profile);
    }

    /** Listed, or found by the catalog's own lookup. */
    private static boolean known(String name, List<String> ids, java.util.function.Consumer<String> lookup) {
        if (ids.contains(name)) {
            return true;
        }
        try {
            lookup.accept(name);
            return true;
        } catch (InvalidInputException notOne) {
            return false;
        }
    }
}
