package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.Ranks;
import dev.headroom.core.model.KvLayout;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SGLang's CUDA graphs: without --cuda-graph-bs it captures batch sizes 1, 2, 4, 8, 12 and then every 8th from 16,
 * keeping those up to cuda_graph_max_bs (python/sglang/srt/model_executor/cuda_graph_runner.py get_batch_sizes_to_capture);
 * --cuda-graph-bs replaces the list, --disable-cuda-graph captures none. Each graph costs a measured amount per decoder layer.
 */
class Sglang_cudaGraphsTest {

    @ParameterizedTest(name = "cuda_graph_max_bs {0}: {1} graphs")
    @CsvSource({
            // below the first size nothing is captured
            "0, 0",
            // 1 and 2 only
            "3, 2",
            // 1, 2, 4, 8: 12 is one too many
            "11, 4",
            // exactly 12 keeps 12
            "12, 5",
            // 16 is the first of the steps of 8
            "15, 5", "16, 6",
            // 16 and 24; 23 stops short of 24
            "23, 6", "24, 7",
            // the 0.4 default on a large GPU: 1, 2, 4, 8, 12 and 16, 24, ..., 160 (19 sizes) = 24
            "160, 24",
            // the 0.5.3 default on an 80 GiB card: 5 + (256 - 16) / 8 + 1 = 5 + 31 = 36
            "256, 36"})
    void should_capture_the_default_batch_sizes_up_to_cuda_graph_max_bs(int maxBs, int graphs) {
        assertEquals(graphs, Sglang.defaults().cudaGraphCount(maxBs));
    }

    @Test
    void should_capture_exactly_the_listed_batch_sizes_when_cuda_graph_bs_is_set() {
        // GIVEN --cuda-graph-bs 1 2 4 (three sizes, whatever cuda_graph_max_bs says)
        Sglang s = (Sglang) Sglang.defaults().with("cuda_graph_bs", "1 2 4");

        // THEN the list is read as written and three graphs are captured
        assertEquals(List.of(1, 2, 4), s.cudaGraphBs());
        assertEquals(3, s.cudaGraphCount(160));
    }

    @Test
    void should_capture_no_graph_when_cuda_graphs_are_disabled() {
        Sglang s = (Sglang) Sglang.defaults().with("disable_cuda_graph", "true");

        assertEquals(0, s.cudaGraphCount(160));
        assertEquals(0, s.cudaGraphBytes(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1)));
    }

    @Test
    void should_charge_each_graph_once_per_decoder_layer() {
        // GIVEN a rank of 32 decoder layers and cuda_graph_max_bs 16: graphs for 1, 2, 4, 8, 12, 16 = 6
        RankFacts base = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);
        List<KvLayout.LayerCache> layers = Collections.nCopies(32, new KvLayout.LayerCache(4096, 0, 0));
        KvLayout kv = new KvLayout(32 * 4096, new int[0], new long[0], 0, 32 * 4096, layers);
        RankFacts rank = new RankFacts(base.gpu(), base.weightsBytes(), kv, 0, base.activation(), 0, 0, 1, 1, true, base.weightsFormat());

        // WHEN SGLang charges its graphs
        long bytes = ((Sglang) Sglang.defaults().with("cuda_graph_max_bs", "16")).cudaGraphBytes(rank);

        // THEN 6 graphs x 32 layers x the per-layer figure
        assertEquals(6L * 32 * DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER, bytes);
    }
}
