package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Formats an exception thrown by cell code as a short, readable traceback: the exception and its
 * message, then the frames down to the outermost snippet frame (cell and line instead of JShell's
 * generated class names), then its causes. Frames of the kernel and of reflection are left out.
 */
final class StackTraces {
    private static final String SNIPPET_CLASS_PREFIX = "REPL.";
    private static final int MAX_LIBRARY_FRAMES = 8;
    private static final int MAX_CAUSE_FRAMES = 5;
    private static final int MAX_CAUSES = 5;

    private final SnippetOrigins origins;

    StackTraces(SnippetOrigins origins) {
        this.origins = origins;
    }

    List<String> format(Throwable thrown) {
        return format(thrown, new StackTraceElement[0]);
    }

    /**
     * @param translatedTop JShell's copy of {@code thrown}'s frames ({@code EvalException.getStackTrace()}):
     *                      the same frames up to the outermost snippet frame, with snippet frames
     *                      renamed to file {@code #<snippet id>} and snippet-relative line numbers
     */
    List<String> format(Throwable thrown, StackTraceElement[] translatedTop) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = thrown;
        int causes = 0;
        while (current != null && seen.add(current) && causes <= MAX_CAUSES) {
            String header = headline(current);
            lines.add(current == thrown ? header : "Caused by: " + header);
            lines.addAll(current == thrown
                    ? frames(current.getStackTrace(), translatedTop, MAX_LIBRARY_FRAMES)
                    : frames(current.getStackTrace(), new StackTraceElement[0], MAX_CAUSE_FRAMES));
            current = current.getCause();
            causes++;
        }
        return lines;
    }

    static String headline(Throwable thrown) {
        String message = thrown.getMessage();
        return thrown.getClass().getName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }

    private List<String> frames(StackTraceElement[] stack, StackTraceElement[] translated, int maxLibraryFrames) {
        int outermostSnippet = -1;
        for (int i = 0; i < stack.length; i++) {
            if (isSnippetFrame(stack[i])) {
                outermostSnippet = i;
            }
        }
        int end = outermostSnippet >= 0 ? outermostSnippet + 1 : Math.min(stack.length, maxLibraryFrames);
        List<String> lines = new ArrayList<>();
        int libraryRun = 0;
        int skipped = 0;
        for (int i = 0; i < end; i++) {
            StackTraceElement frame = stack[i];
            if (isSnippetFrame(frame)) {
                if (skipped > 0) {
                    lines.add("    ... " + skipped + " more");
                    skipped = 0;
                }
                libraryRun = 0;
                lines.add("    at " + describeSnippetFrame(i < translated.length ? translated[i] : frame));
            } else if (libraryRun++ < maxLibraryFrames) {
                lines.add("    at " + frame);
            } else {
                skipped++;
            }
        }
        if (skipped > 0) {
            lines.add("    ... " + skipped + " more");
        }
        return lines;
    }

    private static boolean isSnippetFrame(StackTraceElement frame) {
        return frame.getClassName().startsWith(SNIPPET_CLASS_PREFIX) || (frame.getClassName().isEmpty()
                && frame.getFileName() != null && frame.getFileName().startsWith("#"));
    }

    private String describeSnippetFrame(StackTraceElement frame) {
        String file = frame.getFileName();
        String where = file != null && file.startsWith("#")
                ? origins.describe(file.substring(1), frame.getLineNumber())
                : "cell code";
        String method = frame.getMethodName();
        if (method.isEmpty() || method.equals("do_it$") || method.startsWith("$")) {
            return where;
        }
        return method + " (" + where + ")";
    }
}
