package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parameter counts of a T5 encoder-decoder from its config (training-models.json), as DeepSpeed's
 * {@code model_to_params} counts a live {@code AutoModel} (T5Model): the shared embedding once, per encoder block
 * self-attention q/k/v/o and a two-matrix feed-forward with two norms, per decoder block self- and cross-attention
 * and three norms, relative position biases in each stack's first block, a final norm per stack. The largest layer
 * is the module with the most direct parameters (the shared embedding). Headroom's catalog holds decoder-only
 * models, so these counts feed DeepSpeed's estimator only.
 */
record EncoderDecoderCounts(long totalParams, long largestLayerParams) {

    static EncoderDecoderCounts read(Path json, String model) {
        Json root;
        try {
            root = Json.parse(Files.readString(json), json.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + json + ": " + e.getMessage());
        }
        if (!root.has(model)) {
            throw new InvalidInputException(model + " is not in " + json.getFileName());
        }
        Json c = root.child(model);
        long d = c.longValue("d_model");
        long ff = c.longValue("d_ff");
        long inner = c.longValue("num_heads") * c.longValue("d_kv");
        long layers = c.longValue("num_layers");
        long bias = c.longValue("relative_attention_num_buckets") * c.longValue("num_heads");
        long shared = c.longValue("vocab_size") * d;
        long attention = 4 * d * inner;
        long feedForward = 2 * d * ff;
        long encoder = layers * (attention + feedForward + 2 * d) + bias + d;
        long decoder = layers * (2 * attention + feedForward + 3 * d) + bias + d;
        long largest = Math.max(shared, Math.max(d * ff, d * inner));
        return new EncoderDecoderCounts(shared + encoder + decoder, largest);
    }
}
