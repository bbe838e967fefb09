package dev.headroom.core.perf;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Require;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.hardware.Interconnect;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;
import java.util.Locale;

/**
 * How close kernels get to the datasheet on one deployment: the roofline's efficiencies, resolved from the
 * {@link Calibration} for its GPU, engine and formats. Compute efficiency grows with the tokens in one matrix
 * multiply (M), saturating at {@code mfuMax}; weight streaming and paged-KV gathers reach different shares of the
 * bandwidth; grouped expert GEMMs reach a share of the dense rate; collectives pay a fixed latency and move their
 * bytes at a share of the link's bandwidth.
 *
 * @param weightBandwidth     share of peak bandwidth when streaming weights (large contiguous reads)
 * @param kvBandwidth         share of peak bandwidth when attention gathers paged KV blocks
 * @param mfuMax              share of dense peak FLOP/s large GEMMs reach
 * @param tokensAtHalfMfu     tokens per GEMM at which compute efficiency is half of mfuMax
 * @param stepOverheadSeconds fixed cost of one engine step (scheduling, kernel launches, sampling)
 * @param collectiveLatencySeconds fixed time of one collective (all-reduce, all-to-all, hand-off)
 * @param requestOverheadSeconds per request, outside the engine loop: the API server's HTTP, tokenization, detokenization
 * @param moeGemmEfficiency   share of the dense GEMM rate grouped expert GEMMs reach
 * @param collectiveBandwidth share of the link's bandwidth a collective's bytes move at
 * @param sequenceOverheadSeconds per running sequence per step, outside the GPU kernels (scheduling, sampling)
 */
public record Efficiency(double weightBandwidth, double kvBandwidth, double mfuMax, double tokensAtHalfMfu,
                         double stepOverheadSeconds, double collectiveLatencySeconds, double requestOverheadSeconds,
                         double moeGemmEfficiency, double collectiveBandwidth, double sequenceOverheadSeconds) {
    public Efficiency {
        Require.fraction("weight bandwidth efficiency", weightBandwidth);
        Require.fraction("KV bandwidth efficiency", kvBandwidth);
        Require.fraction("MFU", mfuMax);
        if (!(tokensAtHalfMfu > 0) || Double.isInfinite(tokensAtHalfMfu)) {
            throw InvalidInputException.field("tokens at half MFU", tokensAtHalfMfu, "must be a positive finite number");
        }
        Require.nonNegative("step overhead (s)", stepOverheadSeconds);
        Require.nonNegative("collective latency (s)", collectiveLatencySeconds);
        Require.nonNegative("request overhead (s)", requestOverheadSeconds);
        Require.fraction("MoE GEMM efficiency", moeGemmEfficiency);
        Require.fraction("collective bandwidth efficiency", collectiveBandwidth);
        Require.nonNegative("per-sequence overhead (s)", sequenceOverheadSeconds);
    }

    /** The calibrated efficiencies for a GPU, engine, weight format and the compute path it runs on. */
    public static Efficiency of(Calibration c, Gpu gpu, Engine engine, Precision weights, ComputeType compute) {
        // 8- and 4-bit GEMMs need larger tiles to saturate and spend time quantizing activations.
        double mfu = c.value(compute.isLowPrecision() ? Parameter.MFU_LOW_PRECISION : Parameter.MFU_16BIT, gpu, engine);
        Interconnect link = gpu.interconnect();
        double latency = link.latencySeconds() != null ? link.latencySeconds() : c.value(Parameter.COLLECTIVE_LATENCY_S, gpu, engine);
        return new Efficiency(c.value(Parameter.WEIGHT_BANDWIDTH, gpu, engine) * dequantization(c, weights),
                c.value(Parameter.KV_BANDWIDTH, gpu, engine), mfu, c.global(Parameter.TOKENS_AT_HALF_MFU),
                c.value(Parameter.STEP_OVERHEAD_S, gpu, engine), latency,
                engine.servesOverHttp() ? c.global(Parameter.HTTP_REQUEST_S) : 0,
                c.global(Parameter.MOE_GEMM_EFFICIENCY), c.value(Parameter.COLLECTIVE_BANDWIDTH, gpu, engine),
                c.value(Parameter.SEQUENCE_OVERHEAD_S, gpu, engine));
    }

    /** The scope a link's constants are kept per: its topology ("nvswitch", "pcie", "xgmi"). */
    public static String linkScope(Interconnect link) {
        return link.topology().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Weight-only block formats are unpacked on the fly: the kernels spend cycles on scales and bit
     * unpacking and leave bandwidth unused.
     */
    static double dequantization(Calibration c, Precision weights) {
        if (!weights.weightOnly()) {
            return 1.0;
        }
        return c.global(weights.bitsPerValue() <= 6 ? Parameter.DEQUANT_4BIT : Parameter.DEQUANT_8BIT);
    }

    /** Compute efficiency for a GEMM over {@code tokens} rows. */
    public double mfu(double tokens) {
        return mfuMax * tokens / (tokens + tokensAtHalfMfu);
    }

    public Efficiency withMfuMax(double v) {
        return new Efficiency(weightBandwidth, kvBandwidth, v, tokensAtHalfMfu, stepOverheadSeconds, collectiveLatencySeconds,
                requestOverheadSeconds, moeGemmEfficiency, collectiveBandwidth,
                sequenceOverheadSeconds);
    }

    public Efficiency withWeightBandwidth(double v) {
        return new Efficiency(v, kvBandwidth, mfuMax, tokensAtHalfMfu, stepOverheadSeconds, collectiveLatencySeconds,
                requestOverheadSeconds, moeGemmEfficiency, collectiveBandwidth,
                sequenceOverheadSeconds);
    }

    public Efficiency withKvBandwidth(double v) {
        return new Efficiency(weightBandwidth, v, mfuMax, tokensAtHalfMfu, stepOverheadSeconds, collectiveLatencySeconds,
                requestOverheadSeconds, moeGemmEfficiency, collectiveBandwidth,
                sequenceOverheadSeconds);
    }

    public Efficiency withStepOverheadSeconds(double v) {
        return new Efficiency(weightBandwidth, kvBandwidth, mfuMax, tokensAtHalfMfu, v, collectiveLatencySeconds,
                requestOverheadSeconds, moeGemmEfficiency, collectiveBandwidth,
                sequenceOverheadSeconds);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "weights at %.0f%% of bandwidth, KV at %.0f%%, MFU up to %.0f%% (half at %.0f tokens), "
                        + "expert GEMMs at %.0f%% of dense, step overhead %.2f ms, collective %.0f µs + bytes at %.0f%% of the link, "
                        + "request overhead %.1f ms, %.0f µs per running sequence per step",
                100 * weightBandwidth, 100 * kvBandwidth, 100 * mfuMax, tokensAtHalfMfu, 100 * moeGemmEfficiency,
                1e3 * stepOverheadSeconds, 1e6 * collectiveLatencySeconds, 100 * collectiveBandwidth, 1e3 * requestOverheadSeconds,
                1e6 * sequenceOverheadSeconds);
    }
}
