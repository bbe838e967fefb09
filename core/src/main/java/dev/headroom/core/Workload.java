package dev.headroom.core;

/**
 * What the deployment serves: {@code batch} sequences at once, each with {@code inputTokens} of prompt
 * and {@code outputTokens} generated.
 */
public record Workload(int batch, int inputTokens, int outputTokens) {
    public Workload {
        if (batch <= 0) {
            throw InvalidInputException.field("batch", batch, "must be a positive whole number of sequences");
        }
        if (inputTokens <= 0) {
            throw InvalidInputException.field("input tokens", inputTokens, "must be a positive whole number");
        }
        if (outputTokens < 0) {
            throw InvalidInputException.field("output tokens", outputTokens, "must be zero or more");
        }
    }

    public static Workload of(int batch, int inputTokens, int outputTokens) {
        return new Workload(batch, inputTokens, outputTokens);
    }

    /** Tokens one sequence holds at the end of its generation. */
    public int contextTokens() {
        return inputTokens + outputTokens;
    }

    public Workload withBatch(int b) {
        return new Workload(b, inputTokens, outputTokens);
    }

    public Workload withInputTokens(int n) {
        return new Workload(batch, n, outputTokens);
    }

    public Workload withOutputTokens(int n) {
        return new Workload(batch, inputTokens, n);
    }
}
