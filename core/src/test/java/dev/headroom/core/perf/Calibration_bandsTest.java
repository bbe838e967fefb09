package dev.headroom.core.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Load;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The calibration's values by scope and its cross-validated error bands: a value is looked up from the most specific
 * scope to the global one; a band from the most specific class that has enough cases (8) from enough sources (3).
 */
class Calibration_bandsTest {
    private static final Gpu H100 = Catalog.gpu("h100-sxm");

    @Test
    void should_use_a_band_only_with_enough_cases_from_enough_sources() {
        assertTrue(new ErrorBand(-0.2, 0.3, 8, 3).usable());
        assertFalse(new ErrorBand(-0.2, 0.3, 7, 3).usable());
        assertFalse(new ErrorBand(-0.2, 0.3, 8, 2).usable());
        assertTrue(new ErrorBand(0.1, 0.1, 100, 10).usable(), "a band of one point is an interval");
        assertThrows(IllegalArgumentException.class, () -> new ErrorBand(0.3, 0.2, 10, 3));
        assertThrows(IllegalArgumentException.class, () -> new ErrorBand(Double.NEGATIVE_INFINITY, 0.2, 10, 3));
        assertThrows(IllegalArgumentException.class, () -> new ErrorBand(0, Double.POSITIVE_INFINITY, 10, 3));
        assertThrows(IllegalArgumentException.class, () -> new ErrorBand(Double.NaN, 0, 10, 3));
        // log-ratio bands scale a value by e^low and e^high
        ErrorBand.Found f = new ErrorBand.Found("vllm|tpot", new ErrorBand(Math.log(0.5), Math.log(3), 10, 3));
        assertEquals(5, f.lowOf(10), 1e-12);
        assertEquals(30, f.highOf(10), 1e-12);
    }

    @Test
    void should_search_the_band_classes_from_the_most_specific_to_the_metric_alone() {
        assertEquals(List.of("vllm|tpot|closed loop|nvidia-hbm", "vllm|tpot|closed loop", "vllm|tpot", "tpot"),
                ErrorBand.keysOf("vllm", "tpot", "closed loop", "nvidia-hbm"));
        assertEquals(ErrorBand.keysOf("a", "b", "c", "d"), Calibration.bandClasses("a", "b", "c", "d"));

        Calibration c = Calibration.priors().withBands(Map.of(
                "vllm|tpot|closed loop|nvidia-hbm", new ErrorBand(-1, 1, 5, 3),   // too few cases: skipped
                "vllm|tpot|closed loop", new ErrorBand(-0.1, 0.2, 12, 4),
                "tpot", new ErrorBand(-0.5, 0.5, 100, 9)), "test");

        assertEquals(Optional.of(new ErrorBand.Found("vllm|tpot|closed loop", new ErrorBand(-0.1, 0.2, 12, 4))),
                c.band("vllm", "tpot", "closed loop", "nvidia-hbm"));
        assertEquals("tpot", c.band("sglang", "tpot", "closed loop", "nvidia-hbm").orElseThrow().cls());
        assertEquals(Optional.empty(), c.band("vllm", "ttft", "closed loop", "nvidia-hbm"));
        assertEquals("test", c.fittedOn());
    }

    @Test
    void should_attach_a_deployments_bands_to_each_metric_and_load_kind() {
        Calibration c = Calibration.priors().withBands(Map.of("vllm|tpot|closed loop", new ErrorBand(Math.log(0.8), Math.log(1.5), 12, 4)), "test");
        Intervals in = Intervals.of(c, Vllm.defaults(), H100);

        assertEquals("vllm|tpot|closed loop", in.band(Load.Kind.CLOSED_LOOP, Intervals.Metric.TPOT).orElseThrow().cls());
        assertEquals(Optional.empty(), in.band(Load.Kind.CLOSED_LOOP, Intervals.Metric.TTFT));
        assertEquals(Optional.empty(), in.band(Load.Kind.REQUEST_RATE, Intervals.Metric.TPOT));
        assertEquals(Optional.empty(), Intervals.of(Calibration.priors(), Vllm.defaults(), H100).band(Load.Kind.CLOSED_LOOP, Intervals.Metric.TPOT));
        assertEquals(Optional.empty(), Intervals.NONE.band(Load.Kind.CLOSED_LOOP, Intervals.Metric.TPOT));
        assertEquals("output_tokens_per_s", Intervals.Metric.OUTPUT_RATE.key());

        // an estimate under a closed loop reads its TPOT band; the others have none
        PerfEstimate p = new PerfEstimate(Load.concurrency(4), 0.2, 0.01, 1.5, 1000, 500, 3000, 4, Bottleneck.MEMORY_BANDWIDTH,
                ComputeType.BF16, 0.1, null, () -> List.of("a note"), in);
        assertEquals(0.008, p.tpotLow(), 1e-12);
        assertEquals(0.015, p.tpotHigh(), 1e-12);
        assertTrue(Double.isNaN(p.ttftLow()) && Double.isNaN(p.ttftHigh()));
        assertTrue(Double.isNaN(p.e2eLatencyLow()) && Double.isNaN(p.e2eLatencyHigh()));
        assertTrue(Double.isNaN(p.outputTokensPerSecondLow()) && Double.isNaN(p.outputTokensPerSecondHigh()));
        assertEquals(List.of("a note"), p.notes());
        List<String> basis = p.intervalBasis();
        assertEquals(4, basis.size());
        assertEquals("output_tokens_per_s: no band (too few published cases of this kind)", basis.get(0));
        assertEquals("tpot: 80% band x0.80 to x1.50 from 12 cross-validated cases (4 sources) of vllm|tpot|closed loop", basis.get(2));
        // an overloaded estimate has no TTFT, so no band around it either
        PerfEstimate over = new PerfEstimate(Load.concurrency(4), Double.NaN, 0.01, Double.NaN, 1000, 500, 3000, 4,
                Bottleneck.OVERLOADED, ComputeType.BF16, 0.1, null, List::of, in);
        assertTrue(Double.isNaN(over.tpotLow()) == false && over.overloaded());
        assertEquals(null, over.ttftSeconds());
        assertEquals(null, over.e2eLatencySeconds());
        assertEquals(0.2, p.ttftSeconds());
        assertEquals(1.5, p.e2eLatencySeconds());
    }

