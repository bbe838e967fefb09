package dev.headroom.core.workload;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STYLE.md section 4: a load that cannot happen is rejected, naming the field and the value. */
class Load_createTest {
    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {0, -1, -64})
    void should_reject_a_concurrency_below_one_naming_it(int n) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Load.concurrency(n));

        assertTrue(e.getMessage().contains("concurrency"), e.getMessage());
        assertTrue(e.getMessage().contains("= " + n + " "), e.getMessage());
    }

    @ParameterizedTest(name = "rate {0}")
    @ValueSource(doubles = {Double.NaN, 0, -2, Double.POSITIVE_INFINITY})
    void should_reject_a_request_rate_that_is_not_positive_and_finite(double rate) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Load.rate(rate));

        assertTrue(e.getMessage().contains("request rate"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(rate)), e.getMessage());
    }

    @Test
    void should_reject_a_static_batch_of_zero_naming_the_batch() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Load.batch(0));

        // the field is the batch, not a concurrency: a user who typed a batch should read "batch"
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
    }

    @Test
    void should_accept_max_without_a_value() {
        Load max = Load.saturating();

        assertTrue(max instanceof Load.Saturating);
        assertEquals("saturating throughput", max.toString());
    }
}
