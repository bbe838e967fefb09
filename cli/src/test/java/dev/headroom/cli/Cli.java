package dev.headroom.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Test helper: runs the command line as a user would and keeps what they would see. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(exit, out.toString(), err.toString());
    }

    /** The single line a user mistake prints, without the "headroom: " prefix. */
    String errorLine() {
        String e = err.strip();
        if (e.lines().count() != 1) {
            throw new AssertionError("expected one line on stderr, got:\n" + err);
        }
        return e.startsWith("headroom: ") ? e.substring("headroom: ".length()) : e;
    }
}
