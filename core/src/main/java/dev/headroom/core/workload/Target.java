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
            return String.format(Locale.ROOT, "%d concurrent users, answer within %s s", users, fixed(latencySeconds, 1));
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
            return String.format(Locale.ROOT, "%s requests/s, TTFT <= %s ms, TPOT <= %s ms",
                    fixed(requestsPerSecond, 2), fixed(1e3 * ttftSeconds, 0), fixed(1e3 * tpotSeconds, 1));
        }
    }

    /** Fixed decimals for everyday values; three significant digits beyond a billion (1e300 is not 301 digits). */
    private static String fixed(double v, int decimals) {
        return Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%." + decimals + "f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
