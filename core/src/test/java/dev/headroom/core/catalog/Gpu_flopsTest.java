package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.core.CatalogFiles;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.ComputeType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GPU states a dense peak for each arithmetic path it runs, so no speed estimate silently runs on a slower
 * fallback: fp32 and 16-bit on every GPU (directly, or through the path a kernel falls back to, as Apple's shader
 * ALUs run fp16 at the fp32 rate), fp8 on the architectures with fp8 tensor units, fp4 on those with fp4 units.
 * The GPUs whose figures no source read gives are listed with the reason, and the list is checked too.
 */
class Gpu_flopsTest {
    /** Architectures with fp8 tensor (or matrix-engine) paths: Hopper, Ada, Blackwell, CDNA 3/4, Gaudi 2/3. */
    static final Set<String> FP8_ARCHITECTURES = Set.of("hopper", "ada", "blackwell", "cdna3", "cdna4", "gaudi2", "gaudi3");
    /** Architectures with fp4 tensor paths: Blackwell, CDNA 4. */
    static final Set<String> FP4_ARCHITECTURES = Set.of("blackwell", "cdna4");

    /** GPUs whose datasheet peaks were not found in a readable source (each file's notes say what was looked for). */
    static final Map<String, String> KNOWN_GAPS = Map.of(
            "radeon-pro-w7900", "no FP32/FP16 peak found; the same Navi 31 die as the RX 7900 XTX at unknown clocks",
            "gaudi2", "Intel lists FP32 as supported but publishes no FP32 peak for Gaudi 2",
            "apple-m3-ultra", "Apple publishes no FP32 TFLOPS",
            "apple-m4-max", "Apple publishes no FP32 TFLOPS; the 40-core clock was not confirmed",
            "apple-m4-pro", "Apple publishes no FP32 TFLOPS",
            "h200-nvl", "NVIDIA's H200 NVL datasheet was not found in a readable source",
            "dgx-spark-gb10", "only the FP4 figure is a datasheet peak; FP8/BF16 figures found were measurements",
            "h800-sxm", "the FP32 and TF32 peaks were not found in a readable source (the tensor figures were)");

    static Stream<Path> gpuFiles() {
        return CatalogFiles.files("gpus").stream();
    }

    /** What is missing for this GPU: paths it runs without a dense peak, or a peak that is not positive. */
    static List<String> missing(Path file) {
        JsonNode j = CatalogFiles.read(file);
        JsonNode peaks = j.get("peak_tflops_dense");
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = peaks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull() && !(e.getValue().asDouble() > 0)) {
                out.add(e.getKey() + " = " + e.getValue() + " is not a positive peak");
            }
        }
        Gpu g = Catalog.gpu(j.get("id").asText());
        for (ComputeType runs : List.of(ComputeType.FP32, ComputeType.BF16)) {
            if (runs.fallbacks().stream().noneMatch(c -> g.peakFlops(c).isPresent())) {
                out.add(runs.key() + " (no peak on any path it falls back to: " + runs.fallbacks() + ")");
            }
        }
        String architecture = j.get("architecture").asText();
        if (FP8_ARCHITECTURES.contains(architecture) && g.peakFlops(ComputeType.FP8).isEmpty()) {
            out.add("fp8 (" + architecture + " has fp8 tensor units)");
        }
        if (FP4_ARCHITECTURES.contains(architecture) && g.peakFlops(ComputeType.FP4).isEmpty()) {
            out.add("fp4 (" + architecture + " has fp4 tensor units)");
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gpuFiles")
    void should_state_a_dense_peak_for_each_path_the_gpu_runs(Path file) {
        if (KNOWN_GAPS.containsKey(CatalogFiles.baseName(file))) {
            return; // checked by the next test
        }
        List<String> missing = missing(file);
        assertTrue(missing.isEmpty(), file.getFileName() + " has no dense FLOP/s for: " + missing);
    }

    @Test
    void should_keep_the_list_of_gaps_honest() {
        List<String> ids = gpuFiles().map(CatalogFiles::baseName).toList();
        for (String id : KNOWN_GAPS.keySet()) {
            assertTrue(ids.contains(id), id + " is listed as a gap but is not in the catalog");
            assertFalse(missing(CatalogFiles.dir("gpus").resolve(id + ".json")).isEmpty(),
                    id + " has its figures now: take it off KNOWN_GAPS");
        }
    }
}
