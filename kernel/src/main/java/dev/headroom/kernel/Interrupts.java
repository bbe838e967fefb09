package dev.headroom.kernel;

import sun.misc.Signal;

/** Turns SIGINT (Jupyter's "signal" interrupt mode, or Ctrl-C) into a cell interrupt instead of a JVM exit. */
final class Interrupts {
    private Interrupts() {}

    static void forwardSigint(Runnable interrupt) {
        try {
            Signal.handle(new Signal("INT"), signal -> interrupt.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform: interrupt_request messages still work.
        }
    }
}
