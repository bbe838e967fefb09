package dev.headroom.core.precision;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Precision_parseTest {

    @Test
    void should_name_the_field_the_value_and_every_known_name_when_unknown() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.parse("int3", "weight precision"));

        String msg = e.getMessage();
        assertTrue(msg.contains("weight precision"), msg);
        assertTrue(msg.contains("'int3'"), msg);
        List<String> known = Messages.known(msg);
        assertEquals(Precision.names().size(), Messages.knownCount(msg), "every format accounted for: " + msg);
        assertTrue(Precision.names().containsAll(known), msg);
        assertTrue(known.get(0).startsWith("int"), "nearest first: " + known);
    }

    @Test
    void should_name_the_field_and_the_typed_value_for_a_bad_int4_group() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.parse("int4-g7", "weight precision"));

        assertTrue(e.getMessage().contains("weight precision"), e.getMessage());
        assertTrue(e.getMessage().contains("int4-g7"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"bf16, bf16", "BF16, bf16", "bfloat16, bf16", "f16, fp16", "float16, fp16", "fp8_e4m3, fp8", "F32, fp32",
            " q4_0 , q4_0", "Q4_K_M, q4_k_m", "mxfp4, mxfp4", "int4, int4", "int4-g128, int4", "int4-g64, int4-g64"})
    void should_parse_names_and_engine_spellings(String text, String name) {
        assertEquals(name, Precision.parse(text, "dtype").name());
    }

    @Test
    void should_store_the_documented_block_sizes() {
        // MODEL.md "Weights": GGUF Q4_0 = 4.5 bits/weight, Q8_0 = 8.5, MXFP4 ≈ 4.25. Q4_K_M used uniformly (a KV cache) is
        // its base Q4_K block, 144 bytes per 256; as a file type it is a per-tensor mix (GgufMix_formatTest: 4.84 bits on
        // Llama-2-7B). AWQ/GPTQ g128: 128 nibbles + an fp16 scale + a 4-bit zero = 66.5 bytes (AutoAWQ gemm.py@v0.2.9).
        assertEquals(4.5, Precision.Q4_0.bitsPerValue(), 1e-12);
        assertEquals(8.5, Precision.Q8_0.bitsPerValue(), 1e-12);
        assertEquals(4.5, Precision.Q4_K_M.bitsPerValue(), 1e-12);
        assertEquals(4.25, Precision.MXFP4.bitsPerValue(), 1e-12);
        assertEquals(4.15625, Precision.INT4.bitsPerValue(), 1e-12);
        assertEquals(16.0, Precision.BF16.bitsPerValue(), 1e-12);
        assertEquals(8.0, Precision.FP8.bitsPerValue(), 1e-12);
        // MODEL.md "Training": QLoRA NF4 ≈ 4.13 bits with double-quantised scales.
        assertEquals(4.13, Precision.NF4.bitsPerValue(), 0.005);
    }

    @Property
    void should_carry_four_plus_20_over_g_bits_for_int4_groups(@ForAll @IntRange(min = 1, max = 512) int groups) {
        // An fp16 scale and a 4-bit zero per group of g (AutoAWQ/AutoGPTQ qzeros packed 8 to an int32): 4 + 20/g bits.
        int g = 8 * groups;
        Precision p = Precision.int4(g);
        assertEquals(4.0 + 20.0 / g, p.bitsPerValue(), 1e-12);
        // Pairs of whole groups are exact: 2n groups of g values take n x (g + 5) bytes.
        assertEquals(1000L * (g + 5), p.bytesFor(2000L * g));
    }

    @Test
    void should_shrink_bytes_as_the_int4_group_grows() {
        long n = 1L << 20;
        assertEquals(n * 37 / 64, Precision.int4(32).bytesFor(n));    // 4.625 bits
        assertEquals(n * 69 / 128, Precision.int4(64).bytesFor(n));   // 4.3125 bits
        assertEquals(n * 133 / 256, Precision.int4(128).bytesFor(n)); // 4.15625 bits
    }

    @Test
    void should_store_bitsandbytes_4bit_with_and_without_double_quantization() {
        // bitsandbytes functional.py quantize_4bit: 0.5 B + an fp32 absmax per 64 (4.5 bits); double quantization keeps
        // the absmax as uint8 plus an fp32 per 256 absmax: 0.5 + 1/64 + 4/16384 B (4.127 bits). FP4 stores as NF4.
        assertEquals(4.5, Precision.NF4_SINGLE.bitsPerValue(), 1e-12);
        assertEquals(4.5, Precision.BNB_FP4.bitsPerValue(), 1e-12);
        assertEquals(8 * (0.5 + 1.0 / 64 + 4.0 / 16384), Precision.NF4.bitsPerValue(), 1e-12);
    }

    @ParameterizedTest(name = "group {0}")
    @CsvSource({"0", "4", "12", "-8"})
    void should_reject_int4_groups_that_are_not_positive_multiples_of_8(int g) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.int4(g));
        assertTrue(e.getMessage().contains("group size"), e.getMessage());
    }

    @Test
    void should_round_partial_blocks_up_to_whole_blocks() {
        assertEquals(18, Precision.Q4_0.bytesFor(1));
        assertEquals(18, Precision.Q4_0.bytesFor(32));
        assertEquals(36, Precision.Q4_0.bytesFor(33));
        assertEquals(0, Precision.Q4_0.bytesFor(0));
    }

    @Test
    void should_return_the_shared_constants_for_known_names() {
        assertSame(Precision.BF16, Precision.parse("bf16", "dtype"));
        assertTrue(Precision.parse("bf16", "dtype").isHighPrecision());
        assertTrue(!Precision.parse("fp8", "dtype").isHighPrecision());
    }
}
