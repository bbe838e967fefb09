package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How failing cells read: exits refused, user mistakes in one line, long stacks cut, heap advice. */
class JShellEvaluator_failureTest {
    private static JShellEvaluator shell;

    @BeforeAll
    static void startJShell() {
        shell = JShellEvaluator.create(ClassPaths.ofThisJvm());
    }

    @AfterAll
    static void stopJShell() {
        shell.close();
    }

    private static Object valueOf(CellOutcome outcome) {
        return assertInstanceOf(CellOutcome.Value.class, outcome, () -> "expected a value, got " + outcome).value();
    }

    private static CellFailure failureOf(CellOutcome outcome) {
        return assertInstanceOf(CellOutcome.Failed.class, outcome, () -> "expected a failure, got " + outcome).failure();
    }

    @Test
    void should_refuse_system_exit_runtime_exit_and_halt_and_keep_running() {
        for (String exit : List.of("System.exit(3);", "Runtime.getRuntime().exit(4);", "Runtime.getRuntime().halt(5);",
                "java.util.function.IntConsumer quit = System::exit;\nquit.accept(6);",
                "Runtime rt = Runtime.getRuntime();\njava.util.function.IntConsumer stop = rt::halt;\nstop.accept(7);")) {
            // WHEN a cell tries to end the JVM (the JVM running this test)
            CellFailure failure = failureOf(shell.eval("int before = 1;\n" + exit, "In [1]"));
            // THEN it fails with one clear line that names the call and the cell line
            assertEquals("ExitRefused", failure.ename(), exit);
            assertEquals(1, failure.traceback().size(), failure.traceback().toString());
            String line = failure.traceback().get(0);
            assertTrue(line.startsWith("ExitRefused: "), line);
            assertTrue(line.contains("was refused: it would end the kernel"), line);
            assertTrue(line.endsWith("(line " + (exit.lines().count() + 1) + ")"), line);
        }
        // AND the JVM is alive and the next cell answers
        assertEquals(42, valueOf(shell.eval("40 + 2", "In [2]")));
    }

    @Test
    void should_show_a_user_mistake_as_its_message_and_cell_line_only() {
        // GIVEN an InvalidInputException thrown a few frames deep inside a library
        CellFailure failure = failureOf(shell.eval("int batch = 8;\ndev.headroom.kernel.testing.InvalidInputException.check(\"h100\");",
                "In [3]"));
        // THEN one line: the message and the user's line, none of the library's frames
        assertEquals("InvalidInputException", failure.ename());
        assertEquals("unknown GPU 'h100' — known: h100-sxm", failure.evalue());
        assertEquals(List.of("InvalidInputException: unknown GPU 'h100' — known: h100-sxm (line 2)"), failure.traceback());
        // AND the full trace keeps every frame, for %trace
        assertTrue(failure.fullTrace().stream().anyMatch(l -> l.contains("InvalidInputException$Validation.gpu")), failure.fullTrace().toString());
        assertTrue(failure.fullTrace().stream().anyMatch(l -> l.equals("    at In [3] line 2")), failure.fullTrace().toString());
        assertTrue(failure.fullTrace().stream().noneMatch(l -> l.contains("dev.headroom.kernel.InProcessExecutionControl")),
                failure.fullTrace().toString());
    }

    @Test
    void should_find_a_user_mistake_anywhere_in_the_cause_chain() {
        CellFailure failure = failureOf(shell.eval("try {\n    dev.headroom.kernel.testing.InvalidInputException.check(\"l4x\");\n"
                + "} catch (RuntimeException e) {\n    throw new IllegalStateException(\"wrapped\", e);\n}", "In [4]"));
        assertEquals("InvalidInputException", failure.ename());
        assertEquals(List.of("InvalidInputException: unknown GPU 'l4x' — known: h100-sxm (line 4)"), failure.traceback());
    }

