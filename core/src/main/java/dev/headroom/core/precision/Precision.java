package dev.headroom.core.precision;

import dev.headroom.core.base.Checked;
import dev.headroom.core.base.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A storage format for weights or KV elements, described by its block: {@code blockBytes} bytes hold
 * {@code blockElements} values (scales included). fp16 is 2 bytes per 1 value; GGUF Q4_0 is 18 bytes per
 * 32 values (4.5 bits); AWQ/GPTQ int4 with group 128 is 68 bytes per 128 (4.25 bits). Sizes computed
 * from blocks are exact integers, never a rounded bits-per-weight. GGUF layouts are ggml's block structs
 * (ggml-common.h, llama.cpp b4000 and later).
 *
 * @param compute    the tensor-core path the arithmetic runs on; weight-only formats dequantize to 16 bits
 * @param weightOnly unpacked to 16-bit on the fly (group-wise int, GGUF, NF4): costs bandwidth, not FLOP/s
 */
public record Precision(String name, int blockElements, int blockBytes, ComputeType compute, boolean weightOnly, Family family) {

    /** Who defines the format: the rules for which tensors a quantizer leaves alone follow from it. */
    public enum Family {
        /** fp32, bf16, fp16, fp8, int8: one value per element, no block scales. */
        PLAIN,
        /** AWQ/GPTQ group-wise integers. */
        GROUPED_INT,
        /** bitsandbytes NF4 / LLM.int8(). */
        BITSANDBYTES,
        /** llama.cpp's GGUF block formats. */
        GGUF,
        /** Microscaling fp4 formats (MXFP4, NVFP4). */
        MICROSCALING
    }


    public static final Precision FP32 = new Precision("fp32", 1, 4, ComputeType.FP32, false, Family.PLAIN);
    public static final Precision BF16 = new Precision("bf16", 1, 2, ComputeType.BF16, false, Family.PLAIN);
    public static final Precision FP16 = new Precision("fp16", 1, 2, ComputeType.FP16, false, Family.PLAIN);
    public static final Precision FP8 = new Precision("fp8", 1, 1, ComputeType.FP8, false, Family.PLAIN);
    public static final Precision INT8 = new Precision("int8", 1, 1, ComputeType.INT8, false, Family.PLAIN);
    /** Group-wise int4 (AWQ, GPTQ) with an fp16 scale and a 4-bit zero per group of 128. */
    public static final Precision INT4 = int4(128);
    /** GPTQ int4, group 128: the same packing plus an int32 g_idx per input channel of every matrix (model.WeightPolicy). */
    public static final Precision GPTQ = gptq(128);
    /** bitsandbytes NF4 with double quantization: 64 values per 4-bit block, an 8-bit absmax per block, one fp32 per 256 blocks. */
    public static final Precision NF4 = new Precision("nf4", 64 * 256, 64 * 256 / 2 + 256 + 4, ComputeType.FP16, true, Family.BITSANDBYTES);
    /** bitsandbytes NF4 without double quantization: an fp32 absmax per block of 64. */
    public static final Precision NF4_SINGLE = new Precision("nf4-single", 64, 32 + 4, ComputeType.FP16, true, Family.BITSANDBYTES);
    /** bitsandbytes FP4: stored exactly as NF4 without double quantization (functional.py quantize_4bit). */
    public static final Precision BNB_FP4 = new Precision("bnb-fp4", 64, 32 + 4, ComputeType.FP16, true, Family.BITSANDBYTES);
    /** bitsandbytes LLM.int8(): int8 weights with an fp32 scale per row (rows are long: counted as values). */
    public static final Precision BNB_INT8 = new Precision("bnb-int8", 1, 1, ComputeType.FP16, true, Family.BITSANDBYTES);

