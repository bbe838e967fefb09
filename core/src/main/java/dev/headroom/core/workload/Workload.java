package dev.headroom.core.workload;

import dev.headroom.core.base.InvalidInputException;

/**
 * What the deployment serves: requests of {@code inputTokens} prompt tokens that generate {@code outputTokens},
 * arriving as {@code load} says.
 */
public record Workload(int inputTokens, int outputTokens, Load load) {
    public Workload {
        if (inputTokens <= 0) {
            throw InvalidInputException.field("input tokens", inputTokens, "must be a positive whole number");
        }
        if (outputTokens < 0) {
            throw InvalidInputException.field("output tokens", outputTokens, "must be zero or more");
        }
        if ((long) inputTokens + outputTokens > Integer.MAX_VALUE) {
            throw InvalidInputException.field("input tokens + output tokens", (long) inputTokens + outputTokens,
                    "a sequence must hold fewer than 2^31 tokens");
        }
        if (load == null) {
            throw InvalidInputException.missing("load", "give a batch, a concurrency, a request rate or the saturating load");
        }
    }

    /** A static batch of {@code batch} sequences. */
    public static Workload of(int batch, int inputTokens, int outputTokens) {
        return new Workload(inputTokens, outputTokens, new Load.Static(batch));
    }

    /** Tokens one sequence holds at the end of its generation. */
    public int contextTokens() {
        return inputTokens + outputTokens;
    }

    /** Sequences that must be in memory at once (the static batch, else one). */
    public int sequencesAtOnce() {
        return load.sequencesAtOnce();
    }

    public Workload withLoad(Load l) {
        return new Workload(inputTokens, outputTokens, l);
    }

    public Workload withInputTokens(int n) {
        return new Workload(n, outputTokens, load);
    }

    public Workload withOutputTokens(int n) {
        return new Workload(inputTokens, n, load);
    }
}
