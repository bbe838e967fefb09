package dev.headroom.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** GPU hourly prices and API token prices from catalog/prices and catalog/api-prices. */
public final class Prices {
    private static volatile List<GpuPrice> gpuPrices;
    private static volatile List<ApiPrice> apiPrices;

    private Prices() {}

    public static List<GpuPrice> gpuPrices() {
        if (gpuPrices == null) {
            gpuPrices = CatalogResources.read("prices").stream().map(e -> {
                Json j = Json.parse(e.text(), e.file());
                return new GpuPrice(j.text("gpu"), j.text("provider"), j.positiveDouble("on_demand_usd_per_gpu_hour"),
                        j.has("spot_usd_per_gpu_hour") ? j.positiveDouble("spot_usd_per_gpu_hour") : null,
                        j.text("as_of", "unknown"), new Provenance(j.text("source"), j.text("verified")));
            }).toList();
        }
        return gpuPrices;
    }

    public static List<ApiPrice> apiPrices() {
        if (apiPrices == null) {
            apiPrices = CatalogResources.read("api-prices").stream().map(e -> {
                Json j = Json.parse(e.text(), e.file());
                return new ApiPrice(j.text("id"), j.text("provider"), j.text("model"),
                        j.positiveDouble("usd_per_million_input_tokens"), j.positiveDouble("usd_per_million_output_tokens"),
                        j.text("catalog_model", null), j.text("as_of", "unknown"), new Provenance(j.text("source"), j.text("verified")));
            }).toList();
        }
        return apiPrices;
    }

    /** The cheapest on-demand listing for a GPU, if the catalog has one. */
    public static Optional<GpuPrice> cheapestOnDemand(String gpuId) {
        return gpuPrices().stream().filter(p -> p.gpu().equals(gpuId))
                .min(Comparator.comparingDouble(GpuPrice::onDemandUsdPerGpuHour));
    }

    /** The cheapest spot listing for a GPU, if any provider publishes one. */
    public static Optional<GpuPrice> cheapestSpot(String gpuId) {
        return gpuPrices().stream().filter(p -> p.gpu().equals(gpuId) && p.spotUsdPerGpuHour() != null)
                .min(Comparator.comparingDouble(GpuPrice::spotUsdPerGpuHour));
    }

    public static ApiPrice api(String id) {
        return apiPrices().stream().filter(a -> a.id().equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> InvalidInputException.unknown("API price", id, apiPrices().stream().map(ApiPrice::id).toList()));
    }

    /** The cheapest API serving the same catalog model, to compare self-hosting against. */
    public static Optional<ApiPrice> cheapestApiFor(String modelId) {
        return apiPrices().stream().filter(a -> modelId.equals(a.catalogModel()))
                .min(Comparator.comparingDouble(a -> a.usdPerMillionInputTokens() + a.usdPerMillionOutputTokens()));
    }
}
