package dev.headroom.core;

import java.util.Locale;

/**
 * How close kernels get to the datasheet: the roofline's efficiencies. They are not one constant:
 * compute efficiency grows with the tokens in one matrix multiply (M), saturating at {@code mfuMax};
 * weight streaming and paged-KV gathers reach different shares of the bandwidth.
 *
 * @param weightBandwidth share of peak bandwidth when streaming weights (large contiguous reads)
 * @param kvBandwidth     share of peak bandwidth when attention gathers paged KV blocks
 * @param mfuMax          share of dense peak FLOP/s large GEMMs reach
 * @param tokensAtHalfMfu tokens per GEMM at which compute efficiency is half of mfuMax
 * @param stepOverheadSeconds fixed cost of one engine step (scheduling, kernel launches, sampling)
 * @param allReduceHopSeconds latency of one hop of a tensor-parallel all-reduce
 * @param requestOverheadSeconds per request, outside the engine loop: the API server's HTTP, tokenization, detokenization
 */
public record Efficiency(double weightBandwidth, double kvBandwidth, double mfuMax, double tokensAtHalfMfu,
                         double stepOverheadSeconds, double allReduceHopSeconds, double requestOverheadSeconds) {
    public Efficiency {
        Engine.requireFraction("weight bandwidth efficiency", weightBandwidth);
        Engine.requireFraction("KV bandwidth efficiency", kvBandwidth);
        Engine.requireFraction("MFU", mfuMax);
        if (!(tokensAtHalfMfu > 0) || !(stepOverheadSeconds >= 0) || !(allReduceHopSeconds >= 0) || !(requestOverheadSeconds >= 0)) {
            throw new InvalidInputException("efficiency terms must be positive: tokens at half MFU " + tokensAtHalfMfu
                    + ", step overhead " + stepOverheadSeconds + " s, all-reduce hop " + allReduceHopSeconds + " s");
        }
    }

    /**
     * Calibrated defaults for a GPU, engine and compute type. Fitted by hand to the vendor tables and
     * engine logs in validation/ (see the README's "How the efficiencies were chosen"), then rounded; the
     * split between families follows published microbenchmarks, not individual rows.
     */
    public static Efficiency defaultsFor(Gpu gpu, Engine engine, Precision weights, String compute) {
        boolean lowPrecision = compute.equals("fp8") || compute.equals("fp4") || compute.equals("int8");
        // 8-bit GEMMs need larger tiles to saturate and leave more time to quantize activations.
        double mfu = lowPrecision ? 0.50 : 0.60;
        if (gpu.tdpWatts() > 0 && gpu.tdpWatts() <= 400 && gpu.vendor().equals("nvidia") && !gpu.architecture().equals("ampere")) {
            // Power-capped Ada/Blackwell PCIe cards throttle under sustained tensor load.
            mfu *= 0.8;
        }
        double hop = gpu.interconnect() != null && gpu.interconnect().latencySeconds() != null
                ? gpu.interconnect().latencySeconds()
                : gpu.interconnect() != null && gpu.interconnect().name().toLowerCase(Locale.ROOT).contains("nvlink") ? 3e-6 : 10e-6;
        return new Efficiency(0.80 * dequantization(weights), 0.60, mfu, 16, stepOverhead(engine), hop,
                engine.name().equals("llamacpp") || engine.name().equals("static") ? 0 : 3e-3);
    }

    /**
     * Weight-only block formats are unpacked on the fly: the kernels spend cycles on scales and bit
     * unpacking and leave bandwidth unused (llama.cpp decode reaches ~82% of peak bandwidth in f16 and
     * ~50-70% in 4- and 8-bit block formats on the same GPUs).
     */
    static double dequantization(Precision weights) {
        if (!weights.weightOnly()) {
            return 1.0;
        }
        return weights.bitsPerValue() <= 6 ? 0.70 : 0.88;
    }

    /** Per-step host overhead: C++ runtimes are lean, Python schedulers less so, eager transformers most. */
    static double stepOverhead(Engine engine) {
        return switch (engine.name()) {
            case "trtllm" -> 0.8e-3;
            case "sglang" -> 1.5e-3;
            case "vllm" -> 2.0e-3;
            case "llamacpp" -> 0.3e-3;
            default -> 15e-3;
        };
    }

    /** Compute efficiency for a GEMM over {@code tokens} rows. */
    public double mfu(double tokens) {
        return mfuMax * tokens / (tokens + tokensAtHalfMfu);
    }

    public Efficiency withMfuMax(double v) {
        return new Efficiency(weightBandwidth, kvBandwidth, v, tokensAtHalfMfu, stepOverheadSeconds, allReduceHopSeconds, requestOverheadSeconds);
    }

    public Efficiency withWeightBandwidth(double v) {
        return new Efficiency(v, kvBandwidth, mfuMax, tokensAtHalfMfu, stepOverheadSeconds, allReduceHopSeconds, requestOverheadSeconds);
    }

    public Efficiency withKvBandwidth(double v) {
        return new Efficiency(weightBandwidth, v, mfuMax, tokensAtHalfMfu, stepOverheadSeconds, allReduceHopSeconds, requestOverheadSeconds);
    }

    public Efficiency withStepOverheadSeconds(double v) {
        return new Efficiency(weightBandwidth, kvBandwidth, mfuMax, tokensAtHalfMfu, v, allReduceHopSeconds, requestOverheadSeconds);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "weights at %.0f%% of bandwidth, KV at %.0f%%, MFU up to %.0f%% (half at %.0f tokens), "
                        + "step overhead %.1f ms, all-reduce hop %.0f µs, request overhead %.1f ms",
                100 * weightBandwidth, 100 * kvBandwidth, 100 * mfuMax, tokensAtHalfMfu, 1e3 * stepOverheadSeconds,
                1e6 * allReduceHopSeconds, 1e3 * requestOverheadSeconds);
    }
}
