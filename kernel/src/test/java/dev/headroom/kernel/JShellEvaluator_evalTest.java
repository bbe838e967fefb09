package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluator_evalTest {
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
    void should_return_the_real_object_of_the_last_expression() {
        // GIVEN a cell with declarations, a statement and a final expression
        String cell = "import java.util.*;\nint a = 6;\nint b = 7;\nList<Integer> list = new ArrayList<>();\nlist.add(a * b);\nlist";
        // WHEN it runs
        Object value = valueOf(shell.eval(cell, "In [1]"));
        // THEN the value is the list object itself, not its string form
        assertEquals(List.of(42), value);
    }

    @Test
    void should_return_no_value_when_the_cell_ends_with_a_declaration_or_statement() {
        assertInstanceOf(CellOutcome.NoValue.class, shell.eval("int declaredOnly = 3;", "In [1]"));
        assertInstanceOf(CellOutcome.NoValue.class, shell.eval("System.out.print(\"\");", "In [2]"));
    }

    @Test
    void should_send_what_the_cell_prints_to_system_out() {
        // GIVEN System.out collected by the test
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // WHEN a cell prints twice and ends with an expression
            Object value = valueOf(shell.eval("System.out.println(\"hello\");\nSystem.out.println(\"wörld\");\n1 + 1", "In [1]"));
            // THEN the prints reached System.out and the value is still returned
            assertEquals(2, value);
        } finally {
            System.setOut(original);
        }
        assertEquals("hello\nwörld\n", captured.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void should_report_a_compile_error_with_cell_line_column_and_message() {
        // WHEN the second line does not compile
        CellFailure failure = failureOf(shell.eval("int fine = 1;\nint broken = missingName + 1;", "In [4]"));
        // THEN the error names the line, the column and javac's message, and points at the spot
        assertEquals("CompilationError", failure.ename());
        assertEquals("line 2, column 14: cannot find symbol (symbol: variable missingName)", failure.evalue());
        assertEquals("CompilationError: line 2, column 14: cannot find symbol", failure.traceback().get(0));
        assertEquals("    int broken = missingName + 1;", failure.traceback().get(1));
        assertEquals("                 ^", failure.traceback().get(2));
    }

    @Test
    void should_report_an_exception_with_its_class_message_and_cell_frames_then_run_the_next_cell() {
        // GIVEN a method defined in an earlier cell that throws
        shell.eval("int answer = 41;\nvoid check(int k) {\n    if (k > 0) {\n        throw new IllegalStateException(\"bad k \" + k);\n    }\n}", "In [5]");
        // WHEN a later cell calls it
        CellFailure failure = failureOf(shell.eval("int unused = 0;\ncheck(7);", "In [6]"));
        // THEN the error carries the exception class and message, and frames name cells and lines
        assertEquals("IllegalStateException", failure.ename());
        assertEquals("bad k 7", failure.evalue());
        assertInstanceOf(IllegalStateException.class, failure.thrown());
        assertEquals(List.of("java.lang.IllegalStateException: bad k 7", "    at check (In [5] line 4)", "    at line 2"),
                failure.traceback());
        // AND the kernel keeps working
        assertEquals(42, valueOf(shell.eval("answer + 1", "In [7]")));
    }

    @Test
    void should_keep_library_frames_above_the_cell_and_drop_kernel_frames() {
        CellFailure failure = failureOf(shell.eval("Integer.parseInt(\"forty\")", "In [8]"));
        assertEquals("NumberFormatException", failure.ename());
        assertTrue(failure.traceback().get(1).startsWith("    at java.base/java.lang.NumberFormatException.forInputString"), failure.traceback().toString());
        assertEquals("    at line 1", failure.traceback().get(failure.traceback().size() - 1));
        assertTrue(failure.traceback().stream().noneMatch(line -> line.contains("dev.headroom.kernel")), failure.traceback().toString());
    }

    @Test
    void should_report_a_declaration_whose_dependency_is_never_defined() {
        CellFailure failure = failureOf(shell.eval("void usesMissing() { neverDefined(); }", "In [9]"));
        assertEquals("UnresolvedReference", failure.ename());
        assertTrue(failure.evalue().contains("method usesMissing needs method neverDefined()"), failure.evalue());
    }

    @Test
    void should_accept_forward_references_resolved_later_in_the_same_cell() {
        Object value = valueOf(shell.eval("int first() { return second() + 1; }\nint second() { return 1; }\nfirst()", "In [10]"));
        assertEquals(2, value);
    }

    @Test
    void should_report_a_cell_that_ends_in_the_middle_of_a_statement() {
        CellFailure failure = failureOf(shell.eval("int fine2 = 1;\nint x = (1 +", "In [11]"));
        assertEquals("IncompleteInput", failure.ename());
        assertTrue(failure.evalue().contains("line 2"), failure.evalue());
    }

    @Test
    void should_stop_an_infinite_loop_when_interrupted_and_run_the_next_cell() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            // GIVEN a cell that never ends
            CompletableFuture<CellOutcome> running = CompletableFuture.supplyAsync(() -> shell.eval("long spins = 0;\nwhile (true) { spins++; }", "In [12]"));
            Thread.sleep(700);
            // WHEN it is interrupted
            shell.interrupt();
            // THEN it fails as interrupted
            assertEquals("Interrupted", failureOf(running.get()).ename());
            // AND the next cell runs
            assertEquals(3, valueOf(shell.eval("1 + 2", "In [13]")));
        });
    }

    @Test
    void should_report_failing_startup_snippets_on_stderr_and_run_the_rest() {
        // GIVEN a startup script whose middle import does not exist
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String script = "import java.time.*;\nimport no.such.Thing;\nint startupAnswer = 42;\n";
        // WHEN it runs
        List<CellFailure> failures = shell.runStartup(script, "test-startup.jsh", new PrintStream(err, true, StandardCharsets.UTF_8));
        // THEN the failure is reported on stderr, naming the script and the line
        assertEquals(1, failures.size());
        String reported = err.toString(StandardCharsets.UTF_8);
        assertTrue(reported.contains("test-startup.jsh"), reported);
        assertTrue(reported.contains("line 2"), reported);
        assertTrue(reported.contains("package no.such does not exist"), reported);
        // AND the snippets before and after it took effect
        assertEquals(42, valueOf(shell.eval("startupAnswer", "In [14]")));
        assertEquals(java.time.Duration.ofSeconds(1), valueOf(shell.eval("Duration.ofSeconds(1)", "In [15]")));
    }
}
