package dev.headroom.validation;

import java.util.Locale;
import java.util.Optional;

/**
 * Rows Headroom cannot express, each for a reason the row itself states: a vision encoder, a deployment of mixed GPU
 * types, a GPU shared with other processes. Every reason is a property of the row, never its error.
 */
final class Unexpressible {
    private Unexpressible() {}

    /**
     * @param logNotes the notes of every row from the same log (same id): a log's facts hold for all its figures
     */
    static Optional<String> why(MeasurementRow row, String metric, String logNotes) {
        String model = row.get("model").toLowerCase(Locale.ROOT);
        String note = logNotes.toLowerCase(Locale.ROOT);
        if (model.contains("-vl-") || model.contains("vision") || note.contains("vision tower")) {
            return Optional.of("vision encoders and their profiling are not modelled");
        }
        if (row.has("gpu") && row.get("gpu").contains("+")) {
            return Optional.of("a deployment of mixed GPU types (" + row.get("gpu") + ") is not modelled");
        }
        if (note.contains("other triton models share the gpu") || note.contains("share the gpu")) {
            return Optional.of("other processes share the GPU; their memory is not stated");
        }
        if (note.contains("unclear")) {
            return Optional.of("the source leaves the deployment unclear (" + row.get("note").replaceAll(".*?([^;]*unclear[^;]*).*", "$1").trim() + ")");
        }
        if (row.get("engine").startsWith("vllm") && RowSetup.version(row.get("engine_version")) != null
                && dev.headroom.core.engine.Release.compareVersions(RowSetup.version(row.get("engine_version")), "0.3") < 0
                && RowSetup.whole(row, "tp", 1) > 1) {
            // vllm-project/vllm#2031: 31,615 -> 20,865 blocks for Llama-2-70B at TP4, 7,449 -> 7,351 at TP1
            return Optional.of("vLLM 0.2.x charges what the whole device holds after its profile run; at tp > 1 that held memory "
                    + "outside PyTorch (13.1 GiB per GPU at TP4 in PR #2031) which the source does not size");
        }
        if (metric.equals("cuda_graph_gib") && !row.cells().containsKey("settings")) {
            return Optional.of("the row does not state the captured batch sizes");
        }
        return Optional.empty();
    }
}
