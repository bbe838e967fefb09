package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** Runs a command that must succeed quietly and parses its JSON output. */
    static JsonNode json(String... args) throws Exception {
        Cli r = run(args);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        return new ObjectMapper().readTree(r.out());
    }

    /** A user mistake: exit 2, nothing on stdout, one line on stderr, no stack trace; returns that line. */
    String userMistake() {
        assertEquals(2, exit, "exit code; stderr: " + err);
        assertFalse(err.contains("at dev."), "stack trace on stderr:\n" + err);
        assertFalse(err.contains("Exception"), "exception class on stderr:\n" + err);
        assertEquals("", out.strip(), "nothing on stdout");
        return errorLine();
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
