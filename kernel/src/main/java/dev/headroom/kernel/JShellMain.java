package dev.headroom.kernel;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jdk.jshell.tool.JavaShellToolBuilder;

/**
 * The JShell of {@code kernel-setup/jshell.sh}: JDK's own jshell tool, in a feedback mode that prints a value whole.
 * JShell's modes cut a value after 1,000 characters (a memory breakdown mid-word); a mode cannot be defined in a
 * startup or load file (the predefined modes do not exist yet there), so a first, silent run of the tool defines it
 * and retains it in an in-memory store that the interactive run then reads. The user's own preferences are neither
 * read nor changed.
 */
public final class JShellMain {
    static final String MODE = "headroom";
    static final String SETUP = String.join("\n",
            "/set mode " + MODE + " normal -command",
            "/set truncation " + MODE + " 1000000",
            "/set truncation " + MODE + " 1000000 varvalue,expression",
            "/set mode -retain " + MODE,
            "/set feedback -retain " + MODE,
            "/exit", "");

    private JShellMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> preferences = new HashMap<>();
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        JavaShellToolBuilder.builder().persistence(preferences)
                .in(new ByteArrayInputStream(SETUP.getBytes(StandardCharsets.UTF_8)), null)
                .out(silent, silent, silent).err(silent).start("--no-startup", "-q");
        preferences.keySet().removeIf(key -> key.startsWith("HISTORY_LINE_")); // the set-up is not the user's history
        JavaShellToolBuilder.builder().persistence(preferences).start(args);
    }
}
