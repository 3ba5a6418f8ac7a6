package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Overrides;
import org.vaelab.model.Likelihood;
import org.vaelab.weighting.SigmaVae;

class WeightingShootoutTest {

    @Test
    void budgetsAreNamedAndUnknownOnesListTheChoices() {
        assertEquals(WeightingShootout.DEFAULT, WeightingShootout.budget(null));
        assertEquals(WeightingShootout.DEFAULT, WeightingShootout.budget("default"));
        assertEquals(WeightingShootout.SMOKE, WeightingShootout.budget("smoke"));
        var e = assertThrows(IllegalArgumentException.class, () -> WeightingShootout.budget("quick"));
        assertEquals("-Dbudget=quick is not valid: expected one of default, smoke", e.getMessage());
    }

    @Test
    void everyRowIsDeclaredOnceWithItsDecoder() {
        List<Arm> arms = new WeightingShootout(WeightingShootout.DEFAULT).arms();
        assertEquals(18, arms.size());
        assertEquals(arms.size(), new HashSet<>(arms.stream().map(Arm::label).toList()).size(), "labels must be unique");
        assertEquals(7, arms.stream().filter(a -> a.group().equals(WeightingShootout.SWEEP)).count());
        for (Arm a : arms) {
            boolean sigma = a.weighting() instanceof SigmaVae;
            assertEquals(sigma ? Likelihood.GAUSSIAN : Likelihood.BERNOULLI, a.model().likelihood(), a.label());
            assertEquals(sigma, a.label().contains("Gaussian"), a.label());
            assertEquals(WeightingShootout.EPOCHS, a.train().epochs());
            assertEquals(0, a.data().trainLimit());
        }
        assertEquals(3, new WeightingShootout(WeightingShootout.DEFAULT).seeds());
    }

    @Test
    void smokeBudgetShrinksTheRunsAndIsEchoedInTheReportCommand() {
        WeightingShootout smoke = new WeightingShootout(WeightingShootout.SMOKE);
        assertEquals(1, smoke.seeds());
        for (Arm a : smoke.arms()) {
            assertEquals(1, a.train().epochs());
            assertEquals(5000, a.data().trainLimit());
            assertEquals(1000, a.data().testLimit());
        }
        assertTrue(smoke.question().contains("Budget `smoke`"));
        Properties p = new Properties();
        p.setProperty("budget", "smoke");
        assertEquals(" -Dbudget=smoke", Overrides.from(p).asFlags());
        assertTrue(Overrides.KEYS.contains("budget"), "the launcher forwards only listed keys");
    }
}
