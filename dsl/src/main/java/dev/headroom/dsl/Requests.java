package dev.headroom.dsl;

import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;

/**
 * The half of a scenario that the request steps change: prompt and answer lengths and the load as given, and the
 * context they fill (null: none). {@link Scenario}'s steps and {@link Sweep}'s request axes both go through here, so
 * a swept value means what the step means; a sweep applies them per row without rebuilding the scenario.
 */
record Requests(Workload given, Integer context) {
    Requests batch(int n) {
        return new Requests(given.withLoad(Load.batch(n)), context);
    }

    /** A prompt length replaces a context given earlier. */
    Requests input(int tokens) {
        return new Requests(given.withInputTokens(tokens), null);
    }

    Requests output(int tokens) {
        return new Requests(given.withOutputTokens(tokens), context);
    }

    Requests concurrency(int n) {
        return new Requests(given.withLoad(Load.concurrency(n)), context);
    }

    Requests saturating() {
        return new Requests(given.withLoad(Load.saturating()), context);
    }

    Requests rate(double requestsPerSecond) {
        return new Requests(given.withLoad(Load.rate(requestsPerSecond)), context);
    }

    /** What the engine serves: with a context, prompt + answer fill it, the answer taking at most half. */
    Workload workload() {
        if (context == null) {
            return given;
        }
        int answer = Math.min(given.outputTokens(), context / 2);
        return new Workload(context - answer, answer, given.load());
    }
}
