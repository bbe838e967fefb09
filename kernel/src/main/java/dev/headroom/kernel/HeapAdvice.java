package dev.headroom.kernel;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a cell that ran out of heap is told, and a reserve that keeps the kernel able to say it.
 *
 * <p>The kernel holds a small block of memory it lets go of when a cell fails with
 * {@link OutOfMemoryError}, so that reporting the failure (and the next cell) has room even when the
 * cell's data still fills the heap; it takes the block back once there is room again.
 */
final class HeapAdvice {
    static final String XMX_ENV = "HEADROOM_KERNEL_XMX";
    private static final int RESERVE_BYTES = 24 << 20;
    private static volatile byte[] reserve;

    private HeapAdvice() {}

    /** Takes the reserve (again) when it is not held and the heap has room for it. */
    static void holdReserve() {
        if (reserve != null) {
            return;
        }
        Runtime runtime = Runtime.getRuntime();
        long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (free > 4L * RESERVE_BYTES) {
            try {
                reserve = new byte[RESERVE_BYTES];
            } catch (OutOfMemoryError e) {
                reserve = null;
            }
        }
    }

    /** Lets go of the reserve and collects garbage; returns the bytes of heap still in use. */
    static long releaseReserveAndCollect() {
        reserve = null;
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** "-Xmx512m" as the JVM was started, or null when it was not given. */
    static String xmxArgument() {
        String found = null;
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-Xmx")) {
                found = argument;
            }
        }
        return found;
    }

    /**
     * The lines after the exception's headline: how big the heap is, how to raise it, and what the
     * kernel did to get memory back.
     *
     * @param stillUsed bytes in use after the failure and a garbage collection
     * @param cleared   the cell's variables the kernel set to null to give memory back
     */
    static List<String> advice(long stillUsed, List<String> cleared) {
        long max = Runtime.getRuntime().maxMemory();
        String xmx = xmxArgument();
        List<String> lines = new ArrayList<>();
        lines.add("The kernel's heap is " + gib(max) + (xmx == null ? " (the JVM's default: no -Xmx was given)" : " (" + xmx + ")")
                + " and this cell needed more.");
        lines.add("To give the kernel more memory: " + XMX_ENV + "=8g ./headroom setup (or " + XMX_ENV
                + "=8g kernel-setup/install-kernel.sh), then restart the kernel.");
        if (!cleared.isEmpty()) {
            lines.add("To give the memory back, this cell's " + String.join(", ", cleared) + (cleared.size() == 1 ? " was" : " were")
                    + " set to null; " + gib(stillUsed) + " of the heap is in use now.");
        } else if (stillUsed > max * 3 / 4) {
            lines.add(gib(stillUsed) + " of the heap is still in use by the notebook's variables: set the big ones to null"
                    + " (for example `bigList = null;`) or restart the kernel.");
        }
        return lines;
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
