package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.Overrides;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Likelihood;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.train.RunConfig;
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
    }

    /** The budget comes from the parsed options, through Overrides.configure, never from a system property. */
    @Test
    void budgetReachesTheShootoutThroughTheParsedOptions() {
        assertNull(System.getProperty("budget"));
        Properties p = new Properties();
        p.setProperty("budget", "smoke");
        Experiment smoke = Overrides.from(p).configure(new WeightingShootout());
        assertEquals(1, smoke.seeds());
        assertEquals(1, smoke.arms().get(0).train().epochs());
        assertEquals(List.of("default", "smoke"), smoke.budgets());
        assertEquals(3, Overrides.from(new Properties()).configure(new WeightingShootout()).seeds(), "no -Dbudget: default");
        assertEquals(3, new WeightingShootout().seeds());
    }

    /**
     * "What to use when" is computed from the runs: the distortions of the two rate-targeting schemes are compared
     * only when both reach the rate, and a tie is called only when the 95% intervals overlap.
     */
    @Test
    void whatToUseWhenFollowsTheNumbers() {
        WeightingShootout shootout = new WeightingShootout(WeightingShootout.DEFAULT);
        // β=1 and cyclical tied on ELBO; capacity and ControlVAE at the target rate, capacity 80 nats worse.
        String onTarget = shootout.discussion(runs(shootout, Map.of(
                "β=1", new double[] {225, 15, 14}, "cyclical", new double[] {222.5, 18.5, 30},
                "capacity", new double[] {297, 25.4, 30}, "ControlVAE", new double[] {217, 25.4, 31.7})));
        assertTrue(onTarget.contains("tied with it: cyclical"), onTarget);
        assertTrue(onTarget.contains("At the same rate ControlVAE KL=25 reconstructs 80.0 nats better"), onTarget);
        // ControlVAE far off its target: no "same rate" comparison, and the miss is named.
        String offTarget = shootout.discussion(runs(shootout, Map.of(
                "β=1", new double[] {225, 15, 14}, "cyclical", new double[] {240, 18.5, 30},
                "capacity", new double[] {297, 25.4, 30}, "ControlVAE", new double[] {217, 58.9, 31.7})));
        assertFalse(offTarget.contains("At the same rate"), offTarget);
        assertTrue(offTarget.contains("Off target by more than 10%: ControlVAE KL=25"), offTarget);
        assertTrue(offTarget.contains("no other row is tied with it"), offTarget);
    }

    /**
     * Three seeds per row whose label starts with a key: Rec, KL and active units as given, Rec spread ±0.5 over
     * seeds so that ELBO intervals are about ±1.2 nats.
     */
    private static List<RunRecord> runs(WeightingShootout shootout, Map<String, double[]> rows) {
        List<RunRecord> out = new ArrayList<>();
        for (Arm a : shootout.arms()) {
            double[] v = rows.entrySet().stream().filter(e -> a.label().startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            if (v == null) continue;
            for (int seed = 1; seed <= 3; seed++) {
                RunConfig c = a.run(shootout.name(), seed);
                double rec = v[0] + 0.5 * (seed - 2);
                Map<MetricId, Double> m = new LinkedHashMap<>();
                m.put(MetricId.ELBO, -(rec + v[1]));
                m.put(MetricId.REC, rec);
                m.put(MetricId.KL, v[1]);
                m.put(MetricId.ACTIVE_UNITS, v[2]);
                String key = Json.trainKey(c, "data");
                Provenance p = new Provenance(RunFiles.folderName(c, key), Json.configTree(c), Json.configSha256(c), key,
                        "code", seed, "abc", false, Map.of(), Map.of(), Map.of(), "2026-01-01T00:00:00Z",
                        "2026-01-01T00:01:00Z", 1, 1, null,
                        Json.evalKey(c, key, "data"), NumericsVersion.all());
                out.add(new RunRecord(c, p, m, null, null));
            }
        }
        return out;
    }
}
