package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.ParamCount;
import dev.headroom.core.model.ModelProfile;
import java.util.List;
import java.util.Locale;

/**
 * Which catalog models to list: a family ("qwen") and a range of total parameters, each optional. Immutable: every
 * step returns a new query. The command line and the notebook DSL both find models through it.
 *
 * @param family    lowercase family name, or null for every family
 * @param minParams smallest total parameter count kept, or null
 * @param maxParams largest total parameter count kept, or null
 */
public record ModelQuery(String family, ParamCount minParams, ParamCount maxParams) {

    public static ModelQuery all() {
        return new ModelQuery(null, null, null);
    }

    /** Only this family (case-insensitive); an unknown one is refused with the families the catalog has. */
    public ModelQuery family(String name) {
        if (name == null || name.isBlank()) {
            return new ModelQuery(null, minParams, maxParams);
        }
        String f = name.trim().toLowerCase(Locale.ROOT);
        List<String> known = Catalog.families();
        if (!known.contains(f)) {
            throw InvalidInputException.unknown("family", name, known);
        }
        return new ModelQuery(f, minParams, maxParams);
    }

    /** At least this many parameters in total: "7b", "1.5B", "500m", "70e9". */
    public ModelQuery minParams(String count) {
        return minParams(ParamCount.parse(count, "minParams"));
    }

    /** At most this many parameters in total. */
    public ModelQuery maxParams(String count) {
        return maxParams(ParamCount.parse(count, "maxParams"));
    }

    public ModelQuery minParams(ParamCount count) {
        return new ModelQuery(family, count, maxParams);
    }

    public ModelQuery maxParams(ParamCount count) {
        return new ModelQuery(family, minParams, count);
    }

    /** The matching models' profiles, by id. */
    public List<ModelProfile> profiles() {
        if (minParams != null && maxParams != null && minParams.compareTo(maxParams) > 0) {
            throw new InvalidInputException("the smallest parameter count asked for (" + minParams
                    + ") is above the largest (" + maxParams + "): no model can match");
        }
        return Catalog.modelIds().stream().map(Catalog::profile).filter(this::matches).toList();
    }

    public List<String> ids() {
        return profiles().stream().map(ModelProfile::id).toList();
    }

    private boolean matches(ModelProfile m) {
        return (family == null || family.equals(m.spec().family().toLowerCase(Locale.ROOT)))
                && (minParams == null || m.params() >= minParams.value())
                && (maxParams == null || m.params() <= maxParams.value());
    }
}
