package dev.headroom.core;

/**
 * A service level to size for.
 * USERS: {@code users} concurrent chat users, each expecting {@code outputTokens} within {@code latencySeconds}:
 * required output tokens/s = users x output tokens / latency (the common chat-sizing rule), and TPOT
 * at most latency / output tokens.
 * RATE: {@code requestsPerSecond} with TTFT and TPOT limits.
 */
public record Target(Kind kind, double users, double latencySeconds, double requestsPerSecond, double ttftSeconds,
                     double tpotSeconds) {
    public enum Kind { USERS, RATE }

    public static Target users(int users, double latencySeconds) {
        positive("--users", users);
        positive("--latency-s", latencySeconds);
        return new Target(Kind.USERS, users, latencySeconds, 0, 0, 0);
    }

    public static Target rate(double requestsPerSecond, double ttftSeconds, double tpotSeconds) {
        positive("--request-rate", requestsPerSecond);
        positive("--ttft-ms", ttftSeconds);
        positive("--tpot-ms", tpotSeconds);
        return new Target(Kind.RATE, 0, 0, requestsPerSecond, ttftSeconds, tpotSeconds);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw InvalidInputException.field(field, v, "must be a positive number");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.USERS
                ? String.format(java.util.Locale.ROOT, "%.0f concurrent users, answer within %.1f s", users, latencySeconds)
                : String.format(java.util.Locale.ROOT, "%.2f requests/s, TTFT <= %.0f ms, TPOT <= %.1f ms",
                        requestsPerSecond, 1e3 * ttftSeconds, 1e3 * tpotSeconds);
    }
}