    @Test
    void should_look_a_value_up_from_the_most_specific_scope_to_the_global_one() {
        Calibration c = Calibration.priors().with("weight_bandwidth@nvidia-hbm", 0.9).with("step_overhead_s@vllm", 4e-3)
                .with("step_overhead_s@vllm/cuda", 5e-3);

        assertEquals(0.9, c.value(Parameter.WEIGHT_BANDWIDTH, H100, Vllm.defaults()));
        assertEquals(0.9, c.value(Parameter.WEIGHT_BANDWIDTH, "nvidia-hbm"));
        assertEquals(0.80, c.value(Parameter.WEIGHT_BANDWIDTH, "amd-hbm"), "the global prior");
        assertEquals(0.80, c.value(Parameter.WEIGHT_BANDWIDTH, (String) null));
        assertEquals(5e-3, c.value(Parameter.STEP_OVERHEAD_S, H100, Vllm.defaults()), "engine/backend before engine");
        assertEquals(4e-3, c.value(Parameter.STEP_OVERHEAD_S, List.of("vllm/rocm", "vllm")));
        assertEquals(2e-3, c.global(Parameter.STEP_OVERHEAD_S));
        assertEquals("weight_bandwidth@nvidia-hbm", Parameter.WEIGHT_BANDWIDTH.key("nvidia-hbm"));
        assertEquals("weight_bandwidth", Parameter.WEIGHT_BANDWIDTH.key(null));
        assertEquals(Parameter.WEIGHT_BANDWIDTH, Parameter.byKey("weight_bandwidth@nvidia-hbm"));
        assertEquals(Parameter.HTTP_REQUEST_S, Parameter.byKey("http_request_s"));
        assertThrows(InvalidInputException.class, () -> Parameter.byKey("warp_speed"));
        assertEquals(List.of("nvlink"), Parameter.Scope.LINK.chain(Catalog.gpu("a100-80gb"), Vllm.defaults()).stream()
                .map(s -> s.replace("nvswitch", "nvlink")).toList());
        assertEquals(List.of(), Parameter.Scope.GLOBAL.chain(H100, Vllm.defaults()));
        assertEquals("hardware", Parameter.Scope.HARDWARE.word());
        assertTrue(Parameter.WEIGHT_BANDWIDTH.scopedTowardsGlobal() && Parameter.COLLECTIVE_BANDWIDTH.scopedTowardsGlobal());
        assertFalse(Parameter.STEP_OVERHEAD_S.scopedTowardsGlobal() || Parameter.GEMV_EFFICIENCY.scopedTowardsGlobal());
        assertEquals(1.5, Parameter.HTTP_REQUEST_S.priorSpread());
        assertEquals(0.30, Parameter.WEIGHT_BANDWIDTH.lower());
        assertEquals(0.98, Parameter.WEIGHT_BANDWIDTH.upper());
        assertTrue(Parameter.WEIGHT_BANDWIDTH.meaning().startsWith("share of peak memory bandwidth"));
        assertEquals(Parameter.values().length, Calibration.priors().sortedValues().size());
        assertEquals("collective_bandwidth", Calibration.priors().sortedValues().keySet().iterator().next(), "sorted by key");
    }

