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
        assertEquals("-Dbudget=quick is not valid: expected one of default, smoke, long", e.getMessage());
    }

    /** The long budget trains the seven leading schemes, {@value WeightingShootout#LONG_EPOCHS} epochs, each recording its test curve. */
    @Test
    void longBudgetTrainsTheLeadingSchemesWithACurve() {
        WeightingShootout longer = new WeightingShootout().withBudget("long");
        var arms = longer.arms();
        assertEquals(new java.util.HashSet<>(WeightingShootout.LEADING), arms.stream().map(a -> a.label()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(7, arms.size());
        for (var a : arms) {
            assertEquals(WeightingShootout.LONG_EPOCHS, a.train().epochs());
            assertEquals(WeightingShootout.CURVE_EVERY, a.train().curveEvery());
        }
        assertEquals(5, longer.seeds());
        // The default budget records no curve, so its runs keep their train keys.
        assertTrue(new WeightingShootout().arms().stream().allMatch(a -> a.train().curveEvery() == 0));
    }

    @Test
    void everyRowIsDeclaredOnceWithItsDecoder() {
        List<Arm> arms = new WeightingShootout(WeightingShootout.DEFAULT).arms();
        assertEquals(19, arms.size());
        assertEquals(arms.size(), new HashSet<>(arms.stream().map(Arm::label).toList()).size(), "labels must be unique");
        assertEquals(7, arms.stream().filter(a -> a.group().equals(WeightingShootout.SWEEP)).count());
        for (Arm a : arms) {
            boolean sigma = a.weighting() instanceof SigmaVae;
            assertEquals(sigma ? Likelihood.GAUSSIAN : Likelihood.BERNOULLI, a.model().likelihood(), a.label());
            assertEquals(sigma, a.label().contains("Gaussian"), a.label());
            assertEquals(WeightingShootout.EPOCHS, a.train().epochs());
            assertEquals(0, a.data().trainLimit());
        }
        assertEquals(5, new WeightingShootout(WeightingShootout.DEFAULT).seeds());
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
        assertEquals(List.of("default", "smoke", "long"), smoke.budgets());
        assertEquals(5, Overrides.from(new Properties()).configure(new WeightingShootout()).seeds(), "no -Dbudget: default");
        assertEquals(5, new WeightingShootout().seeds());
    }

    /**
     * "What to use when" is computed from the runs: the distortions of the two rate-targeting schemes are compared
     * only when both reach the rate, and two rows are called not separable only when the paired 95% interval of
     * their difference over the shared seeds contains 0.
     */
    @Test
    void whatToUseWhenFollowsTheNumbers() {
        WeightingShootout shootout = new WeightingShootout(WeightingShootout.DEFAULT);
        // cyclical's ELBO differs from β=1's by −4, +2, −1.9 over the seeds: the interval contains 0.
        // capacity and ControlVAE at the target rate, capacity 80 nats worse on every seed.
        String onTarget = shootout.discussion(runs(shootout, Map.of(
                "β=1", new double[] {225, 15, 14, 0}, "cyclical", new double[] {226, 15, 30, 3},
                "capacity", new double[] {297, 25.4, 30, 0}, "ControlVAE", new double[] {217, 25.4, 31.7, 0})));
        assertTrue(onTarget.contains("Best test ELBO (Bernoulli rows):** β=1, -240.00"), onTarget);
        assertTrue(onTarget.contains("not separable from it (paired 95% interval of the difference contains 0): cyclical"), onTarget);
        assertTrue(onTarget.contains("Distortion of capacity C=25 γ=1000 minus ControlVAE KL=25 at the same target: +80.00 ± 0.00 (worse, n = 3)"), onTarget);
        assertTrue(onTarget.contains("Some rows have only 3 seed(s)"), onTarget);
        // ControlVAE far off its target: no "same target" comparison, and the miss is named.
        String offTarget = shootout.discussion(runs(shootout, Map.of(
                "β=1", new double[] {225, 15, 14, 0}, "cyclical", new double[] {240, 18.5, 30, 0},
                "capacity", new double[] {297, 25.4, 30, 0}, "ControlVAE", new double[] {217, 58.9, 31.7, 0})));
        assertFalse(offTarget.contains("at the same target"), offTarget);
        assertTrue(offTarget.contains("Off target by more than 10%: ControlVAE KL=25"), offTarget);
        assertTrue(offTarget.contains("every other row is worse"), offTarget);
    }

    /** Where every run has an IW-NLL, the likelihood ranking uses it, not the ELBO. */
    @Test
    void likelihoodIsRankedByTheImportanceWeightedBound() {
        WeightingShootout shootout = new WeightingShootout(WeightingShootout.DEFAULT);
        // β=1 has the better ELBO, but cyclical's ELBO is 6 nats looser (gap 9 vs 3): its IW-NLL is lower.
        List<RunRecord> runs = runs(shootout, Map.of(
                "β=1", new double[] {225, 15, 14, 0}, "cyclical", new double[] {226, 16, 30, 0}));
        List<RunRecord> withNll = new ArrayList<>();
        for (RunRecord r : runs) {
            double gap = r.config().label().startsWith("cyclical") ? 9 : 3;
            Map<MetricId, Double> m = new LinkedHashMap<>(r.metrics());
            m.put(MetricId.IW_NLL, -m.get(MetricId.ELBO) - gap);
            withNll.add(new RunRecord(r.config(), r.provenance(), m, r.steps(), null));
        }
        String text = shootout.discussion(withNll);
        assertTrue(text.contains("Best test IW-NLL (Bernoulli rows):** cyclical M=4 R=0.5"), text);
        assertTrue(text.contains("By test ELBO (a lower bound that β = 1 maximises by construction): β=1"), text);
    }

    /**
     * Three seeds per row whose label starts with a key: Rec, KL, active units and a jitter j as given; Rec is
     * {@code rec + 0.5·(seed − 2) + j·{1, −1, 0.3}[seed − 1]}, so rows with the same j differ by the same amount on
     * every seed and a row's own j makes its paired differences vary.
     */
    private static List<RunRecord> runs(WeightingShootout shootout, Map<String, double[]> rows) {
        List<RunRecord> out = new ArrayList<>();
        for (Arm a : shootout.arms()) {
            double[] v = rows.entrySet().stream().filter(e -> a.label().startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            if (v == null) continue;
            for (int seed = 1; seed <= 3; seed++) {
                RunConfig c = a.run(shootout.name(), seed);
                double rec = v[0] + 0.5 * (seed - 2) + v[3] * new double[] {1, -1, 0.3}[seed - 1];
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
