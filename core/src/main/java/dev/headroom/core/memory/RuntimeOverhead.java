package dev.headroom.core.memory;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.DeviceMemory;

/**
 * The communication buffers a deployment's split puts on each GPU (NCCL, custom all-reduce), a physical fact of the
 * split; which engine charges them, and with which CUDA context, is each engine's rule ({@link DeviceMemory}).
 */
final class RuntimeOverhead {
    private RuntimeOverhead() {}

    /**
     * Tensor, pipeline and expert parallelism keep communication buffers; the large ones (custom all-reduce IPC
     * buffers, NVLS) exist only over NVLink, NVSwitch or Infinity Fabric. Over PCIe NCCL's buffers are small: SGLang
     * logs 0.71 GiB in use before the weights at TP2 on A800 PCIe cards and 0.86 GiB at TP4 on L4s, no more than the
     * CUDA context alone (found/memory.csv PS005, PS001).
     */
    static long communicationBytes(Deployment d) {
        return communicates(d) && linked(d) ? DeviceMemory.COMMUNICATION_BYTES : 0;
    }

    private static boolean communicates(Deployment d) {
        return d.tp() * d.pp() > 1 || d.ep() > 1;
    }

    private static boolean linked(Deployment d) {
        dev.headroom.core.hardware.Interconnect.Topology t = d.gpu().interconnect().topology();
        return t == dev.headroom.core.hardware.Interconnect.Topology.NVSWITCH || t == dev.headroom.core.hardware.Interconnect.Topology.NVLINK_BRIDGE
                || t == dev.headroom.core.hardware.Interconnect.Topology.XGMI;
    }

    static String describe(Deployment d) {
        if (!communicates(d)) {
            return "one GPU: no communication buffers";
        }
        return linked(d) ? "communication buffers per GPU (NCCL, custom all-reduce): " + Bytes.of(DeviceMemory.COMMUNICATION_BYTES)
                : "GPUs linked over PCIe: NCCL's buffers are small, none counted";
    }
}