    @Test
    void should_refuse_a_value_outside_its_physical_range_and_a_missing_file() {
        InvalidInputException high = assertThrows(InvalidInputException.class, () -> Calibration.priors().with("weight_bandwidth", 0.99));
        assertTrue(high.getMessage().contains("weight_bandwidth") && high.getMessage().contains("[0.3, 0.98]"), high.getMessage());
        assertThrows(InvalidInputException.class, () -> Calibration.priors().with("weight_bandwidth", 0.29));
        assertEquals(0.98, Calibration.priors().with("weight_bandwidth", 0.98).global(Parameter.WEIGHT_BANDWIDTH));
        assertEquals(0.30, Calibration.priors().with("weight_bandwidth", 0.30).global(Parameter.WEIGHT_BANDWIDTH));
        assertThrows(InvalidInputException.class, () -> Calibration.priors().with("weight_bandwidth", Double.NaN));
        assertThrows(IllegalStateException.class, () -> new Calibration(Map.of(), Map.of(), "empty").global(Parameter.WEIGHT_BANDWIDTH));
        assertEquals(0.5, Calibration.priors().withValues(Map.of("mfu_16bit", 0.5)).global(Parameter.MFU_16BIT));
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> Calibration.read(Path.of("/no/such/calibration.json")));
        assertTrue(missing.getMessage().contains("calibration file not found"), missing.getMessage());
    }

    @Test
    void should_parse_values_and_bands_and_start_missing_parameters_at_their_prior() {
        Calibration c = Calibration.parse("{\"fitted_on\": \"12 cases\", \"parameters\": {\"mfu_16bit\": 0.7, \"step_overhead_s@vllm\": 0.004},"
                + " \"bands\": {\"tpot\": {\"low\": -0.2, \"high\": 0.25, \"n\": 40, \"sources\": 6}, \"ttft\": {\"low\": -0.5, \"high\": 0.5, \"n\": 9}}}", "c.json");

        assertEquals(0.7, c.global(Parameter.MFU_16BIT));
        assertEquals(0.004, c.value(Parameter.STEP_OVERHEAD_S, "vllm"));
        assertEquals(0.80, c.global(Parameter.WEIGHT_BANDWIDTH));
        assertEquals(new ErrorBand(-0.2, 0.25, 40, 6), c.bands().get("tpot"));
        assertEquals(new ErrorBand(-0.5, 0.5, 9, 1), c.bands().get("ttft"), "one source when none is stated");
        assertEquals("12 cases", c.fittedOn());
        assertEquals("unstated", Calibration.parse("{\"parameters\": {}}", "c.json").fittedOn());
        assertTrue(Calibration.parse("{\"parameters\": {}}", "c.json").bands().isEmpty());
        assertTrue(!Calibration.DEFAULT.bands().isEmpty(), "the bundled calibration carries its bands");
    }

    @Test
    void should_describe_its_efficiencies_and_derive_them_from_the_calibration() {
        Efficiency e = new Efficiency(0.8, 0.6, 0.7, 16, 2e-3, 1e-5, 3e-3, 0.5, 0.7, 2e-5);
        assertEquals("weights at 80% of bandwidth, KV at 60%, MFU up to 70% (half at 16 tokens), expert GEMMs at 50% of dense, "
                + "step overhead 2.00 ms, collective 10 µs + bytes at 70% of the link, request overhead 3.0 ms, "
                + "20 µs per running sequence per step", e.toString());
        assertEquals(0.5, e.withWeightBandwidth(0.5).weightBandwidth());
        assertEquals(0.4, e.withKvBandwidth(0.4).kvBandwidth());
        assertEquals(0.3, e.withMfuMax(0.3).mfuMax());
        assertEquals(1e-3, e.withStepOverheadSeconds(1e-3).stepOverheadSeconds());
        assertEquals(e.withWeightBandwidth(0.5).kvBandwidth(), e.kvBandwidth());
        assertEquals(0.7 * 16 / 32, e.mfu(16), 1e-15);
        assertEquals("nvswitch", Efficiency.linkScope(H100.interconnect()));

        // weight-only formats pay the dequantization factor on the weight stream; 4-bit and below the 4-bit one
        Calibration c = Calibration.priors();
        assertEquals(1.0, Efficiency.dequantization(c, Precision.BF16));
        assertEquals(1.0, Efficiency.dequantization(c, Precision.FP8), "fp8 runs on its own tensor path");
        assertEquals(0.88, Efficiency.dequantization(c, Precision.Q8_0), "8.5 bits per value");
        assertEquals(0.70, Efficiency.dequantization(c, Precision.Q5_0), "5.5 bits per value");
        Efficiency awq = Efficiency.of(c, H100, Vllm.defaults(), Precision.INT4, ComputeType.BF16);
        assertEquals(0.80 * 0.70, awq.weightBandwidth(), 1e-12);
        assertEquals(0.60, awq.mfuMax(), "16-bit MFU for a 16-bit path");
        assertEquals(0.50, Efficiency.of(c, H100, Vllm.defaults(), Precision.FP8, ComputeType.FP8).mfuMax(), "low-precision MFU");
        assertEquals(3e-3, awq.requestOverheadSeconds(), "vLLM serves over HTTP");
    }
}
