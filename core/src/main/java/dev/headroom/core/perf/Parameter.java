package dev.headroom.core.perf;

import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import java.util.List;
import java.util.Locale;

/**
 * One constant of the speed model: a physical effect with its bounds, the prior it starts from (and is pulled
 * towards when data are scarce), and what it may differ by. Values are fitted by {@code ./headroom calibrate}
 * and read from the calibration file; a parameter may carry a value per scope ({@code weight_bandwidth@apple-unified})
 * where physics says it differs, falling back to its global value.
 */
public enum Parameter {
    WEIGHT_BANDWIDTH("weight_bandwidth", Scope.HARDWARE, 0.30, 0.98, 0.80, 1.0,
            "share of peak memory bandwidth reached streaming weights (STREAM-like reads reach 80-90% on HBM)"),
    KV_BANDWIDTH("kv_bandwidth", Scope.ENGINE, 0.15, 0.98, 0.60, 1.0,
            "share of peak bandwidth the engine's decode-attention kernel reaches gathering paged KV blocks"),
    MFU_16BIT("mfu_16bit", Scope.HARDWARE, 0.15, 0.95, 0.60, 1.0,
            "share of dense 16-bit tensor peak large GEMMs sustain (cuBLAS reaches 60-80% on H100)"),
    MFU_LOW_PRECISION("mfu_low_precision", Scope.HARDWARE, 0.10, 0.95, 0.50, 1.0,
            "the same for 8- and 4-bit tensor paths, which need larger tiles and quantize activations"),
    TOKENS_AT_HALF_MFU("tokens_at_half_mfu", Scope.GLOBAL, 1, 4096, 16, 1.0,
            "rows of a GEMM at which it reaches half its sustained rate (small M leaves tensor cores idle)"),
    MOE_GEMM_EFFICIENCY("moe_gemm_efficiency", Scope.GLOBAL, 0.05, 1.0, 0.5, 1.0,
            "share of the dense GEMM rate grouped expert GEMMs reach, routing and token permutation included"),
    GEMV_EFFICIENCY("gemv_efficiency", Scope.GLOBAL, 0.05, 1.0, 0.5, 1.0,
            "share of the fp32 vector peak a matrix-vector product reaches when there are too few tokens for tensor cores"),
    DEQUANT_8BIT("dequant_8bit", Scope.GLOBAL, 0.30, 1.0, 0.88, 1.0,
            "bandwidth factor of 8-bit weight-only block formats (unpacking and scales cost cycles)"),
    DEQUANT_4BIT("dequant_4bit", Scope.GLOBAL, 0.30, 1.0, 0.70, 1.0,
            "bandwidth factor of 2-6-bit weight-only block formats"),
    STEP_OVERHEAD_S("step_overhead_s", Scope.ENGINE, 1e-5, 0.05, 2e-3, 1.0,
            "fixed time of one engine step: scheduling, kernel launches, sampling (seconds)"),
    SEQUENCE_OVERHEAD_S("sequence_overhead_s", Scope.ENGINE, 1e-7, 1e-3, 2e-5, 2.0,
            "time one step spends per running sequence outside the GPU kernels: scheduling, sampling, detokenization (seconds)"),
    COLLECTIVE_LATENCY_S("collective_latency_s", Scope.LINK, 1e-7, 1e-3, 1e-5, 1.5,
            "fixed time of one collective (all-reduce, all-to-all, stage hand-off) over the link: launch and synchronisation (seconds)"),
    COLLECTIVE_BANDWIDTH("collective_bandwidth", Scope.LINK, 0.05, 1.0, 0.7, 1.0,
            "share of the link's per-direction bandwidth a collective's bytes move at (NCCL bus bandwidth over link bandwidth)"),
    HTTP_REQUEST_S("http_request_s", Scope.GLOBAL, 1e-5, 0.05, 3e-3, 1.5,
            "per request behind an HTTP API server: parsing, tokenization, detokenization (seconds)");

    /** What a parameter may differ by. */
    public enum Scope {
        GLOBAL, HARDWARE, ENGINE, LINK;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The scope values a deployment reads, narrowest first: its hardware family; its engine on its GPUs' software
         * stack ("vllm/rocm"), then the engine; its link's topology. A value missing at one level falls back to the
         * next, then to the global one.
         */
        public List<String> chain(Gpu gpu, Engine engine) {
            return switch (this) {
                case GLOBAL -> List.of();
                case HARDWARE -> List.of(gpu.family());
                case ENGINE -> List.of(engine.id() + "/" + engine.backend(gpu), engine.id());
                case LINK -> List.of(gpu.interconnect().topology().name().toLowerCase(Locale.ROOT));
            };
        }
    }

    private final String key;
    private final Scope scope;
    private final double lower;
    private final double upper;
    private final double prior;
    private final double priorSpread;
    private final String meaning;

    Parameter(String key, Scope scope, double lower, double upper, double prior, double priorSpread, String meaning) {
        this.key = key;
        this.scope = scope;
        this.lower = lower;
        this.upper = upper;
        this.prior = prior;
        this.priorSpread = priorSpread;
        this.meaning = meaning;
    }

    /**
     * How far, in natural-log units, the fit may move the value from its prior before the prior pulls back as much
     * as one source's data: wide for constants that legitimately differ by engine (step overhead spans 0.3 to 15 ms).
     */
    public double priorSpread() {
        return priorSpread;
    }

    /**
     * Whether a scoped value is pulled towards the global one (hardware families share physics) rather than towards
     * the prior (engines' overheads and kernels are their own).
     */
    public boolean scopedTowardsGlobal() {
        return scope == Scope.HARDWARE || scope == Scope.LINK;
    }

    public String key() {
        return key;
    }

    public Scope scope() {
        return scope;
    }

    public double lower() {
        return lower;
    }

    public double upper() {
        return upper;
    }

    /** The physical starting value the fit shrinks towards. */
    public double prior() {
        return prior;
    }

    public String meaning() {
        return meaning;
    }

    /** The key of this parameter's value for one scope: {@code weight_bandwidth@nvidia-hbm}. */
    public String key(String scopeValue) {
        return scopeValue == null ? key : key + "@" + scopeValue;
    }

    public static Parameter byKey(String key) {
        String base = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
        for (Parameter p : values()) {
            if (p.key.equals(base)) {
                return p;
            }
        }
        throw new dev.headroom.core.base.InvalidInputException("unknown calibration parameter '" + base + "'");
    }
}
