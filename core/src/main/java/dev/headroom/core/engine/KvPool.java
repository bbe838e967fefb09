package dev.headroom.core.engine;

/**
 * What an engine reserves on one GPU: the terms it charges beside the KV cache, the KV budget left (signed: negative
 * when the engine would refuse to start), the pool it allocates in its own units, and how many requests of a given
 * length the pool holds by the engine's own rule.
 *
 * @param charges         weights, activations, non-torch and CUDA-graph memory as the engine accounts them
 * @param budgetBytes     memory the engine allows itself (total x gpu_memory_utilization, free x fraction, the GPU)
 * @param availableBytes  the KV budget before it is cut into blocks, as the engine logs it ("Available KV cache
 *                        memory"); negative when the charges exceed the budget
 * @param kvBytes         the KV pool actually allocated (whole blocks); 0 when the engine would not start
 * @param tokens          the pool's size in tokens as the engine reports it ("GPU KV cache size", "#tokens", kv_size)
 * @param blocks          pages of the pool (tokens for token-granular engines)
 * @param blockSize       tokens per block
 * @param maxModelLen     longest sequence the engine admits
 * @param maxSequences    sequences the engine runs at once, by its own limit (not by KV)
 * @param demand          blocks one request occupies, by the engine's accounting (sliding windows, recurrent state)
 * @param refusal         why the engine would not start, or null when it starts
 */
public record KvPool(Charges charges, long budgetBytes, long availableBytes, long kvBytes, long tokens, long blocks,
                     int blockSize, int maxModelLen, int maxSequences, Demand demand, Refusal refusal) {

    /**
     * Memory an engine holds on the GPU beside its KV cache.
     *
     * @param nonTorchBytes CUDA context, libraries and communication buffers the engine charges (or holds)
     * @param cudaGraphBytes CUDA-graph pools the engine deducts (or that sit in the head-room it leaves)
     * @param statePoolBytes a recurrent-state pool kept apart from the KV pool (SGLang's Mamba pool); 0 when state
     *                       lives in KV blocks or there is none
     */
    public record Charges(long weightsBytes, long activationBytes, long nonTorchBytes, long cudaGraphBytes, long statePoolBytes) {
        public Charges(long weightsBytes, long activationBytes, long nonTorchBytes, long cudaGraphBytes) {
            this(weightsBytes, activationBytes, nonTorchBytes, cudaGraphBytes, 0);
        }

        public long total() {
            long sum = dev.headroom.core.base.Checked.add(weightsBytes, activationBytes, "bytes an engine charges");
            sum = dev.headroom.core.base.Checked.add(sum, nonTorchBytes, "bytes an engine charges");
            sum = dev.headroom.core.base.Checked.add(sum, cudaGraphBytes, "bytes an engine charges");
            return dev.headroom.core.base.Checked.add(sum, statePoolBytes, "bytes an engine charges");
        }
    }

    /** Pool blocks one request of {@code tokens} tokens occupies; more than the pool when it can never fit. */
    @FunctionalInterface
    public interface Demand {
        long blocksFor(long tokens);

        /** Token-granular pools: one slot per token. */
        Demand TOKENS = t -> t;

        /** Pages of {@code blockSize} tokens for every token. */
        static Demand pages(int blockSize) {
            return t -> Math.floorDiv(t + blockSize - 1, blockSize);
        }
    }

    public KvPool {
        if (blockSize <= 0 || blocks < 0 || tokens < 0 || kvBytes < 0) {
            throw new IllegalArgumentException("a KV pool has positive block size and non-negative sizes");
        }
    }

    public long weightsBytes() {
        return charges.weightsBytes();
    }

    public long activationBytes() {
        return charges.activationBytes();
    }

    /** Non-torch memory: CUDA context, libraries, communication buffers. */
    public long overheadBytes() {
        return charges.nonTorchBytes();
    }

    public long cudaGraphBytes() {
        return charges.cudaGraphBytes();
    }

    /** The engine starts: its checks pass. */
    public boolean starts() {
        return refusal == null;
    }

    /** What the GPU lacks for the engine to start; 0 when it starts. */
    public long shortfallBytes() {
        return refusal == null ? 0 : refusal.shortfallBytes();
    }

    /** Memory the engine holds on the GPU: its charges and the pool. */
    public long totalBytes() {
        return dev.headroom.core.base.Checked.add(charges.total(), kvBytes, "bytes an engine holds");
    }

    /**
     * Max concurrency, the one definition everywhere: requests of {@code tokensPerRequest} tokens the pool holds at
     * once by the engine's own accounting (vLLM's "Maximum concurrency for N tokens per request"), fractional, not
     * capped by the engine's limit on running sequences.
     */
    public double concurrency(long tokensPerRequest) {
        if (kvBytes <= 0 || tokensPerRequest <= 0) {
            return 0;
        }
        return (double) blocks / demand.blocksFor(tokensPerRequest);
    }

    /** The engine's log line: max concurrency at its max length. */
    public double maxConcurrency() {
        return concurrency(maxModelLen);
    }

    /** Whole requests of {@code tokensPerRequest} tokens the pool holds at once. */
    public long sequencesOf(long tokensPerRequest) {
        if (kvBytes <= 0 || tokensPerRequest <= 0) {
            return 0;
        }
        return blocks / demand.blocksFor(tokensPerRequest);
    }

    /** The longest request (at most {@code cap} tokens) whose blocks fit the pool: the largest max length this pool admits. */
    public int longestRequest(int cap) {
        if (kvBytes <= 0 || demand.blocksFor(1) > blocks) {
            return 0;
        }
        int lo = 1;
        int hi = cap;
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (demand.blocksFor(mid) <= blocks) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
