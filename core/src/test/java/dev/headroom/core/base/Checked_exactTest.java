package dev.headroom.core.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.function.LongBinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Checked arithmetic is exact or refuses: never a wrapped number, always the documented input error. */
class Checked_exactTest {
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Property(tries = 1000)
    void should_multiply_exactly_or_refuse_as_too_large(@ForAll long a, @ForAll long b) {
        assertExactOrTooLarge(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), (x, y) -> Checked.multiply(x, y, "product"), a, b);
    }

    @Property(tries = 1000)
    void should_add_exactly_or_refuse_as_too_large(@ForAll long a, @ForAll long b) {
        assertExactOrTooLarge(BigInteger.valueOf(a).add(BigInteger.valueOf(b)), (x, y) -> Checked.add(x, y, "sum"), a, b);
    }

    @Property(tries = 1000)
    void should_subtract_exactly_or_refuse_as_too_large(@ForAll long a, @ForAll long b) {
        assertExactOrTooLarge(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)), (x, y) -> Checked.subtract(x, y, "difference"), a, b);
    }

    @Property(tries = 1000)
    void should_narrow_to_int_exactly_or_refuse_as_too_large(@ForAll long v) {
        if (v == (int) v) {
            assertEquals((int) v, Checked.toInt(v, "count"));
        } else {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checked.toInt(v, "count"));
            assertTrue(e.isTooLarge() && e.getMessage().startsWith("count is too large"), e.getMessage());
        }
    }

    private static void assertExactOrTooLarge(BigInteger exact, LongBinaryOperator op, long a, long b) {
        if (exact.compareTo(MIN) >= 0 && exact.compareTo(MAX) <= 0) {
            assertEquals(exact.longValueExact(), op.applyAsLong(a, b));
        } else {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> op.applyAsLong(a, b));
            assertTrue(e.isTooLarge(), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(a)), "names the operands: " + e.getMessage());
        }
    }
}
