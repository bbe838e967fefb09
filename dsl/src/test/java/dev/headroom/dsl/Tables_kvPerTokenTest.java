package dev.headroom.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** MODEL.md "KV cache" trap: the copied 2 x layers x hidden x bytes formula ignores GQA (8x too big for Llama-3.1-70B). */
class Tables_kvPerTokenTest {
    @Test
    void should_show_the_copied_formula_8x_too_big_for_llama_3_1_70b() {
        Table t = Tables.kvPerToken("llama-3.1-70b");

        // exact: 2 x 80 layers x 8 KV heads x 128 head_dim x 2 B = 327,680 B
        assertEquals(2L * 80 * 8 * 128 * 2, t.longColumn("kv_bytes_per_token").get(0));
        assertEquals(327_680L, t.longColumn("kv_bytes_per_token").get(0));
        // copied: 2 x 80 layers x 8192 hidden x 2 B = 2,621,440 B
        assertEquals(2L * 80 * 8192 * 2, t.longColumn("naive_bytes_per_token").get(0));
        // 2,621,440 / 327,680 = 8 (the 64 query heads share 8 KV heads)
        assertEquals(2.0 * 80 * 8192 * 2 / 327_680, t.doubleColumn("naive_over_exact").get(0), 1e-12);
        assertEquals(8.0, t.doubleColumn("naive_over_exact").get(0), 1e-12);
        assertEquals("GQA 8 KV / 64 heads", t.stringColumn("attention").get(0));
    }

    @Test
    void should_give_one_row_per_model_with_mha_at_ratio_1() {
        // Llama-2-7B is MHA: 32 KV heads x 128 = 4096 = hidden, so the copied formula is right: 2 x 32 x 4096 x 2 = 524,288 B
        Table t = Tables.kvPerToken("llama-3.1-8b", "llama-2-7b");

        assertEquals(List.of("llama-3.1-8b", "llama-2-7b"), t.stringColumn("model").asList());
        assertEquals(524_288L, t.longColumn("kv_bytes_per_token").get(1));
        assertEquals(1.0, t.doubleColumn("naive_over_exact").get(1), 1e-12);
        // Llama-3.1-8B: 131,072 B exact vs 2 x 32 x 4096 x 2 = 524,288 copied: 4x
        assertEquals(4.0, t.doubleColumn("naive_over_exact").get(0), 1e-12);
    }
}