    @Test
    void should_show_the_throw_site_then_only_the_cells_frames_for_other_exceptions() {
        // GIVEN a method of an earlier cell that calls into the JDK, which throws
        shell.eval("int parse(String s) {\n    return Integer.parseInt(s.trim());\n}", "In [5]");
        CellFailure failure = failureOf(shell.eval("int ok = 1;\nparse(\" forty \")", "In [6]"));
        // THEN the throw site, the count of internal frames, and the cell frames
        assertEquals("NumberFormatException", failure.ename());
        List<String> lines = failure.traceback();
        assertEquals("java.lang.NumberFormatException: For input string: \"forty\"", lines.get(0));
        assertTrue(lines.get(1).startsWith("    at java.base/java.lang.NumberFormatException.forInputString("), lines.toString());
        assertTrue(lines.get(2).matches("    \\.\\.\\. \\d+ internal frames?"), lines.toString());
        assertEquals(List.of("    at parse (In [5] line 2)", "    at line 2"), lines.subList(3, lines.size()));
    }

    @Test
    void should_show_the_first_and_last_frames_of_a_stack_overflow_with_the_count_left_out() {
        // GIVEN endless recursion
        shell.eval("int depth(int n) {\n    return depth(n + 1) + 1;\n}", "In [7]");
        CellFailure failure = failureOf(shell.eval("depth(0)", "In [8]"));
        // THEN a dozen lines, not a thousand: 5 frames, how many were left out, 5 frames
        assertEquals("StackOverflowError", failure.ename());
        List<String> lines = failure.traceback();
        assertTrue(lines.size() <= StackTraces.KEEP_AT_ENDS * 2 + 3, lines.size() + " lines: " + lines);
        assertEquals("java.lang.StackOverflowError", lines.get(0));
        for (String frame : lines.subList(1, 1 + StackTraces.KEEP_AT_ENDS)) {
            assertEquals("    at depth (In [7] line 2)", frame);
        }
        String omitted = lines.get(1 + StackTraces.KEEP_AT_ENDS);
        assertTrue(omitted.matches("    \\.\\.\\. [\\d,]+ frames omitted \\.\\.\\."), omitted);
        int left = Integer.parseInt(omitted.replaceAll("[^0-9]", ""));
        assertTrue(left > 900, omitted);
        assertTrue(lines.get(lines.size() - 1).startsWith("    (the JVM keeps only the innermost "), lines.toString());
        // AND the kernel goes on
        assertEquals(7, valueOf(shell.eval("3 + 4", "In [9]")));
    }

    @Test
    void should_name_the_heap_size_and_how_to_raise_it_when_a_cell_runs_out_of_heap() {
        // WHEN a cell asks for more heap than there is
        CellFailure failure = failureOf(shell.eval("long[] huge = new long[Integer.MAX_VALUE - 8];", "In [10]"));
        // THEN the failure says how big the heap is (-Xmx when given) and how to raise it
        assertEquals("OutOfMemoryError", failure.ename());
        List<String> lines = failure.traceback();
        assertTrue(lines.get(0).startsWith("java.lang.OutOfMemoryError"), lines.toString());
        assertTrue(lines.get(1).startsWith("The kernel's heap is "), lines.toString());
        String xmx = HeapAdvice.xmxArgument();
        assertTrue(xmx == null ? lines.get(1).contains("no -Xmx was given") : lines.get(1).contains("(" + xmx + ")"), lines.get(1));
        assertTrue(lines.get(2).contains("HEADROOM_KERNEL_XMX=8g"), lines.toString());
        // AND the next cell answers
        assertEquals("ok", valueOf(shell.eval("\"ok\"", "In [11]")));
    }

    @Test
    void should_show_where_in_the_cell_an_exception_thrown_on_another_thread_came_from() {
        // A library's parallel stream may rethrow a worker's exception, whose stack has no cell frame.
        for (int run = 0; run < 5; run++) {
            CellFailure failure = failureOf(shell.eval("int a = 0;\n\ndev.headroom.kernel.testing.InvalidInputException"
                    + ".checkAll(java.util.stream.IntStream.rangeClosed(1, 2000).boxed().toList());", "In [12]"));
            assertTrue(failure.traceback().size() == 1 && failure.traceback().get(0).matches(
                    "InvalidInputException: batch \\d+ is too large \\(line 3\\)"), failure.traceback().toString());
        }
    }
}
