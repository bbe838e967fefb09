package dev.headroom.kernel.testing;

/**
 * Stands in for the core's user-mistake exception: the kernel recognises it by its simple name, in
 * whatever package it lives (the core's packages are being reshaped), so its tests need not import it.
 */
public final class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) {
        super(message);
    }

    /** Throws from a few frames deep, as a DSL call would. */
    public static void check(String gpu) {
        Validation.gpu(gpu);
    }

    /** Checks every batch size on the common pool, as the DSL's sweeps do: the exception may come from another thread. */
    public static void checkAll(java.util.List<Integer> batches) {
        batches.parallelStream().forEach(Validation::batch);
    }

    private static final class Validation {
        static void batch(int batch) {
            if (batch > 512) {
                throw new InvalidInputException("batch " + batch + " is too large");
            }
        }

        static void gpu(String gpu) {
            if (!gpu.equals("h100-sxm")) {
                throw new InvalidInputException("unknown GPU '" + gpu + "' — known: h100-sxm");
            }
        }
    }
}
