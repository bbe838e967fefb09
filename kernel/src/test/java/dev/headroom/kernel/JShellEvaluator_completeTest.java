package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluator_completeTest {
    private static JShellEvaluator shell;

    @BeforeAll
    static void startJShell() {
        shell = JShellEvaluator.create(ClassPaths.ofThisJvm());
        shell.runStartup("import tech.tablesaw.api.*;\nimport dev.headroom.dsl.*;\nimport static dev.headroom.dsl.Sizing.*;\n",
                "completion-startup.jsh", new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stopJShell() {
        shell.close();
    }

    @Test
    void should_complete_a_tablesaw_class_name() {
        // WHEN completing "Tab" after the startup imports
        JShellEvaluator.Completion completion = shell.complete("Tab", 3);
        // THEN Table is offered, replacing the typed prefix
        assertTrue(completion.matches().contains("Table"), completion.matches().toString());
        assertEquals(0, completion.start());
        assertEquals(3, completion.end());
    }

    @Test
    void should_complete_dsl_steps_on_a_scenario() {
        // GIVEN the DSL's static entry points imported, as the notebooks' startup does
        String code = "model(\"llama-3.1-8b\").on(\"h100-sxm\").swe";
        // WHEN completing a step of the fluent chain
        JShellEvaluator.Completion completion = shell.complete(code, code.length());
        // THEN the Scenario's methods are offered
        assertTrue(completion.matches().contains("sweep()"), completion.matches().toString());
    }

    @Test
    void should_complete_dsl_entry_classes() {
        JShellEvaluator.Completion completion = shell.complete("Plo", 3);
        assertTrue(completion.matches().contains("Plots"), completion.matches().toString());
    }

    @Test
    void should_complete_names_after_import_static() {
        String code = "import static tech.tablesaw.api.Ta";
        JShellEvaluator.Completion completion = shell.complete(code, code.length());
        assertTrue(completion.matches().contains("Table"), completion.matches().toString());
        assertEquals(code.length() - 2, completion.start());
    }

    @Test
    void should_complete_in_the_snippet_under_the_cursor() {
        // GIVEN a cell with a statement before the cursor
        String code = "int rows = 3;\nString s = \"x\";\nTable.cre";
        JShellEvaluator.Completion completion = shell.complete(code, code.length());
        assertTrue(completion.matches().contains("create("), completion.matches().toString());
        assertEquals(code.length() - "cre".length(), completion.start());
    }

    @Test
    void should_tell_complete_from_incomplete_code() {
        assertEquals("complete", shell.isComplete("int a = 1;\na + 1"));
        assertEquals("    ", shell.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", shell.isComplete(""));
    }

    @Test
    void should_document_a_method_under_the_cursor() {
        String code = "Math.max(";
        assertTrue(shell.documentation(code, code.length(), false).orElse("").contains("Math.max(int a, int b)"));
    }
}
