package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;

/**
 * The setup columns of a row read from its scenario, for rows without an estimate (a deployment that cannot be
 * made): the settings the user asked for, so the row still says what it is. Every other column is missing.
 */
final class SetupValues {
    private SetupValues() {}

    static long whole(String column, Scenario s) {
        Workload w = s.workload();
        int gpus = s.resolvedGpus();
        int split = s.resolvedTp() * s.pp();
        return switch (column) {
            case "gpus" -> gpus;
            case "tp" -> s.resolvedTp();
            case "pp" -> s.pp();
            case "ep" -> s.ep();
            case "replicas" -> gpus % split == 0 ? gpus / split : Column.MISSING_LONG;
            case "batch" -> w.load() instanceof Load.Static b ? b.batch() : Column.MISSING_LONG;
            case "input_tokens" -> w.inputTokens();
            case "output_tokens" -> w.outputTokens();
            case "gpu_memory_bytes" -> s.gpu() == null ? Column.MISSING_LONG : s.gpu().visibleMemoryBytes();
            default -> Column.MISSING_LONG;
        };
    }

    static double real(String column, Scenario s) {
        return column.equals("request_rate") && s.workload().load() instanceof Load.Rate r ? r.requestsPerSecond() : Double.NaN;
    }

    static String text(String column, Scenario s) {
        return switch (column) {
            case "model" -> s.model().id();
            case "gpu" -> s.gpu() == null ? null : s.gpu().id();
            case "engine" -> s.engine().id();
            case "engine_version" -> s.engine().release().version();
            case "weights_dtype" -> s.weights() == null ? null : s.weights().name();
            case "kv_dtype" -> s.kv() == null ? null : s.kv().name();
            case "load" -> s.workload().load().kind().words();
            default -> null;
        };
    }
}
