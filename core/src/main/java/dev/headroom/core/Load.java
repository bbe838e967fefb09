package dev.headroom.core;

/**
 * How requests arrive.
 * STATIC: one batch of {@code value} sequences starts together and runs to the end.
 * CONCURRENCY: {@code value} requests in a closed loop; a finished one is replaced at once (continuous batching).
 * MAX: the saturating offline throughput: as many concurrent requests as the KV pool and engine admit.
 * RATE: {@code value} requests per second arrive (Poisson); TTFT includes queueing.
 */
public record Load(Kind kind, double value) {
    public enum Kind { STATIC, CONCURRENCY, MAX, RATE }

    public Load {
        if (kind != Kind.MAX && !(value > 0 && Double.isFinite(value))) {
            String field = switch (kind) {
                case STATIC -> "batch";
                case RATE -> "request rate";
                default -> "concurrency";
            };
            throw InvalidInputException.field(field, kind == Kind.RATE ? String.valueOf(value) : String.valueOf((long) value),
                    kind == Kind.RATE ? "must be a positive finite number of requests per second" : "must be a positive whole number");
        }
    }

    public static Load staticBatch(int batch) {
        return new Load(Kind.STATIC, batch);
    }

    public static Load concurrency(int n) {
        return new Load(Kind.CONCURRENCY, n);
    }

    public static Load max() {
        return new Load(Kind.MAX, 0);
    }

    public static Load rate(double requestsPerSecond) {
        return new Load(Kind.RATE, requestsPerSecond);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATIC -> "static batch of " + (int) value;
            case CONCURRENCY -> (int) value + " concurrent requests (closed loop)";
            case MAX -> "saturating throughput";
            case RATE -> value + " requests/s";
        };
    }
}
