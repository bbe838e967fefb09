package dev.headroom.core.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameter counts as people write them; suffixes are decimal, as on model cards. */
class ParamCount_parseTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "7b,          7000000000",
            "1.5B,        1500000000",
            "500m,        500000000",
            "70e9,        70000000000",
            "7000000000,  7000000000",
            "' 30B ',     30000000000",
            "1.2t,        1200000000000",
            "8k,          8000",
    })
    void should_read_the_forms_model_cards_use(String text, long value) {
        assertEquals(value, ParamCount.parse(text, "--min-params").value());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "7000000000,    7B",
            "7615616512,    7.62B",
            "494032768,     494M",
            "1026408232448, 1.03T",
            "30532122624,   30.5B",
    })
    void should_print_three_significant_digits_and_read_them_back(long value, String printed) {
        assertEquals(printed, ParamCount.of(value).toString());
        // Round trip: what it prints parses to the same count, to the printed precision.
        long back = ParamCount.parse(printed, "x").value();
        assertTrue(Math.abs(back - value) <= value / 200, printed + " -> " + back);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"abc", "7x", "-5b", "", "7 billion", "1,000"})
    void should_name_the_option_the_value_and_the_forms_it_takes(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ParamCount.parse(text, "--min-params"));

        assertTrue(e.getMessage().startsWith("--min-params = '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("7b, 1.5B, 500m, 70e9"), e.getMessage());
    }
}
