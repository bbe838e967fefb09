package dev.headroom.core.catalog;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** STYLE.md section 9: every price is data with provenance, positive, and about something the catalog knows. */
class Prices_catalogTest {
    @Test
    void should_load_every_gpu_price_file_with_positive_prices_for_a_catalog_gpu() {
        Set<String> gpus = Catalog.gpus().stream().map(Gpu::id).collect(Collectors.toSet());

        assertEquals(CatalogFiles.files("prices").size(), Catalog.prices().gpuPrices().size(), "one price per file in catalog/prices");
        for (GpuPrice p : Catalog.prices().gpuPrices()) {
            assertTrue(p.onDemandUsdPerGpuHour() > 0 && Double.isFinite(p.onDemandUsdPerGpuHour()), p.toString());
            if (p.spotUsdPerGpuHour() != null) {
                assertTrue(p.spotUsdPerGpuHour() > 0, p.toString());
                assertTrue(p.spotUsdPerGpuHour() <= p.onDemandUsdPerGpuHour(), "spot dearer than on-demand: " + p);
            }
            assertTrue(gpus.contains(p.gpu()), "price for a GPU the catalog does not have: " + p);
            assertFalse(p.provider().isBlank(), p.toString());
            assertNotNull(p.provenance().source(), p.toString());
            assertNotNull(p.provenance().verified(), p.toString());
        }
    }

    @Test
    void should_name_each_price_file_after_its_gpu_and_provider() {
        for (var file : CatalogFiles.files("prices")) {
            var j = CatalogFiles.read(file);
            assertEquals(j.get("gpu").asText() + "--" + j.get("provider").asText(), CatalogFiles.baseName(file));
        }
    }

    @Test
    void should_load_every_api_price_with_positive_prices() {
        Set<String> models = Catalog.modelIds().stream().collect(Collectors.toSet());

        assertEquals(CatalogFiles.files("api-prices").size(), Catalog.prices().apiPrices().size(), "one price per file in catalog/api-prices");
        for (ApiPrice a : Catalog.prices().apiPrices()) {
            assertTrue(a.usdPerMillionInputTokens() > 0 && Double.isFinite(a.usdPerMillionInputTokens()), a.toString());
            assertTrue(a.usdPerMillionOutputTokens() > 0 && Double.isFinite(a.usdPerMillionOutputTokens()), a.toString());
            assertTrue(a.catalogModel() == null || models.contains(a.catalogModel()), "API for an unknown model: " + a);
            assertNotNull(a.provenance().source(), a.toString());
            assertEquals(a, Catalog.prices().api(a.id()), "looked up by its id");
        }
    }

    @Test
    void should_reject_an_unknown_api_id_listing_known_ones() {
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> Catalog.prices().api("together-llama-9"));

        assertTrue(e.getMessage().contains("'together-llama-9'"), e.getMessage());
        assertTrue(Messages.known(e.getMessage()).contains("together-llama-3.1-8b-turbo"), e.getMessage());
    }
}
