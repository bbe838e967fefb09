package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;
import java.util.List;

/**
 * SGLang's defaults for mem_fraction_static, chunked_prefill_size and cuda_graph_max_bs over its releases, all
 * picked from the GPU's capacity (nvidia-smi's MiB, not what is free) and the tensor x pipeline size
 * (python/sglang/srt/server_args.py __post_init__ / _handle_gpu_memory_settings, by revision).
 */
enum SglangDefaults {
    /** 0.1 - 0.3.5: TP >= 16 0.79, >= 8 0.83, >= 4 0.85, >= 2 0.87, else 0.88. */
    BY_TP_083("0.1", "github:sgl-project/sglang python/sglang/srt/server_args.py (0.3 revisions) __post_init__"),
    /** 0.3.6 - 0.4.6: the same table with TP >= 8 at 0.81; chunked prefill 2048 below 25 GB, else 8192 (PR #2044). */
    BY_TP_081("0.3.6", "github:sgl-project/sglang pull/2044; server_args.py (0.4 revisions) __post_init__"),
    /** 0.4.7 - 0.5.2: reserved = 2.8 + 0.1 x TP x PP GB below 35 GB, 9.5 + TP x PP / 2 below 90, 12 + TP x PP / 2 below 160, else 32. */
    RESERVED_BY_SIZE("0.4.7", "github:sgl-project/sglang python/sglang/srt/server_args.py (mid-2025, before pull/10975)"),
    /** 0.5.3 on: reserved = 512 MiB + 1.5 x chunked prefill + 2 x cuda_graph_max_bs + TP x PP / 8 GiB, at least 10 GiB above 60 GB. */
    RESERVED_BY_BUFFERS("0.5.3", "github:sgl-project/sglang pull/10975 server_args.py _handle_gpu_memory_settings");

    final Release release;

    SglangDefaults(String version, String source) {
        this.release = new Release(version, source);
    }

    static List<Release> releases() {
        return java.util.Arrays.stream(values()).map(d -> d.release).toList();
    }

    static SglangDefaults of(Release r) {
        for (SglangDefaults d : values()) {
            if (d.release.equals(r)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no SGLang defaults for " + r.version());
    }

    /** chunked_prefill_size when not set. */
    int chunkedPrefillSize(long capacityBytes) {
        long mib = capacityBytes / Bytes.MIB;
        return switch (this) {
            case BY_TP_083 -> 8192;
            case BY_TP_081 -> mib < 25_000 ? 2048 : 8192;
            case RESERVED_BY_SIZE -> mib < 35 * 1024 ? 2048 : mib < 160 * 1024 ? 8192 : 16_384;
            case RESERVED_BY_BUFFERS -> mib < 35 * 1024 ? 2048 : mib < 60 * 1024 ? 4096 : mib < 160 * 1024 ? 8192 : 16_384;
        };
    }

    /** cuda_graph_max_bs when not set. */
    int cudaGraphMaxBs(long capacityBytes, int tp) {
        long mib = capacityBytes / Bytes.MIB;
        return switch (this) {
            case BY_TP_083 -> 160;
            case BY_TP_081, RESERVED_BY_SIZE -> mib < 35 * 1024 ? (tp < 4 ? 8 : 80) : 160;
            case RESERVED_BY_BUFFERS -> mib < 20 * 1024 ? 8 : mib < 35 * 1024 ? (tp < 4 ? 24 : 80)
                    : mib < 60 * 1024 ? (tp < 4 ? 32 : 160) : mib < 160 * 1024 ? (tp < 4 ? 256 : 512) : 512;
        };
    }

    /** mem_fraction_static when not set. */
    double memFractionStatic(long capacityBytes, int tp, int pp, boolean dpAttention, int chunkedPrefillSize, int cudaGraphMaxBs) {
        double mib = capacityBytes / (double) Bytes.MIB;
        int parallel = tp * pp;
        return switch (this) {
            case BY_TP_083 -> tp >= 16 ? 0.79 : tp >= 8 ? 0.83 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
            case BY_TP_081 -> tp >= 16 ? 0.79 : tp >= 8 ? 0.81 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
            case RESERVED_BY_SIZE -> {
                double reserved = mib < 35 * 1024 ? (2.8 + parallel / 10.0) * 1024 : mib < 90 * 1024 ? (9.5 + parallel / 2.0) * 1024
                        : mib < 160 * 1024 ? (12 + parallel / 2.0) * 1024 : 32 * 1024;
                reserved += dpAttention ? 4 * 1024 : 0;
                yield round3((mib - reserved) / mib);
            }
            case RESERVED_BY_BUFFERS -> {
                double reserved = 512 + Math.max(chunkedPrefillSize, 2048) * 1.5 + cudaGraphMaxBs * 2.0 + parallel / 8.0 * 1024;
                if (dpAttention) {
                    reserved += cudaGraphMaxBs * tp * 3.0;
                }
                if (mib > 60 * 1024) {
                    reserved = Math.max(reserved, 10 * 1024);
                }
                yield round3((mib - reserved) / mib);
            }
        };
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
