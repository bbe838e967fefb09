package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Results that cannot lie: legal but extreme command lines in {@code bad-inputs/extremes.csv} answer or say why they
 * do not fit, never print NaN, an infinity or a negative quantity, and print no speed or cost for what does not fit.
 */
class Main_extremesTest {
    /** Speed and cost columns: null in JSON whenever the configuration does not fit. */
    private static final List<String> SPEED_AND_COST = List.of("ttft_ms", "tpot_ms", "e2e_latency_ms", "output_tokens_per_s",
            "total_tokens_per_s", "usd_per_hour", "usd_per_million_input_tokens", "usd_per_million_output_tokens");

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/bad-inputs/extremes.csv", delimiter = '|', quoteCharacter = '`')
    void should_answer_or_say_why_it_does_not_fit_without_impossible_numbers(String commandLine, int exit, String says) throws Exception {
        String[] args = BadFiles.args(commandLine, null);

        Cli r = Cli.run(args);

        assertEquals(exit, r.exit(), r.err() + r.out());
        assertEquals("", r.err(), "nothing on stderr");
        assertTrue(r.out().contains(says), "says '" + says + "':\n" + r.out());
        Honest.assertNoLies(r.out(), "the output");
        if (r.out().contains("DOES NOT FIT") && args[0].equals("estimate")) {
            assertFalse(r.out().contains("\nspeed"), "no speed for what does not fit:\n" + r.out());
            assertFalse(r.out().contains("\ncost"), "no cost for what does not fit:\n" + r.out());
        }
        if (r.out().startsWith("{") && r.out().contains("\"ttft_ms\"")) {
            JsonNode j = new ObjectMapper().readTree(r.out());
            if (!j.get("fits").asBoolean()) {
                for (String column : SPEED_AND_COST) {
                    assertTrue(j.get(column).isNull(), column + " of a deployment that does not fit: " + j.get(column));
                }
                assertFalse(j.get("verdict").asText().isBlank(), "says why it does not fit");
            }
        }
    }
}
