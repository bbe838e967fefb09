package dev.headroom.core.catalog;

import dev.headroom.core.base.Provenance;
import dev.headroom.core.cost.ApiPrice;
import dev.headroom.core.cost.GpuPrice;

/** Reads catalog/prices and catalog/api-prices entries. */
final class PriceReader {
    private PriceReader() {}

    static GpuPrice gpuPrice(Json j) {
        return new GpuPrice(j.text("gpu"), j.text("provider"), j.positiveDouble("on_demand_usd_per_gpu_hour"),
                j.has("spot_usd_per_gpu_hour") ? j.positiveDouble("spot_usd_per_gpu_hour") : null,
                j.text("as_of", "unknown"), new Provenance(j.text("source"), j.text("verified")));
    }

    static ApiPrice apiPrice(Json j) {
        return new ApiPrice(j.text("id"), j.text("provider"), j.text("model"),
                j.positiveDouble("usd_per_million_input_tokens"), j.positiveDouble("usd_per_million_output_tokens"),
                j.text("catalog_model", null), j.text("as_of", "unknown"), new Provenance(j.text("source"), j.text("verified")));
    }
}
