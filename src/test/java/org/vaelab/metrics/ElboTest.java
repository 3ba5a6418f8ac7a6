package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ElboTest {

    @Test
    void elboIsMinusMeanOfRecPlusKl() {
        double[] rec = {80, 90, 100};
        double[] kl = {10, 20, 30};
        assertEquals(-110.0, Elbo.of(rec, kl), 1e-12);
        assertEquals(-110.0, Elbo.of(90, 20), 1e-12);
        assertArrayEquals(new double[]{-90, -110, -130}, Elbo.perExample(rec, kl), 1e-12);
    }

    @Test
    void metricsAreElboDistortionRateInOrder() {
        Map<MetricId, Double> m = Elbo.metrics(new double[]{1, 3}, new double[]{0.5, 1.5});
        assertEquals(List.of(MetricId.ELBO, MetricId.REC, MetricId.KL), List.copyOf(m.keySet()));
        assertEquals(-3.0, m.get(MetricId.ELBO), 1e-12);
        assertEquals(2.0, m.get(MetricId.REC), 1e-12);
        assertEquals(1.0, m.get(MetricId.KL), 1e-12);
    }

    @Test
    void rejectsMismatchedOrEmptyArrays() {
        assertThrows(IllegalArgumentException.class, () -> Elbo.of(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> Elbo.of(new double[0], new double[0]));
    }
}
