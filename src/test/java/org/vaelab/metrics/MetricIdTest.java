package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricIdTest {

    @Test
    void targetsPrint() {
        assertEquals("model", MetricTarget.MODEL.toString());
        assertEquals("model", new MetricTarget.Model().toString());
        assertEquals("z7", new MetricTarget.Latent(7).toString());
        assertEquals("factor:shape", new MetricTarget.Factor("shape").toString());
    }

    @Test
    void standardKeys() {
        assertEquals("model/elbo", MetricId.ELBO.key());
        assertEquals("model/rec", MetricId.REC.key());
        assertEquals("model/kl", MetricId.KL.key());
        assertEquals("model/active_units", MetricId.ACTIVE_UNITS.key());
        assertEquals("z3/kl", MetricId.klOfDim(3).key());
        assertEquals(MetricId.latent(3, "kl"), MetricId.klOfDim(3));
        assertEquals("factor:shape/mig", MetricId.factor("shape", "mig").key());
    }

    @Test
    void keysRoundTrip() {
        for (MetricId id : List.of(MetricId.ELBO, MetricId.ACTIVE_UNITS, MetricId.klOfDim(0), MetricId.klOfDim(31),
                MetricId.model("iw_nll_k5000"), MetricId.factor("pos_x", "mig"), MetricId.factor("a:b", "x")))
            assertEquals(id, MetricId.parse(id.key()), id.key());
        assertEquals(MetricId.model("elbo"), MetricId.parse("model/elbo"));
    }

    @Test
    void badKeysAreNamed() {
        for (String bad : List.of("elbo", "model/", "/elbo", "model/elbo/x", "z/kl", "z-1/kl", "z03/kl",
                "zz/kl", "factor:/mig", "models/elbo", "model/e lbo", "z99999999999/kl")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricId.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void namesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> MetricId.model(""));
        assertThrows(IllegalArgumentException.class, () -> MetricId.model("a/b"));
        assertThrows(IllegalArgumentException.class, () -> MetricId.model("a,b"));
        assertThrows(IllegalArgumentException.class, () -> MetricId.latent(-1, "kl"));
    }

    @Test
    void unknownMetricLookupListsKnownOnes() {
        Map<MetricId, Double> m = Map.of(MetricId.ELBO, -90.0);
        assertEquals(-90.0, MetricResults.get(m, MetricId.ELBO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricResults.get(m, MetricId.klOfDim(3)));
        assertTrue(e.getMessage().contains("z3/kl") && e.getMessage().contains("model/elbo"), e.getMessage());
    }
}
