package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SeedAggregatorTest {

    private static Map<MetricId, Double> seed(double elbo, double kl, double kl0) {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, elbo);
        m.put(MetricId.KL, kl);
        m.put(MetricId.klOfDim(0), kl0);
        return m;
    }

    @Test
    void summarizesEveryMetricInFirstSeenOrder() {
        Map<MetricId, Double> s3 = new LinkedHashMap<>();   // different insertion order in a later seed
        s3.put(MetricId.klOfDim(0), 3.0);
        s3.put(MetricId.KL, 22.0);
        s3.put(MetricId.ELBO, -92.0);
        Map<MetricId, Summary> out = SeedAggregator.summarize(List.of(seed(-90, 20, 1), seed(-91, 21, 2), s3));
        assertEquals(List.of(MetricId.ELBO, MetricId.KL, MetricId.klOfDim(0)), List.copyOf(out.keySet()));
        assertEquals(-91.0, out.get(MetricId.ELBO).mean(), 1e-12);
        assertEquals(1.0, out.get(MetricId.ELBO).std(), 1e-12);
        assertEquals(3, out.get(MetricId.KL).n());
        assertEquals(2.0, out.get(MetricId.klOfDim(0)).mean(), 1e-12);
    }

    @Test
    void singleSeedGivesNaNSpread() {
        Summary s = SeedAggregator.summarize(List.of(seed(-90, 20, 1))).get(MetricId.ELBO);
        assertEquals(1, s.n());
        assertTrue(Double.isNaN(s.halfWidth()));
    }

    @Test
    void missingMetricIsNamed() {
        Map<MetricId, Double> partial = new LinkedHashMap<>(seed(-91, 21, 2));
        partial.remove(MetricId.klOfDim(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedAggregator.summarize(List.of(seed(-90, 20, 1), partial, seed(-92, 22, 3))));
        assertTrue(e.getMessage().contains("z0/kl"), e.getMessage());
        assertTrue(e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void noSeedsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> SeedAggregator.summarize(List.of()));
    }
}
