package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.DeviceMemory;
import dev.headroom.core.engine.Vllm;
import org.junit.jupiter.api.Test;

/**
 * Communication buffers exist where ranks talk over a fast link (NVSwitch, an NVLink bridge, Infinity Fabric); over PCIe
 * NCCL's buffers are small and none are counted (found/memory.csv PS005, PS001); activations are the widest layer's
 * live tensors plus the residual stream (ActivationModel's formula).
 */
class RuntimeOverhead_buffersTest {
    private static Deployment on(String gpu, int gpus, int tp, int pp, int ep) {
        return new Deployment(Catalog.gpu(gpu), gpus, tp, pp, ep, null, null, Vllm.defaults());
    }

    @Test
    void should_count_buffers_only_for_ranks_that_talk_over_a_fast_link() {
        long buffers = DeviceMemory.COMMUNICATION_BYTES;
        assertEquals(0, RuntimeOverhead.communicationBytes(on("h100-sxm", 1, 1, 1, 1)));
        assertEquals(0, RuntimeOverhead.communicationBytes(on("h100-sxm", 2, 1, 1, 1)), "two replicas do not talk");
        assertEquals(buffers, RuntimeOverhead.communicationBytes(on("h100-sxm", 2, 2, 1, 1)));
        assertEquals(buffers, RuntimeOverhead.communicationBytes(on("h100-sxm", 2, 1, 2, 1)));
        assertEquals(buffers, RuntimeOverhead.communicationBytes(on("h100-sxm", 2, 1, 1, 2)));
        assertEquals(buffers, RuntimeOverhead.communicationBytes(on("a40", 2, 2, 1, 1)), "NVLink bridge");
        assertEquals(buffers, RuntimeOverhead.communicationBytes(on("mi300x", 2, 2, 1, 1)), "Infinity Fabric");
        assertEquals(0, RuntimeOverhead.communicationBytes(on("l4", 2, 2, 1, 1)), "PCIe");
        assertEquals("one GPU: no communication buffers", RuntimeOverhead.describe(on("h100-sxm", 2, 1, 1, 1)));
        assertEquals("GPUs linked over PCIe: NCCL's buffers are small, none counted", RuntimeOverhead.describe(on("l4", 2, 2, 1, 1)));
        assertEquals("communication buffers per GPU (NCCL, custom all-reduce): 1.79 GiB", RuntimeOverhead.describe(on("h100-sxm", 2, 2, 1, 1)));
    }

    @Test
    void should_hold_the_widest_layers_tensors_and_the_residual_stream_per_token() {
        // Llama-3.1-8B: the gated MLP (3 x 14,336 = 43,008) is wider than attention ((32 + 8) x (128 + 128) = 10,240)
        ActivationModel one = new ActivationModel(Catalog.model("llama-3.1-8b"), 1, 2);
        ActivationModel tp2 = new ActivationModel(Catalog.model("llama-3.1-8b"), 2, 2);

        assertEquals(1000L * 2 * (43_008 + 2 * 4096), one.forwardBytes(1000));
        assertEquals(1000L * 2 * (43_008 / 2 + 2 * 4096), tp2.forwardBytes(1000), "the width splits over TP; the residual stream does not");
        assertEquals(0, one.forwardBytes(0));
    }
}
