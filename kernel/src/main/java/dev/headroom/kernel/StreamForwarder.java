package dev.headroom.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Collects what cell code prints and hands it to a target stream in batches ({@link #forward()}),
 * never splitting a UTF-8 character. The kernel forwards every few milliseconds while a cell runs,
 * so output appears during execution without one Jupyter message per print call.
 */
final class StreamForwarder extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    StreamForwarder(PrintStream target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        forward();
    }

    /** Sends everything collected so far (up to the last complete UTF-8 character) to the target. */
    synchronized void forward() {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        int complete = completeUtf8Length(bytes);
        if (complete == 0) {
            return;
        }
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        target.write(bytes, 0, complete);
        target.flush();
    }

    /** Length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeUtf8Length(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
