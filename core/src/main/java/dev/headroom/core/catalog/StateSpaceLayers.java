package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.Mamba;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure state-space models: every layer is one RMSNorm and one Mamba mixer, with no attention and no MLP.
 * Mamba-1 (mamba, falcon_mamba; modeling_mamba.py / modeling_falcon_mamba.py: in_proj to 2 x intermediate, a
 * depthwise conv, x_proj to dt_rank + 2 x state_size, dt_proj, A_log, D, out_proj) and Mamba-2 (mamba2;
 * modeling_mamba2.py: in_proj to 2 x intermediate + 2 x n_groups x state_size + num_heads, conv over
 * intermediate + 2 x n_groups x state_size channels, dt_bias, A_log, D, a gated norm, out_proj).
 */
final class StateSpaceLayers {
    private StateSpaceLayers() {}

    static boolean handles(String type) {
        return type.equals("mamba") || type.equals("falcon_mamba") || type.equals("mamba2");
    }

    static List<Layer> read(Json j, FamilyTraits f) {
        if (!j.bool("use_conv_bias", true)) {
            throw new InvalidInputException(j.file() + ": use_conv_bias = false is not modelled (every catalog Mamba has a conv bias)");
        }
        Mamba mixer = f.type.equals("mamba2") ? mamba2(j, f) : mamba1(j, f);
        int n = ConfigFields.layers(j);
        List<Layer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Layer(mixer, new Ffn.None(), f.normValues(1)));
        }
        return out;
    }

    /**
     * The width is intermediate_size when the config states it: falcon-mamba-7b's config.json says expand 16 next
     * to intermediate_size 8192, and its published 7.27B parameters are those of the 8192-wide mixer.
     */
    private static Mamba mamba1(Json j, FamilyTraits f) {
        int inner = j.has("intermediate_size") ? j.positiveInt("intermediate_size") : j.positiveInt("expand", 2) * f.hidden;
        int dtRank = j.raw("time_step_rank") instanceof Long ? j.positiveInt("time_step_rank") : Mixers.autoDtRank(f.hidden);
        return new Mamba(1, inner, 0, j.positiveInt("state_size", 16), 1, j.positiveInt("conv_kernel", 4), dtRank,
                j.bool("use_bias", false), false);
    }

    private static Mamba mamba2(Json j, FamilyTraits f) {
        int heads = j.positiveInt("num_heads");
        int headDim = j.positiveInt("head_dim", 64);
        int inner = heads * headDim;
        if (j.has("intermediate_size") && j.positiveInt("intermediate_size") != inner) {
            throw new InvalidInputException(j.file() + ": num_heads x head_dim = " + inner + " but intermediate_size = "
                    + j.positiveInt("intermediate_size") + " (Mamba-2 needs them equal)");
        }
        return new Mamba(2, inner, heads, j.positiveInt("state_size", 128), j.positiveInt("n_groups", 1), j.positiveInt("conv_kernel", 4),
                0, j.bool("use_bias", false), false);
    }
}
