package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.GatedDeltaNet;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Mamba;
import dev.headroom.core.model.MoeFfn;
import org.junit.jupiter.api.Test;

/**
 * Saved activations per token of each layer kind, by the rule LayerActivations documents (autograd saves each op's
 * inputs, 2 bytes per value): norms' and first projections' inputs outside tensor-parallel regions; the attention
 * inputs, the MLP's intermediate tensors and the router's inside; the matmul outputs torchtitan's op policy keeps.
 */
class LayerActivations_kindsTest {
    private static Layer layer(String model, int i) {
        return Catalog.profile(model).spec().layers().get(i);
    }

    @Test
    void should_save_latent_attention_and_a_moe_block_with_shared_experts() {
        // DeepSeek-V2-Lite layer 1: 16 heads, q 16 x 192, v 16 x 128, latent 0 + 512 + 64; 64 experts of 1408, top 6,
        // 2 shared experts (2816 wide); hidden 2048
        Layer l = layer("deepseek-v2-lite", 1);
        LatentAttention la = (LatentAttention) l.mixer();
        assertEquals(16, la.heads());
        MoeFfn moe = (MoeFfn) l.ffn();
        assertEquals(2816, moe.sharedIntermediate());
        long h = 2048, qk = 16 * 192, v = 16 * 128, latent = 512 + 64;
        long lse = 4 * 16;
        long experts = 6 * 4 * 2 * 1408L;
        long shared = 4 * 2 * 2816L;
        long router = 4 * 64 + 2 * 6 * 2 * h;

        LayerActivations flash = LayerActivations.of(l, h, true, false, false);
        assertEquals(2 * 2 * 2 * h, flash.outside(), "two blocks: norm input and first projections' input, 2 B each");
        assertEquals(2 * (latent + 2 * qk + 2 * v) + lse + experts + shared + router, flash.inside());
        assertEquals(0, flash.perAttended());
        assertEquals(2 * h, flash.input());
        long attentionMatmuls = 2 * (latent + qk + qk + v + h);
        long ffnMatmuls = 6 * 2 * (2 * 1408L + h) + 2 * (2 * 2816L + h) + 4 * 64;
        assertEquals(2 * v + lse + (attentionMatmuls + ffnMatmuls) / 2, flash.opPolicyKept());

        // eager attention with dropout: the softmax output (2 B), its mask (1 B) and the dropped-out copy (2 B) per head
        LayerActivations eager = LayerActivations.of(l, h, false, true, false);
        assertEquals(16 * 5, eager.perAttended());
        assertEquals(2 * 2 * 2 * h + 2 * h, eager.outside(), "plus two one-byte dropout masks");
        assertEquals(2 * (latent + 2 * qk + 2 * v) + experts + shared + router, eager.inside());
        assertEquals(16 * 2, LayerActivations.of(l, h, false, false, false).perAttended());

        // torch.compile keeps only the gated projections' outputs: 2 tensors instead of 4
        LayerActivations compiled = LayerActivations.of(l, h, true, false, true);
        assertEquals(flash.inside() - (6 * 2 * 2 * 1408L) - 2 * 2 * 2816L, compiled.inside());
    }

    @Test
    void should_save_a_mamba_mixers_projected_inputs_twice_and_no_mlp_where_there_is_none() {
        // Falcon-Mamba: no MLP, one block; the mixer's live width w = 2 inner + 2 groups x state, 2 B per value
        Layer l = layer("falcon-mamba-7b", 0);
        Mamba mb = (Mamba) l.mixer();
        long w = 2 * (2L * mb.innerSize() + 2L * mb.groups() * mb.stateSize());
        assertEquals(w, 2 * mb.activationWidth());

        LayerActivations a = LayerActivations.of(l, 4096, true, false, false);

        assertEquals(2 * 1 * 2 * 4096, a.outside());
        assertEquals(2 * w, a.inside());
        assertEquals(0, a.perAttended());
        assertEquals(w + w / 2, a.opPolicyKept());
    }

    @Test
    void should_save_a_gated_delta_net_like_any_recurrent_mixer() {
        // Qwen3-Next layer 0: gated delta net; MoE of 512 experts (top 10, 512 wide) and one shared expert of 512
        Layer l = layer("qwen3-next-80b-a3b-instruct", 0);
        GatedDeltaNet g = (GatedDeltaNet) l.mixer();
        long w = 2 * g.activationWidth();
        long h = 2048;
        long experts = 10 * 4 * 2 * 512L;
        long shared = 4 * 2 * 512L;
        long router = 4 * 512 + 2 * 10 * 2 * h;

        LayerActivations a = LayerActivations.of(l, h, true, false, false);

        assertEquals(2 * w + experts + shared + router, a.inside());
        long ffnMatmuls = 10 * 2 * (2 * 512L + h) + 2 * (2 * 512L + h) + 4 * 512;
        assertEquals(w + (w + ffnMatmuls) / 2, a.opPolicyKept());
    }

    @Test
    void should_save_a_plain_mlp_as_two_tensors_and_one_under_compile() {
        // Nemotron-H layer 1: no mixer; plain MLP 21504 wide: its projection's output and the activation's
        Layer l = layer("nemotron-h-8b-base-8k", 1);

        LayerActivations a = LayerActivations.of(l, 4096, true, true, false);
        LayerActivations c = LayerActivations.of(l, 4096, true, false, true);

        assertEquals(2 * 1 * 2 * 4096 + 4096, a.outside(), "one block and its dropout mask");
        assertEquals(2 * 2 * 21504, a.inside());
        assertEquals(1 * 2 * 21504, c.inside());
        assertEquals(2 * (21504 + 4096) / 2, a.opPolicyKept());
    }

    @Test
    void should_keep_the_input_and_every_other_matmul_output_under_selective_with_fused_attention() {
        LayerActivations a = new LayerActivations(100, 800, 0, 40, 300);
        // fused attention: the input (split under SP) and the op policy's outputs, split by tp
        assertEquals(40 + 300 / 4.0, a.selective(4, false));
        assertEquals(40 / 4.0 + 300 / 4.0, a.selective(4, true));
        // eager attention: drop the context-sized terms, keep outside and inside
        LayerActivations eager = new LayerActivations(100, 800, 5, 40, 300);
        assertEquals(100 + 800 / 4.0, eager.selective(4, false));
        assertEquals(100 / 4.0 + 800 / 4.0, eager.selective(4, true));
        assertEquals(40, a.full(4, false));
        assertEquals(10, a.full(4, true));
        assertEquals(100 + 800 / 4.0 + 5 * 1000 / 4.0, eager.none(4, false, 1000));
        assertEquals(100 / 4.0 + 800 / 4.0 + 5 * 1000 / 4.0, eager.none(4, true, 1000));
    }
}
