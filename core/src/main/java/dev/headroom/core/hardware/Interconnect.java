package dev.headroom.core.hardware;

/**
 * The GPU-to-GPU link that tensor, expert and pipeline parallelism use.
 *
 * @param bytesPerSecond   per GPU, per direction (decimal)
 * @param latencySeconds   one hop of a collective; null when no source states it
 * @param topology         how GPUs of a node are wired
 * @param maxGpusPerNode   GPUs one such link joins (8 on HGX, 72 on an NVL72 rack, 2 on an NVLink bridge)
 */
public record Interconnect(String name, double bytesPerSecond, Double latencySeconds, Topology topology, int maxGpusPerNode) {
    public enum Topology {
        /** Every GPU reaches every other at full link bandwidth through switches (HGX, NVL72). */
        NVSWITCH,
        /** A bridge between a pair of cards. */
        NVLINK_BRIDGE,
        /** AMD Infinity Fabric, a full mesh of point-to-point links. */
        XGMI,
        /** Through the host's PCIe switches. */
        PCIE,
        /** Scale-out Ethernet/RoCE ports on the accelerator (Gaudi). */
        ETHERNET,
        /** A single chip: no GPU-to-GPU link. */
        NONE
    }

    /** A single-chip system (Apple silicon, a lone card with no link): tensor parallelism cannot span chips. */
    public static final Interconnect NONE = new Interconnect("none", 0, null, Topology.NONE, 1);

    public boolean links() {
        return topology != Topology.NONE && bytesPerSecond > 0;
    }
}