    // GGUF block types (ggml-common.h): values per block, bytes per block.
    public static final Precision Q4_0 = gguf("q4_0", 32, 18);
    public static final Precision Q4_1 = gguf("q4_1", 32, 20);
    public static final Precision Q5_0 = gguf("q5_0", 32, 22);
    public static final Precision Q5_1 = gguf("q5_1", 32, 24);
    public static final Precision Q8_0 = gguf("q8_0", 32, 34);
    public static final Precision Q2_K = gguf("q2_k", 256, 84);
    public static final Precision Q3_K = gguf("q3_k", 256, 110);
    public static final Precision Q4_K = gguf("q4_k", 256, 144);
    public static final Precision Q5_K = gguf("q5_k", 256, 176);
    /** GGUF Q6_K: 210 bytes per super-block of 256; llama.cpp keeps output tensors in it. */
    public static final Precision Q6_K = gguf("q6_k", 256, 210);
    public static final Precision IQ1_S = gguf("iq1_s", 256, 50);
    public static final Precision IQ1_M = gguf("iq1_m", 256, 56);
    public static final Precision IQ2_XXS = gguf("iq2_xxs", 256, 66);
    public static final Precision IQ2_XS = gguf("iq2_xs", 256, 74);
    public static final Precision IQ2_S = gguf("iq2_s", 256, 82);
    public static final Precision IQ3_XXS = gguf("iq3_xxs", 256, 98);
    public static final Precision IQ3_S = gguf("iq3_s", 256, 110);
    public static final Precision IQ4_NL = gguf("iq4_nl", 32, 18);
    public static final Precision IQ4_XS = gguf("iq4_xs", 256, 136);
    // GGUF file types (llama.cpp's llama_ftype): each names a per-tensor mix of the block types above, applied by
    // model.GgufMix; used uniformly (a KV cache) they are their base type's block.
    public static final Precision Q2_K_S = gguf("q2_k_s", 256, 84);
    public static final Precision Q3_K_S = gguf("q3_k_s", 256, 110);
    public static final Precision Q3_K_M = gguf("q3_k_m", 256, 110);
    public static final Precision Q3_K_L = gguf("q3_k_l", 256, 110);
    public static final Precision Q4_K_S = gguf("q4_k_s", 256, 144);
    public static final Precision Q4_K_M = gguf("q4_k_m", 256, 144);
    public static final Precision Q5_K_S = gguf("q5_k_s", 256, 176);
    public static final Precision Q5_K_M = gguf("q5_k_m", 256, 176);
    public static final Precision IQ2_M = gguf("iq2_m", 256, 82);
    public static final Precision IQ3_XS = gguf("iq3_xs", 256, 110);
    public static final Precision IQ3_M = gguf("iq3_m", 256, 110);
    /** llama.cpp's MXFP4_MOE file type: expert tensors in MXFP4, everything else Q8_0. */
    public static final Precision MXFP4_MOE = gguf("mxfp4_moe", 32, 17);
    /** OCP MXFP4: 32 4-bit values share one 8-bit power-of-two scale. */
    public static final Precision MXFP4 = new Precision("mxfp4", 32, 17, ComputeType.FP4, true, Family.MICROSCALING);
    /** NVFP4: 16 4-bit values share one fp8 scale. */
    public static final Precision NVFP4 = new Precision("nvfp4", 16, 9, ComputeType.FP4, false, Family.MICROSCALING);

