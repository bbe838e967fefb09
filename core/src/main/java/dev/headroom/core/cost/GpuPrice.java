package dev.headroom.core.cost;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;

/**
 * A published hourly price for one GPU at one provider.
 *
 * @param spotUsdPerGpuHour null when the provider publishes none
 * @param asOf              the date the price was shown
 */
public record GpuPrice(String gpu, String provider, double onDemandUsdPerGpuHour, Double spotUsdPerGpuHour, String asOf,
                       Provenance provenance) {
    /** A price the user states, e.g. a negotiated rate. */
    public static GpuPrice userStated(String gpu, double usdPerGpuHour) {
        if (!(usdPerGpuHour > 0) || Double.isInfinite(usdPerGpuHour)) {
            throw InvalidInputException.field("GPU price per hour", usdPerGpuHour, "must be a positive number of US dollars");
        }
        return new GpuPrice(gpu, "user", usdPerGpuHour, null, "given", new Provenance("user", "given"));
    }
}
