package dev.headroom.core.cost;

import dev.headroom.core.base.Provenance;

/**
 * A hosted API's list price per million tokens, to compare self-hosting against.
 *
 * @param catalogModel the catalog model the API serves, or null for closed models
 */
public record ApiPrice(String id, String provider, String model, double usdPerMillionInputTokens,
                       double usdPerMillionOutputTokens, String catalogModel, String asOf, Provenance provenance) {}
