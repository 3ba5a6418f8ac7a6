package org.vaelab.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TraceKeyTest {

    /** The keys are the steps.csv column names of every run written so far; they must never change. */
    @Test
    void keysAreTheCsvColumnNames() {
        assertEquals(List.of("beta", "w", "lambda", "constraint", "constraint_ma", "capacity", "kl_weight", "sigma",
                "dims_below_lambda", "error", "p_term", "i_term"), TraceKey.KNOWN.stream().map(TraceKey::key).toList());
        Set<String> seen = new HashSet<>();
        for (TraceKey k : TraceKey.KNOWN) assertTrue(seen.add(k.key()), k + " twice");
        assertEquals(Set.of(TraceKey.BETA, TraceKey.LAMBDA, TraceKey.CAPACITY), TraceKey.MOVING_WEIGHTS);
    }

    /** A column read back is the known constant; a column of a later scheme still reads, as an unknown key. */
    @Test
    void columnsReadBack() {
        assertSame(TraceKey.BETA, TraceKey.of("beta"));
        TraceKey later = TraceKey.of("tau");
        assertFalse(later.known());
        assertEquals(new TraceKey("tau"), later);
        assertEquals("tau", later.toString());
        assertThrows(IllegalArgumentException.class, () -> TraceKey.of("a,b"));
        assertThrows(IllegalArgumentException.class, () -> TraceKey.of(" "));
    }

    /** Every scheme logs only known keys, among them the β in force where it has one. */
    @Test
    void schemesLogTypedKeys() {
        LossWeights w = LossWeights.beta(0.5, 4);
        assertEquals(0.5, w.trace().get(TraceKey.BETA));
        for (TraceKey k : w.trace().keySet()) assertTrue(k.known(), k.key());
    }
}
