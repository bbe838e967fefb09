package dev.headroom.core.workload;

import dev.headroom.core.base.InvalidInputException;
import java.util.Locale;

/** How requests arrive. Each kind carries its own number; the batch has one home: {@link Static#batch()}. */
public sealed interface Load {
    /** One batch of {@code batch} sequences starts together and runs to the end (all must fit at once). */
    record Static(int batch) implements Load {
        public Static {
            if (batch <= 0) {
                throw InvalidInputException.field("batch", batch, "must be a positive whole number of sequences");
            }
        }

        @Override
        public Kind kind() {
            return Kind.STATIC_BATCH;
        }

        @Override
        public String toString() {
            return "static batch of " + batch;
        }
    }

    /** {@code concurrency} requests in a closed loop; a finished one is replaced at once (continuous batching). */
    record Closed(int concurrency) implements Load {
        public Closed {
            if (concurrency <= 0) {
                throw InvalidInputException.field("concurrency", concurrency, "must be a positive whole number of requests");
            }
        }

        @Override
        public Kind kind() {
            return Kind.CLOSED_LOOP;
        }

        @Override
        public String toString() {
            return concurrency + " concurrent requests (closed loop)";
        }
    }

    /** The saturating offline throughput: as many concurrent requests as the KV pool and the engine admit. */
    record Saturating() implements Load {
        @Override
        public Kind kind() {
            return Kind.SATURATING;
        }

        @Override
        public String toString() {
            return "saturating throughput";
        }
    }

    /** Poisson arrivals at {@code requestsPerSecond}; TTFT includes queueing. */
    record Rate(double requestsPerSecond) implements Load {
        public Rate {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
                throw InvalidInputException.field("request rate", requestsPerSecond, "must be a positive finite number of requests per second");
            }
        }

        @Override
        public Kind kind() {
            return Kind.REQUEST_RATE;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s requests/s", requestsPerSecond);
        }
    }

    static Load batch(int n) {
        return new Static(n);
    }

    static Load concurrency(int n) {
        return new Closed(n);
    }

    static Load saturating() {
        return new Saturating();
    }

    static Load rate(double requestsPerSecond) {
        return new Rate(requestsPerSecond);
    }

    /** The kinds of load; each prints as its words ("closed loop"), which tables and the calibration file use. */
    enum Kind {
        STATIC_BATCH("static batch"), CLOSED_LOOP("closed loop"), SATURATING("saturating throughput"), REQUEST_RATE("request rate");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** The kind of load (tables show its words). */
    Kind kind();

    /** Sequences that must be in memory at once for the load to run as asked: the whole static batch, else one. */
    default int sequencesAtOnce() {
        return this instanceof Static s ? s.batch() : 1;
    }
}