    private static final Map<String, Precision> KNOWN = new LinkedHashMap<>();
    /** Spellings engines use for the same formats (llama.cpp's cache types, PyTorch dtypes, quantizer names). */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("f16", "fp16"), Map.entry("f32", "fp32"), Map.entry("float16", "fp16"), Map.entry("half", "fp16"),
            Map.entry("bfloat16", "bf16"), Map.entry("float32", "fp32"), Map.entry("fp8_e4m3", "fp8"),
            Map.entry("fp8_e5m2", "fp8"), Map.entry("e4m3", "fp8"), Map.entry("bnb-nf4", "nf4"), Map.entry("bnb-4bit", "nf4"),
            Map.entry("awq", "int4"), Map.entry("gptq-int4", "gptq"), Map.entry("awq-int4", "int4"), Map.entry("w4a16", "int4"),
            Map.entry("fp4-bnb", "bnb-fp4"),
            Map.entry("w8a8", "int8"));

    static {
        for (Precision p : List.of(FP32, BF16, FP16, FP8, INT8, INT4, GPTQ, NF4, NF4_SINGLE, BNB_FP4, BNB_INT8, Q8_0, Q4_0, Q4_1, Q5_0,
                Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q2_K_S, Q3_K_S, Q3_K_M, Q3_K_L, Q4_K_S, Q4_K_M, Q5_K_S, Q5_K_M, IQ1_S,
                IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ2_M, IQ3_XXS, IQ3_XS, IQ3_S, IQ3_M, IQ4_NL, IQ4_XS, MXFP4_MOE, MXFP4, NVFP4)) {
            KNOWN.put(p.name, p);
        }
    }

    public Precision {
        if (blockElements <= 0 || blockBytes <= 0) {
            throw new IllegalArgumentException("a precision block must hold a positive number of values and bytes");
        }
    }

    private static Precision gguf(String name, int elements, int bytes) {
        return new Precision(name, elements, bytes, ComputeType.FP16, true, Family.GGUF);
    }

    /**
     * A tensor stored in two formats side by side: {@code firstShare} of every {@code firstShare + 1} values in
     * {@code first}, the rest in {@code second} (a GGUF expert block: gate and up in one type, down in another).
     * Sizes are exact when the tensor holds whole blocks of both.
     */
    public static Precision split(Precision first, int firstShare, Precision second) {
        if (first.equals(second)) {
            return first;
        }
        long lcm = lcm(first.blockElements, second.blockElements);
        long firstBytes = lcm / first.blockElements * first.blockBytes * firstShare;
        long secondBytes = lcm / second.blockElements * second.blockBytes;
        return new Precision(first.name + "+" + second.name, Checked.toInt(lcm * (firstShare + 1), "block values"),
                Checked.toInt(firstBytes + secondBytes, "block bytes"), first.compute, first.weightOnly || second.weightOnly, first.family);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /**
     * Group-wise int4 with group size {@code g} as AutoAWQ and AutoGPTQ store it: 4-bit weights, an fp16 scale and a 4-bit
     * zero point per group of one output column (awq/modules/linear/gemm.py@v0.2.9 qzeros int32 [in/g, out/8]; 66.5
     * bytes per 128 values, 4.156 bits); two groups make a whole block of bytes.
     */
    public static Precision int4(int groupSize) {
        requireGroup(groupSize);
        return new Precision(groupSize == 128 ? "int4" : "int4-g" + groupSize, 2 * groupSize, groupSize + 5, ComputeType.FP16, true, Family.GROUPED_INT);
    }

    /** GPTQ int4 with group size {@code g}: int4's packing; its g_idx is per matrix, added by the weight policy. */
    public static Precision gptq(int groupSize) {
        requireGroup(groupSize);
        return new Precision(groupSize == 128 ? "gptq" : "gptq-g" + groupSize, 2 * groupSize, groupSize + 5, ComputeType.FP16, true, Family.GROUPED_INT);
    }

    private static void requireGroup(int groupSize) {
        if (groupSize < 8 || groupSize % 8 != 0) {
            throw InvalidInputException.field("int4 group size", groupSize, "use a positive multiple of 8, e.g. 32, 64 or 128");
        }
    }

    /** GPTQ checkpoints keep an int32 g_idx for every input channel of every quantized matrix (qlinear_cuda_old.py@v0.7.1). */
    public boolean hasGroupIndex() {
        return name.startsWith("gptq");
    }

    /**
     * Group-wise symmetric int4 with group size {@code g}: 4 bits per value plus one 16-bit scale per group and no
     * zero point (compressed-tensors' pack-quantized weights with symmetric: true, e.g. Kimi K2's INT4 experts).
     */
    public static Precision int4Symmetric(int groupSize) {
        if (groupSize < 8 || groupSize % 8 != 0) {
            throw InvalidInputException.field("int4 group size", groupSize, "use a positive multiple of 8, e.g. 32, 64 or 128");
        }
        return new Precision(groupSize == 128 ? "int4-sym" : "int4-sym-g" + groupSize, groupSize, groupSize / 2 + 2, ComputeType.FP16,
                true, Family.GROUPED_INT);
    }

    /** Parses a precision name (case-insensitive); {@code int4-g64} sets the int4 group size, {@code int4-sym-g32} a symmetric one. */
    public static Precision parse(String text, String field) {
        if (text == null) {
            throw InvalidInputException.missing(field, "give one of " + String.join(", ", KNOWN.keySet()));
        }
        String typed = text.trim().toLowerCase(Locale.ROOT);
        String key = ALIASES.getOrDefault(typed, typed);
        Precision p = KNOWN.get(key);
        if (p != null) {
            return p;
        }
        if (key.equals("int4-sym")) {
            return int4Symmetric(128);
        }
        if (key.startsWith("int4-sym-g")) {
            return int4Symmetric(groupSize(key.substring("int4-sym-g".length()), text, field));
        }
        if (key.startsWith("gptq-g")) {
            return gptq(groupSize(key.substring("gptq-g".length()), text, field));
        }
        if (key.startsWith("int4-g")) {
            return int4(groupSize(key.substring("int4-g".length()), text, field));
        }
        throw InvalidInputException.unknown(field, text, KNOWN.keySet());
    }

    private static int groupSize(String digits, String text, String field) {
        int group;
        try {
            group = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw InvalidInputException.unknown(field, text, KNOWN.keySet());
        }
        if (group < 8 || group % 8 != 0) {
            throw InvalidInputException.field(field, "'" + text + "'", "the int4 group size must be a positive multiple of 8, e.g. int4-g32, int4-g64 or int4 (group 128)");
        }
        return group;
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /** Exact storage for {@code n} values: whole blocks. */
    public long bytesFor(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative element count " + n);
        }
        return Checked.multiply(Math.floorDiv(n + blockElements - 1, blockElements), blockBytes, "bytes of " + n + " " + name + " values");
    }

    public double bitsPerValue() {
        return 8.0 * blockBytes / blockElements;
    }

    /** True for 16- or 32-bit formats, which quantized checkpoints keep for embeddings and norms. */
    public boolean isHighPrecision() {
        return this.equals(FP32) || this.equals(BF16) || this.equals(FP16);
    }

    @Override
    public String toString() {
        return name;
    }
}
