package dev.headroom.core.perf;

import java.util.Locale;

/**
 * One constant of the speed model: a physical effect with its bounds, the prior it starts from (and is pulled
 * towards when data are scarce), and what it may differ by. Values are fitted by {@code ./headroom calibrate}
 * and read from the calibration file; a parameter may carry a value per scope ({@code weight_bandwidth@apple-unified})
 * where physics says it differs, falling back to its global value.
 */
public enum Parameter {
    WEIGHT_BANDWIDTH("weight_bandwidth", Scope.HARDWARE, 0.30, 0.98, 0.80,
            "share of peak memory bandwidth reached streaming weights (STREAM-like reads reach 80-90% on HBM)"),
    KV_BANDWIDTH("kv_bandwidth", Scope.HARDWARE, 0.15, 0.95, 0.60,
            "share of peak bandwidth attention reaches gathering paged KV blocks (scattered reads)"),
    MFU_16BIT("mfu_16bit", Scope.HARDWARE, 0.15, 0.95, 0.60,
            "share of dense 16-bit tensor peak large GEMMs sustain (cuBLAS reaches 60-80% on H100)"),
    MFU_LOW_PRECISION("mfu_low_precision", Scope.HARDWARE, 0.10, 0.95, 0.50,
            "the same for 8- and 4-bit tensor paths, which need larger tiles and quantize activations"),
    TOKENS_AT_HALF_MFU("tokens_at_half_mfu", Scope.GLOBAL, 1, 4096, 16,
            "rows of a GEMM at which it reaches half its sustained rate (small M leaves tensor cores idle)"),
    GEMV_EFFICIENCY("gemv_efficiency", Scope.GLOBAL, 0.05, 1.0, 0.5,
            "share of the fp32 vector peak a matrix-vector product reaches when there are too few tokens for tensor cores"),
    DEQUANT_8BIT("dequant_8bit", Scope.GLOBAL, 0.30, 1.0, 0.88,
            "bandwidth factor of 8-bit weight-only block formats (unpacking and scales cost cycles)"),
    DEQUANT_4BIT("dequant_4bit", Scope.GLOBAL, 0.30, 1.0, 0.70,
            "bandwidth factor of 2-6-bit weight-only block formats"),
    STEP_OVERHEAD_S("step_overhead_s", Scope.ENGINE, 1e-5, 0.05, 2e-3,
            "fixed time of one engine step: scheduling, kernel launches, sampling (seconds)"),
    COLLECTIVE_HOP_S("collective_hop_s", Scope.LINK, 1e-7, 1e-3, 5e-6,
            "latency of one hop of a collective over the GPU link (seconds; NCCL reports 2-10 µs on NVLink)"),
    HTTP_REQUEST_S("http_request_s", Scope.GLOBAL, 1e-5, 0.05, 3e-3,
            "per request behind an HTTP API server: parsing, tokenization, detokenization (seconds)");

    /** What a parameter may differ by. */
    public enum Scope {
        GLOBAL, HARDWARE, ENGINE, LINK;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String key;
    private final Scope scope;
    private final double lower;
    private final double upper;
    private final double prior;
    private final String meaning;

    Parameter(String key, Scope scope, double lower, double upper, double prior, String meaning) {
        this.key = key;
        this.scope = scope;
        this.lower = lower;
        this.upper = upper;
        this.prior = prior;
        this.meaning = meaning;
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
