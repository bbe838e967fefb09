package dev.headroom.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A storage format for weights or KV elements, described by its block: {@code blockBytes} bytes hold
 * {@code blockElements} values (scales included). fp16 is 2 bytes per 1 value; GGUF Q4_0 is 18 bytes per
 * 32 values (4.5 bits); AWQ/GPTQ int4 with group 128 is 68 bytes per 128 (4.25 bits). Sizes computed
 * from blocks are exact integers, never a rounded bits-per-weight.
 *
 * @param compute the tensor-core path the arithmetic runs on ("bf16", "fp8", "int8", "fp4"); weight-only
 *                formats dequantize to 16 bits, so they compute as "fp16".
 */
public record Precision(String name, int blockElements, int blockBytes, String compute, boolean weightOnly) {

    public static final Precision FP32 = new Precision("fp32", 1, 4, "fp32", false);
    public static final Precision BF16 = new Precision("bf16", 1, 2, "bf16", false);
    public static final Precision FP16 = new Precision("fp16", 1, 2, "fp16", false);
    public static final Precision FP8 = new Precision("fp8", 1, 1, "fp8", false);
    public static final Precision INT8 = new Precision("int8", 1, 1, "int8", false);
    /** Group-wise int4 (AWQ/GPTQ) with a 16-bit scale and 16-bit zero per group of 128. */
    public static final Precision INT4 = int4(128);
    /** QLoRA NF4: 64 values per 4-bit block, an 8-bit absmax per block, one fp32 per 256 blocks. */
    public static final Precision NF4 = new Precision("nf4", 64 * 256, 64 * 256 / 2 + 256 + 4, "fp16", true);
    public static final Precision Q8_0 = new Precision("q8_0", 32, 34, "fp16", true);
    public static final Precision Q4_0 = new Precision("q4_0", 32, 18, "fp16", true);
    /** GGUF Q6_K: 210 bytes per super-block of 256; llama.cpp keeps output tensors in it. */
    public static final Precision Q6_K = new Precision("q6_k", 256, 210, "fp16", true);
    /**
     * GGUF Q4_K_M is a mix (Q4_K at 4.5 bits, Q6_K on some attention-v and ffn-down tensors); it is
     * modelled as its published file-size average, 4.85 bits, i.e. 97 bytes per 160 values.
     */
    public static final Precision Q4_K_M = new Precision("q4_k_m", 160, 97, "fp16", true);
    /** OCP MXFP4: 32 4-bit values share one 8-bit power-of-two scale. */
    public static final Precision MXFP4 = new Precision("mxfp4", 32, 17, "fp4", true);
    /** NVFP4: 16 4-bit values share one fp8 scale. */
    public static final Precision NVFP4 = new Precision("nvfp4", 16, 9, "fp4", false);

    private static final Map<String, Precision> KNOWN = new LinkedHashMap<>();
    /** Spellings engines use for the same formats (llama.cpp's cache types, PyTorch dtypes). */
    private static final Map<String, String> ALIASES = Map.of(
            "f16", "fp16", "f32", "fp32", "float16", "fp16", "bfloat16", "bf16", "float32", "fp32", "fp8_e4m3", "fp8");

    static {
        for (Precision p : List.of(FP32, BF16, FP16, FP8, INT8, INT4, NF4, Q8_0, Q4_0, Q4_K_M, Q6_K, MXFP4, NVFP4)) {
            KNOWN.put(p.name, p);
        }
    }

    public Precision {
        if (blockElements <= 0 || blockBytes <= 0) {
            throw new IllegalArgumentException("a precision block must hold a positive number of values and bytes");
        }
    }

    /** Group-wise int4 with group size {@code g}: 4 bits per value plus 16-bit scale and zero per group. */
    public static Precision int4(int groupSize) {
        if (groupSize < 8 || groupSize % 8 != 0) {
            throw InvalidInputException.field("int4 group size", groupSize, "use a positive multiple of 8, e.g. 32, 64 or 128");
        }
        return new Precision(groupSize == 128 ? "int4" : "int4-g" + groupSize, groupSize, groupSize / 2 + 4, "fp16", true);
    }

    /** Parses a precision name (case-insensitive); {@code int4-g64} sets the int4 group size. */
    public static Precision parse(String text, String field) {
        String typed = text.trim().toLowerCase(Locale.ROOT);
        String key = ALIASES.getOrDefault(typed, typed);
        Precision p = KNOWN.get(key);
        if (p != null) {
            return p;
        }
        if (key.startsWith("int4-g")) {
            int group;
            try {
                group = Integer.parseInt(key.substring("int4-g".length()));
            } catch (NumberFormatException e) {
                throw InvalidInputException.unknown(field, text, KNOWN.keySet());
            }
            if (group < 8 || group % 8 != 0) {
                throw InvalidInputException.field(field, "'" + text + "'", "the int4 group size must be a positive multiple of 8, e.g. int4-g32, int4-g64 or int4 (group 128)");
            }
            return int4(group);
        }
        throw InvalidInputException.unknown(field, text, KNOWN.keySet());
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /** Exact storage for {@code n} values: whole blocks. */
    public long bytesFor(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative element count " + n);
        }
        return Math.multiplyExact(Math.floorDiv(n + blockElements - 1, blockElements), (long) blockBytes);
    }

    public double bitsPerValue() {
        return 8.0 * blockBytes / blockElements;
    }

    /** True for 16- or 32-bit formats, which quantized checkpoints keep for embeddings and norms. */
    public boolean isHighPrecision() {
        return this == FP32 || this.equals(BF16) || this.equals(FP16);
    }

    @Override
    public String toString() {
        return name;
    }
}
