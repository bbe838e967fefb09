package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * STYLE.md section 4 as a table: every bad command line and bad file in {@code bad-inputs/cli.csv} and
 * {@code bad-inputs/files.csv} exits 2 with one line on stderr naming the option or field and the value given,
 * with no stack trace, and no NaN, infinity or negative number the user did not type. One line adds a case.
 */
class Main_badInputsTest {
    @TempDir
    static Path made;

    @BeforeAll
    static void writeGeneratedFiles() {
        BadFiles.make(made);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = {"/bad-inputs/cli.csv", "/bad-inputs/files.csv"}, delimiter = '|', quoteCharacter = '`')
    void should_exit_2_with_one_line_naming_the_option_and_the_value(String commandLine, String names, String value) {
        String[] args = BadFiles.args(commandLine, made);

        Cli r = Cli.run(args);

        String line = r.userMistake(); // exit 2, nothing on stdout, one line on stderr, no stack trace
        assertTrue(line.contains(names), "names '" + names + "': " + line);
        assertTrue(line.contains(value), "names the value '" + value + "': " + line);
        assertFalse(r.err().contains("headroom headroom"), r.err());
        Honest.assertNoLies(line, "the error line", concat(args, value));
    }

    private static String[] concat(String[] args, String value) {
        String[] out = Arrays.copyOf(args, args.length + 1);
        out[args.length] = value;
        return out;
    }

}
