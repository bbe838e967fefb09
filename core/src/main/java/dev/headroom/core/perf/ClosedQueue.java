package dev.headroom.core.perf;

/**
 * Waiting in a closed loop: {@code n} requests cycle between one queue (the prefill lane, which serves one prompt at a
 * time for {@code demand} seconds) and the rest of their life ({@code elsewhere} seconds: decoding, the API server).
 * Exact mean value analysis (Reiser and Lavenberg, J. ACM 27(2), 1980): a request arriving at the lane finds the
 * queue the loop holds with one request fewer (the arrival theorem), so one request alone never waits, and more
 * requests never serve fewer per second. (The form that gives a fixed-length prompt in service only half its time
 * left is not monotone near saturation; on the published figures the two differ by 0.1 point of error.) An open
 * queue at the cycle's arrival rate, used before, made one request wait behind itself and, with its load capped to
 * stay finite, let throughput fall as requests were added.
 */
final class ClosedQueue {
    /** Loops up to this size are solved exactly (one step per request); beyond, by their asymptotes. */
    private static final int EXACT_UP_TO = 1 << 16;

    private ClosedQueue() {}

    /** Mean wait at the lane of a request in a loop of {@code n} (fractional {@code n} between its neighbours). */
    static double wait(double n, double demand, double elsewhere) {
        if (!(n > 1) || !(demand > 0)) {
            return 0;
        }
        int below = (int) Math.min(Math.floor(n), EXACT_UP_TO);
        double queue = 0; // mean requests at the lane, served or waiting, with k requests in the loop
        double waitBelow = 0;
        for (int k = 1; k <= below; k++) {
            // the k-th request arrives to the loop of k - 1
            double wait = demand * queue;
            double throughput = k / (wait + demand + elsewhere);
            if (k == below) {
                waitBelow = wait;
            }
            queue = throughput * (wait + demand);
        }
        double waitAbove = demand * queue;
        if (n > EXACT_UP_TO) {
            // the larger of the wait so far and the saturated lane's, where a request comes round every n x demand
            return Math.max(waitAbove, n * demand - demand - elsewhere);
        }
        double share = n - below;
        return waitBelow + share * (waitAbove - waitBelow);
    }
}
