package dev.headroom.core.perf;

import java.util.Map;

/**
 * The roofline's efficiency constants, one per physical effect (per engine or hardware family where physics
 * says so). They were set against the rows of validation/throughput.csv; every estimate prints the ones it
 * used, and {@link Efficiency} lets a user override them.
 *
 * @param weightBandwidth     share of peak bandwidth when streaming weights
 * @param kvBandwidth         share of peak bandwidth when attention gathers paged KV blocks
 * @param mfu16               share of dense peak large 16-bit GEMMs reach
 * @param mfuLowPrecision     the same for 8- and 4-bit tensor paths
 * @param powerCappedMfu      factor on MFU for power-capped (400 W or less) Ada/Blackwell NVIDIA cards
 * @param tokensAtHalfMfu     tokens per GEMM at which compute efficiency is half of its maximum
 * @param gemvEfficiency      share of the fp32 vector peak a matrix-vector product reaches
 * @param dequant8Bit         bandwidth factor of 8-bit weight-only block formats
 * @param dequant4Bit         bandwidth factor of 4-6-bit weight-only block formats
 * @param stepOverheadSeconds per engine id: scheduling, launches and sampling of one step
 * @param nvlinkHopSeconds    one hop of a collective over NVLink/NVSwitch/xGMI
 * @param pcieHopSeconds      one hop over PCIe
 * @param httpRequestSeconds  per request behind an HTTP API server (tokenization, detokenization)
 */
public record Calibration(double weightBandwidth, double kvBandwidth, double mfu16, double mfuLowPrecision,
                          double powerCappedMfu, double tokensAtHalfMfu, double gemvEfficiency, double dequant8Bit,
                          double dequant4Bit, Map<String, Double> stepOverheadSeconds, double nvlinkHopSeconds,
                          double pcieHopSeconds, double httpRequestSeconds) {
    public Calibration {
        stepOverheadSeconds = Map.copyOf(stepOverheadSeconds);
    }

    /** Set by hand against validation/throughput.csv and rounded (README, "How the efficiencies were chosen"). */
    public static final Calibration DEFAULT = new Calibration(0.80, 0.60, 0.60, 0.50, 0.8, 16, 0.5, 0.88, 0.70,
            Map.of("trtllm", 0.8e-3, "sglang", 1.5e-3, "vllm", 2.0e-3, "llamacpp", 0.3e-3, "transformers", 15e-3),
            3e-6, 10e-6, 3e-3);

    /** An engine's step overhead; an engine without a fitted value gets the slowest known (eager transformers). */
    public double stepOverhead(String engine) {
        Double v = stepOverheadSeconds.get(engine);
        return v != null ? v : stepOverheadSeconds.values().stream().mapToDouble(Double::doubleValue).max().orElse(15e-3);
    }
}
