package dev.headroom.core.engine;

import java.util.List;

/**
 * TensorRT-LLM's defaults and KV rule by release.
 *
 * @param fraction        free_gpu_memory_fraction when not set: 0.85 in the GptSession-era C++ KvCacheConfig
 *                        (docs/source/reference/memory.md@5a211b915ae98e8f12c517570802914b085bbb11: "85% of the remaining
 *                        free GPU memory"), 0.9 in the Executor API's KvCacheConfig
 * @param pytorchBackend  the PyTorch backend is the default (trtllm-serve / LLM API from 1.0): the KV cache is sized
 *                        after profiling dummy requests, from the total (tensorrt_llm/_torch/pyexecutor/_util.py
 *                        KvCacheCreator); otherwise from the memory free after the engine is deserialised
 *                        (cpp/tensorrt_llm/batch_manager/kvCacheManager.cpp calculateMaxNumBlocks)
 * @param maxBatchSize    build default max_batch_size
 * @param maxInputLen     build default max_input_len
 * @param maxSeqLen       build default max_seq_len (max_input_len + max_output_len in the 0.x builders)
 * @param maxNumTokens    build default max_num_tokens; 0: max_batch_size x max_input_len (packed input without a limit)
 */
record TensorRtLlmRelease(Release release, double fraction, boolean pytorchBackend, int maxBatchSize, int maxInputLen,
                          int maxSeqLen, int maxNumTokens) {
    static final List<TensorRtLlmRelease> ALL = List.of(
            // examples/llama/build.py@v0.5.0: max_batch_size 8, max_input_len 2048, max_output_len 512; max_seq_len 2560
            // (triton-inference-server/tensorrtllm_backend#59).
            new TensorRtLlmRelease(new Release("0.5", "github:NVIDIA/TensorRT-LLM examples/llama/build.py@v0.5.0; "
                    + "docs/source/reference/memory.md@5a211b915ae98e8f12c517570802914b085bbb11"), 0.85, false, 8, 2048, 2560, 0),
            // trtllm-build (0.8): max_batch_size 256, max_input_len 1024, max_seq_len 2048; max_num_tokens unset packs
            // max_batch_size x max_input_len; the batch manager's KvCacheConfig still at 0.85.
            new TensorRtLlmRelease(new Release("0.8", "github:NVIDIA/TensorRT-LLM tensorrt_llm/commands/build.py@v0.8.0; "
                    + "batch_manager kvCacheConfig.h (0.85)"), 0.85, false, 256, 1024, 2048, 0),
            // Executor KvCacheConfig kDefaultGpuMemFraction 0.9 (release of the change not verified); max_num_tokens
            // defaults to 8192 in trtllm-build from 0.11 (not verified for 0.9/0.10).
            new TensorRtLlmRelease(new Release("0.9", "github:NVIDIA/TensorRT-LLM cpp/include/tensorrt_llm/executor/executor.h "
                    + "KvCacheConfig (kDefaultGpuMemFraction 0.9)"), 0.9, false, 256, 1024, 2048, 0),
            new TensorRtLlmRelease(new Release("0.11", "github:NVIDIA/TensorRT-LLM tensorrt_llm/commands/build.py (max_num_tokens "
                    + "default 8192)"), 0.9, false, 256, 1024, 2048, 8192),
            // LLM API / trtllm-serve default to the PyTorch backend; BuildConfig max_batch_size 2048, max_num_tokens 8192.
            new TensorRtLlmRelease(new Release("1.0", "github:NVIDIA/TensorRT-LLM tensorrt_llm/_torch/pyexecutor/_util.py "
                    + "KvCacheCreator; tensorrt_llm/llmapi/llm_args.py"), 0.9, true, 2048, 8192, 8192, 8192));

    static List<Release> releases() {
        return ALL.stream().map(TensorRtLlmRelease::release).toList();
    }

    static TensorRtLlmRelease of(Release r) {
        return ALL.stream().filter(t -> t.release.equals(r)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no TensorRT-LLM rules for " + r.version()));
    }
}
