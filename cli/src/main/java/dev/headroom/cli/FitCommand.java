package dev.headroom.cli;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.plan.Fit;
import dev.headroom.core.plan.MemorySolver;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Option;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Does it fit, and if not, what would: the largest batch at this context, the longest context at this batch,",
                "the fewest GPUs of this type, and the cheapest catalog GPUs that hold the batch at full context."})
final class FitCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions options;

    /** The engine's own settings, named as the engine names them (picocli hands over what it does not know). */
    @Unmatched
    List<String> engineKnobs = new java.util.ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Sequences that must fit at once (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        options.engineKnobs = engineKnobs;
        if (batch <= 0) {
            throw dev.headroom.core.base.InvalidInputException.field("--batch", batch, "must be a positive whole number of sequences");
        }
        ModelProfile m = options.model();
        Workload w = Workload.of(batch, options.inputTokens, options.outputTokens);
        Deployment d = options.deployment();
        Deployment sized = d.withEngine(options.engineSizedFor(w.contextTokens(), m));
        MemoryEstimate now = MemoryModel.estimate(m, sized, w);
        // A max length the user fixed below the request: no GPU count or batch makes it fit, so none is suggested.
        boolean beyondFixedLength = options.maxModelLen != null && w.contextTokens() > options.maxModelLen;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.id());
        r.put("gpu", d.gpu().id());
        r.put("gpus", d.gpus());
        r.put("fits", now.fits());
        r.put("verdict", now.verdict());
        r.put("headroom_bytes_per_gpu", now.headroomBytesPerGpu());
        r.put("shortfall_bytes_per_gpu", now.shortfallBytesPerGpu());
        r.put("largest_batch", beyondFixedLength ? null : value(MemorySolver.largestBatch(m, d, w.inputTokens(), w.outputTokens())));
        r.put("longest_context", value(options.maxModelLen != null
                ? MemorySolver.longestContext(m, d, w.sequencesAtOnce(), options.maxModelLen)
                : MemorySolver.longestContext(m, d, w.sequencesAtOnce())));
        r.put("fewest_gpus", (beyondFixedLength ? java.util.Optional.<Fit>empty() : MemorySolver.fewestGpus(m, d, w, Catalog.prices())).map(f -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("gpus", f.deployment().gpus());
            g.put("tp", f.deployment().tp());
            g.put("pp", f.deployment().pp());
            return (Object) g;
        }).orElse(null));
        List<Map<String, Object>> cheapest = new ArrayList<>();
        List<Fit> fits = beyondFixedLength ? List.of() : MemorySolver.cheapestGpus(m, d, w, Catalog.gpus(), Catalog.prices());
        for (Fit f : fits.stream().limit(5).toList()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("gpu", f.deployment().gpu().id());
            c.put("gpus", f.deployment().gpus());
            c.put("usd_per_hour", f.usdPerHour().orElse(null));
            cheapest.add(c);
        }
        r.put("cheapest_gpus", cheapest);
        String text = switch (output.format) {
            case json -> OutputFormat.json(r);
            case csv -> OutputFormat.csv(List.of(r));
            case text -> text(r, w, cheapest, now);
        };
        output.print(text);
        return 0;
    }

    private static Integer value(OptionalInt v) {
        return v.isPresent() ? v.getAsInt() : null;
    }

    private static String text(Map<String, Object> r, Workload w, List<Map<String, Object>> cheapest, MemoryEstimate now) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s on %s x %s, batch %d x %d tokens: %s%n", r.get("model"), r.get("gpus"), r.get("gpu"),
                w.sequencesAtOnce(), w.contextTokens(), now.fits() ? "FITS" : "DOES NOT FIT"));
        b.append("  ").append(r.get("verdict")).append('\n');
        b.append(String.format(Locale.ROOT, "  largest batch at %d tokens: %s%n", w.contextTokens(), orNone(r.get("largest_batch"))));
        b.append(String.format(Locale.ROOT, "  longest context at batch %d: %s tokens%n", w.sequencesAtOnce(), orNone(r.get("longest_context"))));
        b.append(String.format(Locale.ROOT, "  fewest GPUs of this type: %s%n", r.get("fewest_gpus") instanceof Map<?, ?> g
                ? g.get("gpus") + " (tp=" + g.get("tp") + ", pp=" + g.get("pp") + ")" : "none"));
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Map<String, Object> c : cheapest) {
            Map<String, Object> s = new LinkedHashMap<>(c);
            s.put("usd_per_hour", c.get("usd_per_hour") == null ? "no price" : String.format(Locale.ROOT, "%.2f", (Double) c.get("usd_per_hour")));
            shown.add(s);
        }
        b.append("  cheapest catalog GPUs that fit:\n").append(TextTable.of(shown, List.of("gpu", "gpus", "usd_per_hour")).indent(4));
        return b.toString();
    }

    private static Object orNone(Object v) {
        return v == null ? "none" : v;
    }

}
