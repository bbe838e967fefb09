package dev.headroom.core.workload;

import dev.headroom.core.base.Require;
import java.util.Locale;

/** A service level to size for. */
public sealed interface Target {
    static Target users(int users, double latencySeconds) {
        return new Users(users, latencySeconds);
    }

    static Target rate(double requestsPerSecond, double ttftSeconds, double tpotSeconds) {
        return new Rate(requestsPerSecond, ttftSeconds, tpotSeconds);
    }

    /**
     * {@code users} concurrent chat users, each expecting a workload's answer within {@code latencySeconds}:
     * required output tokens/s = users x output tokens / latency (the common chat-sizing rule), and TPOT at
     * most latency / output tokens.
     */
    record Users(int users, double latencySeconds) implements Target {
        public Users {
            Require.positive("users", users);
            Require.positive("latency", latencySeconds);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d concurrent users, answer within %.1f s", users, latencySeconds);
        }
    }

    /** {@code requestsPerSecond} with TTFT and TPOT limits. */
    record Rate(double requestsPerSecond, double ttftSeconds, double tpotSeconds) implements Target {
        public Rate {
            Require.positive("request rate", requestsPerSecond);
            Require.positive("TTFT limit", ttftSeconds);
            Require.positive("TPOT limit", tpotSeconds);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f requests/s, TTFT <= %.0f ms, TPOT <= %.1f ms",
                    requestsPerSecond, 1e3 * ttftSeconds, 1e3 * tpotSeconds);
        }
    }
}
