package dev.headroom.core.model;

import dev.headroom.core.base.Checked;
import dev.headroom.core.precision.Precision;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * What one sequence caches on one rank, over a run of layers: full-attention layers keep every token,
 * sliding (or chunked) layers at most their window, recurrent layers a fixed state. The one formula memory
 * and speed both use: {@code bytes(t) = full x t + sum over windows (bytes x min(t, window)) + state}.
 *
 * @param fullBytesPerToken     summed over the layers that keep every token
 * @param windows               distinct window sizes, ascending
 * @param windowBytesPerToken   per window size, summed over its layers
 * @param stateBytesPerSequence recurrent state of one sequence
 * @param allBytesPerToken      every attention layer counted at full length (the "KV bytes per token" figure)
 * @param layers                what each layer caches, in layer order: engines that page layers by kind (vLLM's
 *                              hybrid allocator, llama.cpp's SWA cache) group them from this
 */
public record KvLayout(long fullBytesPerToken, int[] windows, long[] windowBytesPerToken, long stateBytesPerSequence,
                       long allBytesPerToken, List<LayerCache> layers) {

    /**
     * What one layer caches on one rank.
     *
     * @param bytesPerToken keys and values (or a latent) of one token; 0 for recurrent layers
     * @param window        tokens a sliding layer keeps; 0 when every token is kept
     * @param stateBytes    recurrent state of one sequence; 0 for attention
     */
    public record LayerCache(long bytesPerToken, int window, long stateBytes) {
        public boolean isRecurrent() {
            return stateBytes > 0 && bytesPerToken == 0;
        }

        public boolean isSliding() {
            return window > 0 && bytesPerToken > 0;
        }

        public boolean isFull() {
            return window == 0 && bytesPerToken > 0;
        }
    }

    public KvLayout {
        layers = List.copyOf(layers);
    }

    /** A layout without per-layer detail: every layer's bytes in one full-attention layer. */
    public KvLayout(long fullBytesPerToken, int[] windows, long[] windowBytesPerToken, long stateBytesPerSequence,
                    long allBytesPerToken) {
        this(fullBytesPerToken, windows, windowBytesPerToken, stateBytesPerSequence, allBytesPerToken,
                List.of(new LayerCache(allBytesPerToken, 0, stateBytesPerSequence)));
    }

    /** The layers {@code [first, last)} of a model with this cache and state precision, on one of {@code tp} ranks. */
    public static KvLayout of(List<Layer> layers, int first, int last, Precision kv, Precision state, int tp) {
        return of(layers, first, last, kv, state, tp, CacheRule.AS_DEFINED);
    }

    /** The same, with each layer's token cached as {@code rule} says. */
    public static KvLayout of(List<Layer> layers, int first, int last, Precision kv, Precision state, int tp, CacheRule rule) {
        long full = 0;
        long stateBytes = 0;
        long all = 0;
        TreeMap<Integer, Long> byWindow = new TreeMap<>();
        List<LayerCache> caches = new java.util.ArrayList<>(last - first);
        for (Layer l : layers.subList(first, last)) {
            TokenMixer m = l.mixer();
            long perToken = rule.kvBytesPerToken(m, kv, tp);
            long layerState = m.stateBytesPerSequence(state, tp);
            caches.add(new LayerCache(perToken, perToken > 0 ? m.window() : 0, layerState));
            all = Checked.add(all, perToken, "KV bytes per token");
            if (perToken > 0) {
                if (m.window() > 0) {
                    byWindow.merge(m.window(), perToken, Long::sum);
                } else {
                    full += perToken;
                }
            }
            stateBytes = Checked.add(stateBytes, layerState, "recurrent state bytes");
        }
        int[] w = byWindow.keySet().stream().mapToInt(Integer::intValue).toArray();
        long[] wb = byWindow.values().stream().mapToLong(Long::longValue).toArray();
        return new KvLayout(full, w, wb, stateBytes, all, caches);
    }

    /** Exact bytes one sequence of {@code tokens} holds. */
    public long bytes(long tokens) {
        long total = Checked.multiply(fullBytesPerToken, tokens, "KV cache bytes of one sequence");
        for (int i = 0; i < windows.length; i++) {
            total = Checked.add(total, Checked.multiply(windowBytesPerToken[i], Math.min(tokens, windows[i]),
                    "KV cache bytes of one sequence"), "KV cache bytes of one sequence");
        }
        return Checked.add(total, stateBytesPerSequence, "KV cache bytes of one sequence");
    }

    /** The same for an average (fractional) context, as the speed model reads it. */
    public double bytes(double tokens) {
        double total = fullBytesPerToken * tokens;
        for (int i = 0; i < windows.length; i++) {
            total += windowBytesPerToken[i] * Math.min(tokens, windows[i]);
        }
        return total + stateBytesPerSequence;
    }

    /** Whether some layers cache less than every token (sliding windows or recurrent state). */
    public boolean isHybrid() {
        return windows.length > 0 || stateBytesPerSequence > 0;
    }

    /** Bytes per token of the layers that grow with length: what a token-granular pool divides by. */
    public long growingBytesPerToken() {
        long sum = fullBytesPerToken;
        for (long b : windowBytesPerToken) {
            sum += b;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvLayout k && fullBytesPerToken == k.fullBytesPerToken && Arrays.equals(windows, k.windows)
                && Arrays.equals(windowBytesPerToken, k.windowBytesPerToken) && stateBytesPerSequence == k.stateBytesPerSequence
                && allBytesPerToken == k.allBytesPerToken && layers.equals(k.layers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fullBytesPerToken) * 31 + Arrays.hashCode(windows) * 17 + Long.hashCode(stateBytesPerSequence);
    }

    @Override
    public String toString() {
        return "KvLayout[full=" + fullBytesPerToken + " B/token, windows=" + Arrays.toString(windows) + " x "
                + Arrays.toString(windowBytesPerToken) + " B/token, state=" + stateBytesPerSequence + " B/sequence]";
    }
}
