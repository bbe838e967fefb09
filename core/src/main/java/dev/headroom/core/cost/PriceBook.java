package dev.headroom.core.cost;

import dev.headroom.core.base.InvalidInputException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** GPU hourly prices and API token prices, as given (the catalog's, or a user's own); no IO here. */
public record PriceBook(List<GpuPrice> gpuPrices, List<ApiPrice> apiPrices) {
    public static final PriceBook EMPTY = new PriceBook(List.of(), List.of());

    public PriceBook {
        gpuPrices = List.copyOf(gpuPrices);
        apiPrices = List.copyOf(apiPrices);
    }

    /** The cheapest on-demand listing for a GPU, if there is one. */
    public Optional<GpuPrice> cheapestOnDemand(String gpuId) {
        return gpuPrices.stream().filter(p -> p.gpu().equals(gpuId))
                .min(Comparator.comparingDouble(GpuPrice::onDemandUsdPerGpuHour));
    }

    /** The cheapest spot listing for a GPU, if any provider publishes one. */
    public Optional<GpuPrice> cheapestSpot(String gpuId) {
        return gpuPrices.stream().filter(p -> p.gpu().equals(gpuId) && p.spotUsdPerGpuHour() != null)
                .min(Comparator.comparingDouble(GpuPrice::spotUsdPerGpuHour));
    }

    public ApiPrice api(String id) {
        return apiPrices.stream().filter(a -> a.id().equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> InvalidInputException.unknown("API price", id, apiPrices.stream().map(ApiPrice::id).toList()));
    }

    /** The cheapest API serving the same catalog model, to compare self-hosting against. */
    public Optional<ApiPrice> cheapestApiFor(String modelId) {
        return apiPrices.stream().filter(a -> modelId.equals(a.catalogModel()))
                .min(Comparator.comparingDouble(a -> a.usdPerMillionInputTokens() + a.usdPerMillionOutputTokens()));
    }
}
