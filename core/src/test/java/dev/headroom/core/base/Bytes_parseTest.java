package dev.headroom.core.base;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** STYLE.md section 5: units are value types with an exact-suffix parser, tested by round trip. */
class Bytes_parseTest {

    @Property
    void should_round_trip_an_exact_byte_count(@ForAll @LongRange(min = 0, max = 1L << 52) long n) {
        assertEquals(n, Bytes.parse(n + " B").value());
        assertEquals(n, Bytes.parse(n + "B").value());
    }

    @Property
    void should_parse_its_own_printout_back_within_the_printed_precision(@ForAll @LongRange(min = 0, max = 1L << 50) long n) {
        // GIVEN a size printed with two decimals in MiB (below 1 GiB) or GiB
        Bytes b = Bytes.of(n);
        String printed = b.toString();

        // WHEN it is parsed back
        long back = Bytes.parse(printed).value();

        // THEN it differs by at most half of the last printed digit, in the unit printed
        long unit = printed.endsWith("GiB") ? Bytes.GIB : Bytes.MIB;
        assertTrue(Math.abs(back - n) <= unit / 200 + 1, printed + " -> " + back + " vs " + n);
    }

    @Property
    void should_print_binary_units_and_say_so(@ForAll @LongRange(min = 0, max = 1L << 50) long n) {
        String printed = Bytes.of(n).toString();
        assertTrue(printed.endsWith(" GiB") || printed.endsWith(" MiB"), printed);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "1 GiB, 1073741824", "1 GB, 1000000000", "1 MiB, 1048576", "1 MB, 1000000", "1 KiB, 1024", "1 KB, 1000",
            "1 TiB, 1099511627776", "1 TB, 1000000000000", "79.22 GiB, 85061827297", "0.5 GiB, 536870912", "  3 B , 3"})
    void should_read_decimal_and_binary_suffixes_exactly(String text, long bytes) {
        assertEquals(bytes, Bytes.parse(text).value());
    }

    @Test
    void should_never_confuse_gb_with_gib() {
        assertNotEquals(Bytes.parse("80 GB"), Bytes.parse("80 GiB"));
        assertEquals(80_000_000_000L, Bytes.parse("80 GB").value());
        // 80 GB is 74.51 GiB, and prints as GiB, never as "80 GB"
        assertEquals("74.51 GiB", Bytes.parse("80 GB").toString());
        assertEquals("80.00 GiB", Bytes.parse("80 GiB").toString());
        assertEquals(74.50580596923828, Bytes.parse("80 GB").gib(), 1e-12);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"1 gb", "1 gib", "1 G", "1GiBs", "GiB", "-1 GiB", "1,5 GiB", "", "1 Gi"})
    void should_reject_anything_but_an_exact_suffix(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Bytes.parse(text));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("GB"), "lists the units: " + e.getMessage());
    }

    @Test
    void should_print_mib_below_one_gib_and_gib_above() {
        assertEquals("512.00 MiB", Bytes.of(512 * Bytes.MIB).toString());
        assertEquals("1.00 GiB", Bytes.of(Bytes.GIB).toString());
        assertEquals("14.96 GiB", Bytes.ofGiB(14.96).toString());
    }

    @Test
    void should_do_exact_arithmetic() {
        assertEquals(3 * Bytes.GIB, Bytes.of(Bytes.GIB).times(3).value());
        assertEquals(Bytes.GIB - 1, Bytes.of(Bytes.GIB).minus(Bytes.of(1)).value());
        // an overflow is the user's too-large input, reported as such, never a wrapped negative size
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Bytes.of(Long.MAX_VALUE).plus(Bytes.of(1)));
        assertTrue(e.isTooLarge(), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Bytes.of(Long.MIN_VALUE).minus(Bytes.of(1)));
        assertThrows(InvalidInputException.class, () -> Bytes.of(Long.MAX_VALUE / 2 + 1).times(2));
    }

    @Test
    void should_reject_sizes_beyond_the_long_range() {
        assertThrows(InvalidInputException.class, () -> Bytes.parse("10000000 TB"));
    }
}
