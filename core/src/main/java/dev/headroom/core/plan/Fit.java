package dev.headroom.core.plan;

import dev.headroom.core.cost.GpuPrice;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import java.util.Optional;

/** A deployment that fits, with its memory estimate and, when one is known, its price. */
public record Fit(Deployment deployment, MemoryEstimate memory, Optional<GpuPrice> price) {
    public Optional<Double> usdPerHour() {
        return price.map(p -> p.onDemandUsdPerGpuHour() * deployment.gpus());
    }
}
