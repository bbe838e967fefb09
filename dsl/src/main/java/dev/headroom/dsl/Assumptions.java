package dev.headroom.dsl;

import dev.headroom.core.Estimate;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings and modelling choices behind one estimate, in words, one per line: what the engine reserves, the
 * precisions, the overheads, the efficiencies and how the load was resolved, and the price used.
 *
 * @param subject what was estimated, in one line
 */
public record Assumptions(String subject, List<String> lines) {
    public Assumptions {
        lines = List.copyOf(lines);
    }

    static Assumptions of(Scenario s, Estimate e) {
        List<String> all = new ArrayList<>(e.assumptions());
        if (e.cost() != null) {
            all.add("price: $" + String.format(java.util.Locale.ROOT, "%.2f", e.cost().usdPerGpuHour()) + " per GPU-hour, "
                    + e.cost().price().provider() + " (as of " + e.cost().price().asOf() + ")");
        }
        String why = e.unavailable();
        if (why != null) {
            all.add("not estimated: " + why);
        }
        return new Assumptions(s.toString(), all);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("assumptions for ").append(subject).append(":\n");
        lines.forEach(l -> b.append("  - ").append(l).append('\n'));
        return b.toString();
    }
}
