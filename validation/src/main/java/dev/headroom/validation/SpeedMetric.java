package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.PerfEstimate;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The speed figures sources publish, each read off a {@link PerfEstimate} in the source's unit. Names vary by
 * source (llama-bench's pp512/tg128, Ollama's prompt/eval rates, vendor tables' totals and per-GPU rates);
 * they are mapped here once.
 */
enum SpeedMetric {
    OUTPUT_RATE(true, (p, w) -> p.outputTokensPerSecond()),
    OUTPUT_RATE_PER_GPU(true, (p, w) -> p.outputTokensPerSecondPerGpu()),
    TOTAL_RATE(true, (p, w) -> p.totalTokensPerSecond()),
    INPUT_RATE(true, (p, w) -> p.outputTokensPerSecond() * w[0] / w[1]),
    REQUEST_RATE(true, (p, w) -> p.outputTokensPerSecond() / w[1]),
    /** One user's decode rate: 1 / TPOT. */
    USER_RATE(true, (p, w) -> 1 / p.tpotSeconds()),
    /** A single prompt's processing rate (llama-bench pp, Ollama prompt eval): prompt tokens / prefill time. */
    PROMPT_RATE(true, (p, w) -> w[0] / p.ttft()),
    TTFT_MS(false, (p, w) -> 1e3 * p.ttft()),
    TTFT_S(false, (p, w) -> p.ttft()),
    TPOT_MS(false, (p, w) -> 1e3 * p.tpotSeconds()),
    E2E_MS(false, (p, w) -> 1e3 * p.e2eLatency()),
    E2E_S(false, (p, w) -> p.e2eLatency());

    /** Rates are judged at ±25%, latencies at ±30% (the gates). */
    private final boolean rate;
    private final BiFunction<PerfEstimate, double[], Double> read;

    SpeedMetric(boolean rate, BiFunction<PerfEstimate, double[], Double> read) {
        this.rate = rate;
        this.read = read;
    }

    boolean isRate() {
        return rate;
    }

    /** The kind for summaries and intervals: "throughput" or "latency". */
    String kind() {
        return rate ? "throughput" : "latency";
    }

    /** The figure from an estimate of {@code input} prompt and {@code output} generated tokens; NaN when unbounded. */
    double read(PerfEstimate p, int input, int output) {
        return read.apply(p, new double[] {input, Math.max(1, output)});
    }

    /** A source's metric name; unknown names are not expressible. */
    static SpeedMetric of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.matches("pp\\d+") || n.equals("prompt_tok_s") || n.equals("prefill_tok_s")) {
            return PROMPT_RATE;
        }
        if (n.matches("tg\\d+") || n.equals("eval_tok_s") || n.equals("tok_s_per_user")) {
            return USER_RATE;
        }
        return switch (n) {
            case "output_tok_s_total", "output_tok_s" -> OUTPUT_RATE;
            case "output_tok_s_per_gpu" -> OUTPUT_RATE_PER_GPU;
            case "total_tok_s" -> TOTAL_RATE;
            case "input_tok_s" -> INPUT_RATE;
            case "requests_per_s" -> REQUEST_RATE;
            case "ttft_ms", "ttft_mean_ms" -> TTFT_MS;
            case "ttft_s" -> TTFT_S;
            case "tpot_ms", "tpot_mean_ms", "itl_ms" -> TPOT_MS;
            case "e2e_latency_ms" -> E2E_MS;
            case "e2e_latency_s" -> E2E_S;
            default -> throw new InvalidInputException("metric '" + name + "' is not predicted");
        };
    }

    /** llama-bench's tgN generates N tokens from an empty context; ppN processes an N-token prompt alone. */
    static int benchTokens(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.matches("(pp|tg)\\d+") ? Integer.parseInt(n.substring(2)) : 0;
    }
}
