package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Formats an exception thrown by cell code as a short, readable traceback.
 *
 * <ul>
 *   <li>A user mistake ({@code InvalidInputException} anywhere in the cause chain, matched by simple
 *       name so it survives package moves; or a refused {@code System.exit}) is one line: its message
 *       and the cell line.</li>
 *   <li>Anything else: the exception and its message, the first frame (where it was thrown), then the
 *       cell's own frames (cell and line instead of JShell's generated names) with the count of
 *       internal frames between them; then its causes the same way. Frames below the outermost cell
 *       frame (JShell and the kernel) are left out.</li>
 *   <li>More than {@value #MAX_FRAME_LINES} frame lines (a stack overflow) keep the first and last
 *       {@value #KEEP_AT_ENDS} with the count of frames left out.</li>
 * </ul>
 *
 * {@link #full} gives every frame, for the {@code %trace} magic.
 */
final class StackTraces {
    static final String USER_ERROR = "InvalidInputException";
    private static final String SNIPPET_CLASS_PREFIX = "REPL.";
    static final int MAX_FRAME_LINES = 12;
    static final int KEEP_AT_ENDS = 5;
    private static final int MAX_CAUSES = 5;
    /** HotSpot keeps at most this many frames of a stack by default (-XX:MaxJavaStackTraceDepth). */
    private static final int JVM_FRAME_LIMIT = 1024;

    private final SnippetOrigins origins;
    private final Function<String, String> cellOfClass;

    StackTraces(SnippetOrigins origins) {
        this(origins, className -> null);
    }

    /** @param cellOfClass the cell label that defined a snippet class, or null (for frames JShell did not translate) */
    StackTraces(SnippetOrigins origins, Function<String, String> cellOfClass) {
        this.origins = origins;
        this.cellOfClass = cellOfClass;
    }

    List<String> format(Throwable thrown) {
        return format(thrown, new StackTraceElement[0], null);
    }

    /** A frame line: its text and how many frames it stands for. */
    private record FrameLine(String text, int frames) {}

    /**
     * @param translatedTop JShell's copy of {@code thrown}'s frames ({@code EvalException.getStackTrace()}):
     *                      the same frames up to the outermost snippet frame, with snippet frames
     *                      renamed to file {@code #<snippet id>} and snippet-relative line numbers
     * @param runningAt     where in the cell the failing snippet starts ("line 3"), for exceptions whose
     *                      stack has no cell frame (thrown on another thread); null if unknown
     */
    List<String> format(Throwable thrown, StackTraceElement[] translatedTop, String runningAt) {
        Optional<Throwable> mistake = userMistake(thrown);
        if (mistake.isPresent()) {
            String where = innermostCellFrame(thrown.getStackTrace(), translatedTop, runningAt).orElse(runningAt);
            return List.of(oneLine(mistake.get()) + (where == null ? "" : " (" + where + ")"));
        }
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = thrown;
        int causes = 0;
        while (current != null && seen.add(current) && causes <= MAX_CAUSES) {
            String header = headline(current);
            lines.add(current == thrown ? header : "Caused by: " + header);
            StackTraceElement[] stack = current.getStackTrace();
            List<FrameLine> frames = frames(stack, current == thrown ? translatedTop : new StackTraceElement[0],
                    current == thrown ? runningAt : null);
            for (FrameLine line : compress(frames)) {
                lines.add(line.text());
            }
            if (stack.length >= JVM_FRAME_LIMIT) {
                lines.add("    (the JVM keeps only the innermost " + stack.length + " frames of a stack)");
            }
            current = current.getCause();
            causes++;
        }
        return lines;
    }

    /** Every frame of {@code thrown} and its causes down to the cell's code, snippet frames named by cell and line. */
    List<String> full(Throwable thrown, StackTraceElement[] translatedTop) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = thrown;
        while (current != null && seen.add(current)) {
            lines.add((current == thrown ? "" : "Caused by: ") + headline(current));
            StackTraceElement[] stack = current.getStackTrace();
            int outermostSnippet = -1;
            for (int i = 0; i < stack.length; i++) {
                if (isSnippetFrame(stack[i])) {
                    outermostSnippet = i;
                }
            }
            int end = outermostSnippet < 0 ? stack.length : outermostSnippet + 1;
            for (int i = 0; i < end; i++) {
                StackTraceElement frame = current == thrown && i < translatedTop.length ? translatedTop[i] : stack[i];
                lines.add("    at " + (isSnippetFrame(frame) ? describeSnippetFrame(frame, true) : frame.toString()));
            }
            if (end < stack.length) {
                lines.add("    ... " + (stack.length - end) + " frames of JShell and the kernel");
            }
            for (Throwable suppressed : current.getSuppressed()) {
                lines.add("    Suppressed: " + headline(suppressed));
            }
            current = current.getCause();
        }
        return lines;
    }

    static String headline(Throwable thrown) {
        String message = thrown.getMessage();
        return thrown.getClass().getName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }

    /** The user mistake in the cause chain (InvalidInputException by simple name, or a refused exit), if any. */
    static Optional<Throwable> userMistake(Throwable thrown) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            if (t.getClass().getSimpleName().equals(USER_ERROR) || t instanceof CellGuard.ExitRefusedException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static String oneLine(Throwable mistake) {
        String message = mistake.getMessage() == null ? "" : mistake.getMessage().replace('\n', ' ');
        String name = mistake instanceof CellGuard.ExitRefusedException ? "ExitRefused" : mistake.getClass().getSimpleName();
        return name + ": " + message;
    }

    /** The cell line of the innermost cell frame; frames JShell did not translate (another thread's) give {@code runningAt}. */
    private Optional<String> innermostCellFrame(StackTraceElement[] stack, StackTraceElement[] translated, String runningAt) {
        for (int i = 0; i < stack.length; i++) {
            if (isSnippetFrame(stack[i])) {
                StackTraceElement frame = i < translated.length ? translated[i] : stack[i];
                boolean hasLine = frame.getFileName() != null && frame.getFileName().startsWith("#");
                return Optional.ofNullable(hasLine || runningAt == null ? where(frame) : runningAt);
            }
        }
        return Optional.empty();
    }

    private List<FrameLine> frames(StackTraceElement[] stack, StackTraceElement[] translated, String runningAt) {
        int outermostSnippet = -1;
        for (int i = 0; i < stack.length; i++) {
            if (isSnippetFrame(stack[i])) {
                outermostSnippet = i;
            }
        }
        List<FrameLine> lines = new ArrayList<>();
        if (outermostSnippet < 0) {
            // Thrown where no cell code is on the stack (another thread): where it was thrown, then the cell line.
            if (stack.length > 0) {
                lines.add(new FrameLine("    at " + stack[0], 1));
            }
            if (stack.length > 1) {
                lines.add(new FrameLine("    ... " + (stack.length - 1) + " internal frames", stack.length - 1));
            }
            if (runningAt != null) {
                lines.add(new FrameLine("    at " + runningAt, 0));
            }
            return lines;
        }
        int internal = 0;
        for (int i = 0; i <= outermostSnippet; i++) {
            StackTraceElement frame = stack[i];
            if (isSnippetFrame(frame)) {
                if (internal > 0) {
                    lines.add(new FrameLine("    ... " + internal + (internal == 1 ? " internal frame" : " internal frames"), internal));
                    internal = 0;
                }
                lines.add(new FrameLine("    at " + describeSnippetFrame(i < translated.length ? translated[i] : frame), 1));
            } else if (i == 0) {
                lines.add(new FrameLine("    at " + frame, 1));
            } else {
                internal++;
            }
        }
        return lines;
    }

    /** The first and last {@value #KEEP_AT_ENDS} lines of a long list, with the count of frames between. */
    private static List<FrameLine> compress(List<FrameLine> lines) {
        if (lines.size() <= MAX_FRAME_LINES) {
            return lines;
        }
        List<FrameLine> kept = new ArrayList<>(lines.subList(0, KEEP_AT_ENDS));
        int omitted = 0;
        for (FrameLine line : lines.subList(KEEP_AT_ENDS, lines.size() - KEEP_AT_ENDS)) {
            omitted += line.frames();
        }
        kept.add(new FrameLine(String.format("    ... %,d frames omitted ...", omitted), omitted));
        kept.addAll(lines.subList(lines.size() - KEEP_AT_ENDS, lines.size()));
        return kept;
    }

    static boolean isSnippetFrame(StackTraceElement frame) {
        return frame.getClassName().startsWith(SNIPPET_CLASS_PREFIX) || (frame.getClassName().isEmpty()
                && frame.getFileName() != null && frame.getFileName().startsWith("#"));
    }

    private String where(StackTraceElement frame) {
        return where(frame, false);
    }

    private String where(StackTraceElement frame, boolean qualified) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            return origins.describe(file.substring(1), frame.getLineNumber(), qualified);
        }
        String cell = cellOfClass.apply(frame.getClassName());
        return cell == null ? "cell code" : cell;
    }

    private String describeSnippetFrame(StackTraceElement frame) {
        return describeSnippetFrame(frame, false);
    }

    /** @param qualified name the cell even when it is the current one (a trace read in a later cell) */
    private String describeSnippetFrame(StackTraceElement frame, boolean qualified) {
        String where = where(frame, qualified);
        String method = frame.getMethodName();
        if (method.isEmpty() || method.equals("do_it$") || method.startsWith("$") || method.startsWith("lambda$do_it$")) {
            return where;
        }
        return method + " (" + where + ")";
    }
}
