package dev.headroom.core.training;

import java.util.List;

/**
 * The optimizer and what its states cost per trainable tensor.
 * <ul>
 *   <li>AdamW: two states (first and second moment) per parameter, in the framework's state dtype
 *       (fp32: 8 bytes per parameter).</li>
 *   <li>8-bit AdamW (bitsandbytes, block-wise): two uint8 states plus one fp32 absmax per block of 2048 values
 *       for each state; tensors under 4096 values keep fp32 states
 *       (bitsandbytes/optim/optimizer.py, Optimizer2State.init_state,
 *       github:bitsandbytes-foundation/bitsandbytes@06029dd6).</li>
 *   <li>Paged variants (bitsandbytes PagedAdamW, PagedAdamW8bit): the same states in CUDA unified memory, which the
 *       driver pages out to host memory when the GPU runs short (is_paged); bitsandbytes' 32-bit optimizers keep fp32
 *       states (optim_bits=32) whatever the parameters' dtype.</li>
 *   <li>SGD with momentum: one state per parameter.</li>
 *   <li>Adafactor (Shazeer and Stern, arXiv 1804.04235) without first moment: the second moment of a matrix is
 *       factored into one value per row and one per column; vectors keep one value per element.</li>
 * </ul>
 */
public enum Optimizer {
    ADAMW("adamw", false, false), ADAMW_8BIT("adamw-8bit", true, false), PAGED_ADAMW("paged-adamw", false, true),
    PAGED_ADAMW_8BIT("paged-adamw-8bit", true, true), SGD("sgd", false, false), ADAFACTOR("adafactor", false, false);

    /** bitsandbytes' block size for block-wise 8-bit optimizer states. */
    static final int BLOCK = 2048;
    /** bitsandbytes' min_8bit_size: smaller tensors keep 32-bit states. */
    static final int MIN_8BIT_SIZE = 4096;

    private final String key;
    private final boolean eightBit;
    private final boolean paged;

    Optimizer(String key, boolean eightBit, boolean paged) {
        this.key = key;
        this.eightBit = eightBit;
        this.paged = paged;
    }

    public String key() {
        return key;
    }

    public boolean paged() {
        return paged;
    }

    public boolean eightBit() {
        return eightBit;
    }

    /**
     * State bytes of one trainable tensor of {@code rows x cols} values ({@code cols == 1} for a vector), with
     * 16- or 32-bit states of {@code stateBytes} each.
     */
    public long stateBytes(long rows, long cols, int stateBytes) {
        long n = rows * cols;
        return switch (this) {
            case ADAMW -> 2 * n * stateBytes;
            case PAGED_ADAMW -> 2 * n * 4; // bitsandbytes' 32-bit optimizers keep fp32 states whatever the parameters' dtype
            case ADAMW_8BIT, PAGED_ADAMW_8BIT -> n < MIN_8BIT_SIZE ? 2 * n * 4 : 2 * (n + 4 * Math.floorDiv(n + BLOCK - 1, BLOCK));
            case SGD -> n * stateBytes;
            case ADAFACTOR -> (cols > 1 && rows > 1 ? rows + cols : n) * stateBytes;
        };
    }

    public static Optimizer parse(String text, String field) {
        return Keys.parse(values(), Optimizer::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Optimizer::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
