package dev.headroom.core.training;

import java.util.List;

/**
 * What is trained: every weight (full fine-tuning or pre-training), low-rank adapters on a frozen 16-bit base
 * (LoRA, Hu et al. 2021), or adapters on a frozen base quantized to NF4 with double quantization (QLoRA,
 * Dettmers et al. 2023).
 */
public enum Method {
    FULL("full"), LORA("lora"), QLORA("qlora");

    private final String key;

    Method(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Only adapters are trained; the base is frozen. */
    public boolean adapters() {
        return this != FULL;
    }

    public static Method parse(String text, String field) {
        return Keys.parse(values(), Method::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Method::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
