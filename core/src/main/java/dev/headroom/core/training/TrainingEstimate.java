package dev.headroom.core.training;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.cost.GpuPrice;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.Locale;

/**
 * Memory, time and cost of one training setup of a model on a GPU type. Time and cost exist only when the
 * setup fits ({@link #time()} is null otherwise); cost only when a price is known.
 *
 * @param time  null when the setup does not fit
 * @param price the price used: the user's, or the catalog's cheapest on-demand listing; null when none is known
 */
public record TrainingEstimate(ModelProfile model, Gpu gpu, TrainingSetup setup, TrainingMemory memory, TrainingTime time,
                               GpuPrice price, TrainingEfficiency efficiency) {

    public boolean fits() {
        return memory.fits();
    }

    /** GPU-hours to train on the setup's token budget; NaN without a budget or when it does not fit. */
    public double gpuHours() {
        if (time == null || setup.tokens() <= 0) {
            return Double.NaN;
        }
        return setup.tokens() / time.tokensPerSecondPerGpu() / 3600.0;
    }

    /** Hours of wall-clock time on the setup's GPUs for the token budget. */
    public double wallClockHours() {
        return gpuHours() / setup.gpus();
    }

    public double usd() {
        return price == null ? Double.NaN : gpuHours() * price.onDemandUsdPerGpuHour();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(model.id()).append(" on ").append(gpu.id()).append(": ").append(setup).append('\n');
        b.append(String.format(Locale.ROOT, "parameters %,d, trainable %,d%n", memory.params(), memory.trainableParams()));
        b.append(memory);
        if (time == null) {
            b.append("no time or cost: the setup does not fit\n");
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "time: %s%n", time));
        if (setup.tokens() > 0) {
            b.append(String.format(Locale.ROOT, "budget %,d tokens: %.1f GPU-hours (%.1f h on %d GPUs)", setup.tokens(), gpuHours(),
                    wallClockHours(), setup.gpus()));
            if (price != null) {
                b.append(String.format(Locale.ROOT, ", $%,.0f at $%.2f per GPU-hour (%s, as of %s)", usd(), price.onDemandUsdPerGpuHour(),
                        price.provider(), price.asOf()));
            }
            b.append('\n');
        }
        b.append("efficiency: ").append(efficiency).append('\n');
        if (memory.hostBytes() > 0) {
            b.append("host memory for offloaded states: ").append(Bytes.of(memory.hostBytes())).append(" per node\n");
        }
        return b.toString();
    }
}
