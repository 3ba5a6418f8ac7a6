package org.vaelab.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.Summary;

/**
 * Verdicts on synthetic runs, one test per outcome and rule: the effects are built by hand so that the 95% interval
 * is known (t_{0.975, 4} = 2.7764 for five seeds), and each outcome follows from where it lies.
 */
class VerdictTest {

    static final MetricId NLL = MetricId.IW_NLL, AU = MetricId.ACTIVE_UNITS, KL = MetricId.KL;
    static final String A = "scheme", B = "β=1";
    static final double T4 = 2.7764451051977987;

    /** Arm B has {@code base}, arm A has {@code base + diff[i]}, for seeds 1 … n. */
    static SeedTable paired(MetricId m, double[] diff) {
        SeedTable.Builder b = SeedTable.builder();
        for (int i = 0; i < diff.length; i++) {
            double base = 100 + 7 * i;   // seeds differ a lot; pairing must remove it
            b.put(B, i + 1, m, base).put(A, i + 1, m, base + diff[i]);
        }
        return b.build();
    }

    static Claim claim(Comparison c, Rule r, String unit) {
        return new Claim("test-claim", "Someone et al. 2020", "the scheme helps", "a quantity", unit, 2, c, r,
                "synthetic runs", "none");
    }

    static Claim directional(MetricId m, Direction d) {
        return claim(new Comparison.Paired(A, B, m), new Rule.Directional(d), "nats");
    }

    @Test
    void intervalIsTheStudentTIntervalOfThePairedDifferences() {
        double[] diff = {1.0, 2.0, 3.0, 2.5, 1.5};   // mean 2, sd √0.625
        Verdict v = directional(NLL, Direction.INCREASE).verdict(paired(NLL, diff));
        double half = T4 * Math.sqrt(0.625) / Math.sqrt(5);
        assertEquals(2.0, v.effect().mean(), 1e-12);
        assertEquals(2.0 - half, v.effect().ciLow(), 1e-9);
        assertEquals(2.0 + half, v.effect().ciHigh(), 1e-9);
        assertEquals(5, v.effects().n());
        assertEquals(Outcome.REPRODUCED, v.outcome());
        assertTrue(v.reason().contains("entirely above 0"), v.reason());
        assertEquals("+2.00 [+1.02, +2.98]", v.formatEffect(2));
    }

    @Test
    void directionalOutcomes() {
        double[] up = {1.0, 2.0, 3.0, 2.5, 1.5}, down = {-1.0, -2.0, -3.0, -2.5, -1.5}, mixed = {-1, 2, -0.5, 1.5, 0.3};
        assertEquals(Outcome.REPRODUCED, directional(AU, Direction.INCREASE).verdict(paired(AU, up)).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, directional(AU, Direction.INCREASE).verdict(paired(AU, down)).outcome());
        assertEquals(Outcome.INCONCLUSIVE, directional(AU, Direction.INCREASE).verdict(paired(AU, mixed)).outcome());
        // A claimed decrease mirrors it.
        assertEquals(Outcome.REPRODUCED, directional(NLL, Direction.DECREASE).verdict(paired(NLL, down)).outcome());
        Verdict contra = directional(NLL, Direction.DECREASE).verdict(paired(NLL, up));
        assertEquals(Outcome.NOT_REPRODUCED, contra.outcome());
        assertTrue(contra.reason().contains("entirely above 0"), contra.reason());
        Verdict unclear = directional(NLL, Direction.DECREASE).verdict(paired(NLL, mixed));
        assertEquals(Outcome.INCONCLUSIVE, unclear.outcome());
        assertTrue(unclear.reason().contains("includes 0"), unclear.reason());
    }

    /** Identical effects on every seed: the interval is that value; all zeros is no effect, hence inconclusive. */
    @Test
    void constantEffects() {
        assertEquals(Outcome.REPRODUCED, directional(AU, Direction.INCREASE).verdict(paired(AU, new double[]{3, 3, 3, 3, 3})).outcome());
        assertEquals(Outcome.INCONCLUSIVE, directional(AU, Direction.INCREASE).verdict(paired(AU, new double[5])).outcome());
    }

    /** Boundaries are strict: an interval that touches 0 or a margin is inconclusive. */
    @Test
    void anIntervalTouchingTheBoundaryIsInconclusive() {
        Summary touching0 = new Summary(5, 1, 1, 0, 2);
        assertEquals(Outcome.INCONCLUSIVE, new Rule.Directional(Direction.INCREASE).decide(touching0));
        Summary touching1 = new Summary(5, 0, 1, -1, 1);
        assertEquals(Outcome.INCONCLUSIVE, new Rule.Equivalent(1).decide(touching1));
        assertEquals(Outcome.INCONCLUSIVE, new Rule.NonInferior(Direction.DECREASE, 1).decide(touching1));
        assertThrows(IllegalArgumentException.class, () -> new Rule.Equivalent(1).decide(Summary.of(3.0)), "one seed has no interval");
    }

    /**
     * "At no cost" with a 1-nat margin on an NLL difference (smaller is better): a small cost passes, a clear gain
     * passes too (it is not a cost), a cost surely above the margin fails, one that may or may not exceed it is open.
     */
    @Test
    void nonInferiorityOutcomes() {
        Claim noCost = claim(new Comparison.Paired(A, B, NLL), new Rule.NonInferior(Direction.DECREASE, 1), "nats");
        assertEquals(Outcome.REPRODUCED, noCost.verdict(paired(NLL, new double[]{0.2, 0.4, 0.3, 0.5, 0.1})).outcome());
        assertEquals(Outcome.REPRODUCED, noCost.verdict(paired(NLL, new double[]{-3, -2, -2.5, -3.5, -2})).outcome());
        Verdict costly = noCost.verdict(paired(NLL, new double[]{2, 3, 2.5, 3.5, 2.2}));
        assertEquals(Outcome.NOT_REPRODUCED, costly.outcome());
        assertTrue(costly.reason().contains("entirely above +1 nats"), costly.reason());
        assertEquals(Outcome.INCONCLUSIVE, noCost.verdict(paired(NLL, new double[]{0.5, 1.5, 0.8, 1.3, 0.9})).outcome());
        assertTrue(noCost.criterion().contains("below +1 nats"), noCost.criterion());

        // Larger is better (e.g. a disentanglement score "comparable" to another's): the boundary is −margin.
        Claim comparable = claim(new Comparison.Paired(A, B, AU), new Rule.NonInferior(Direction.INCREASE, 0.5), "");
        assertEquals(Outcome.REPRODUCED, comparable.verdict(paired(AU, new double[]{-0.1, 0.1, 0, -0.2, 0.05})).outcome());
        assertEquals(Outcome.NOT_REPRODUCED, comparable.verdict(paired(AU, new double[]{-2, -1.8, -2.2, -1.9, -2.1})).outcome());
    }

    /** A controller holds the KL at its set point of 10 nats within ±1 nat. */
    @Test
    void equivalenceOutcomes() {
        Claim holds = claim(new Comparison.Offset(A, KL, 10), new Rule.Equivalent(1), "nats");
        assertEquals(Outcome.REPRODUCED, holds.verdict(single(KL, 10.1, 9.8, 10.3, 9.9, 10.0)).outcome());
        Verdict off = holds.verdict(single(KL, 13, 12.5, 13.4, 12.8, 13.1));
        assertEquals(Outcome.NOT_REPRODUCED, off.outcome());
        assertTrue(off.reason().contains("entirely above +1 nats"), off.reason());
        assertEquals(Outcome.NOT_REPRODUCED, holds.verdict(single(KL, 7, 7.5, 6.8, 7.2, 7.1)).outcome());
        assertEquals(Outcome.INCONCLUSIVE, holds.verdict(single(KL, 10.5, 11.2, 9.9, 11.5, 10.8)).outcome());
        assertEquals("scheme − 10", holds.comparison().describe());
    }

    static SeedTable single(MetricId m, double... values) {
        SeedTable.Builder b = SeedTable.builder();
        for (int i = 0; i < values.length; i++) b.put(A, i + 1, m, values[i]);
        return b.build();
    }

    /** Four seeds, however clear the effect, give no verdict; the reason says so, and the interval is still shown. */
    @Test
    void fewerThanFiveSeedsIsInconclusive() {
        Verdict v = directional(AU, Direction.INCREASE).verdict(paired(AU, new double[]{5, 6, 5.5, 6.2}));
        assertEquals(Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.reason().contains("only 4 seeds with a value, fewer than 5"), v.reason());
        assertTrue(v.effect().ciLow() > 0, "the interval is computed and shown even so");
        Verdict one = directional(AU, Direction.INCREASE).verdict(paired(AU, new double[]{5}));
        assertNull(one.effect());
        assertEquals("+5.00", one.formatEffect(2));
    }

    /** Only seeds both arms have are paired; a seed whose statistic is undefined is left out and named. */
    @Test
    void sharedSeedsAndExcludedSeeds() {
        SeedTable.Builder b = SeedTable.builder();
        for (int s = 1; s <= 6; s++) b.put(B, s, AU, 10);
        for (int s = 2; s <= 7; s++) b.put(A, s, AU, 12 + 0.1 * s);
        Effects e = new Comparison.Paired(A, B, AU).effects(b.build());
        assertEquals(5, e.n(), "seeds 2–6 are shared");
        assertEquals(2, e.seeds()[0]);

        Comparison ratio = new Comparison.PerSeed("A / B", List.of(A, B),
                (t, seed) -> seed == 3 ? Double.NaN : t.get(A, seed, AU) / t.get(B, seed, AU));
        Verdict v = claim(ratio, new Rule.Directional(Direction.INCREASE), "").verdict(b.build());
        assertEquals(4, v.effects().n());
        assertEquals(Outcome.INCONCLUSIVE, v.outcome(), "one undefined seed leaves four");
        assertTrue(v.reason().contains("seed 3, undefined"), v.reason());

        SeedTable missing = SeedTable.builder().put(A, 1, AU, 1).put(B, 1, KL, 1).build();
        Effects m = new Comparison.Paired(A, B, AU).effects(missing);
        assertEquals(0, m.n());
        assertTrue(m.excluded().get(1L).contains("no value of model/active_units for arm 'β=1'"), m.excluded().toString());
    }

    /** A guard withholds the verdict however clear the interval, and says why. */
    @Test
    void aGuardMakesItInconclusive() {
        Claim guarded = directional(MetricId.MI, Direction.INCREASE)
                .withGuard(t -> Optional.of("MI is within 0.1 nats of its bound log N for β=1"));
        Verdict v = guarded.verdict(paired(MetricId.MI, new double[]{1, 2, 3, 2.5, 1.5}));
        assertEquals(Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.reason().contains("not testable: MI is within 0.1 nats"), v.reason());
    }

    /** Re-runs under other settings: a verdict that changes between them is fragile; one that does not is robust. */
    @Test
    void assessmentsNameFragileClaims() {
        Claim c = directional(AU, Direction.INCREASE);
        Map<String, SeedTable> settings = new LinkedHashMap<>();
        settings.put("base", paired(AU, new double[]{1, 2, 3, 2.5, 1.5}));
        settings.put("PyTorch init", paired(AU, new double[]{1.2, 2.1, 2.8, 2.4, 1.9}));
        Assessment robust = Assessment.of(c, settings);
        assertFalse(robust.fragile());
        assertEquals("robust: reproduced in all 2 settings", robust.robustness());
        settings.put("lr 3e-4", paired(AU, new double[]{-1, 2, -0.5, 1.5, 0.3}));
        settings.put("no such arms", SeedTable.builder().put("other", 1, AU, 1).build());
        Assessment fragile = Assessment.of(c, settings);
        assertEquals(3, fragile.verdicts().size(), "a setting without the claim's arms did not re-run it");
        assertTrue(fragile.fragile());
        assertEquals("fragile: reproduced (base), reproduced (PyTorch init), inconclusive (lr 3e-4)", fragile.robustness());
        assertEquals("base", fragile.baseName());
        assertEquals("not re-run", Assessment.of(c, Map.of("base", settings.get("base"))).robustness());
    }

    @Test
    void badClaimsAndRulesAreRejectedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Rule.Equivalent(0));
        assertTrue(e.getMessage().contains("state the largest difference"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Rule.NonInferior(Direction.DECREASE, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Comparison.Paired(A, A, AU));
        var d = assertThrows(IllegalArgumentException.class, () -> new Claim("x", "p", "s", "q", "", 2,
                new Comparison.Paired(A, B, AU), new Rule.Directional(Direction.INCREASE), "setting", " "));
        assertTrue(d.getMessage().contains("deviation must be written down"), d.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Claim("Bad Id", "p", "s", "q", "", 2,
                new Comparison.Paired(A, B, AU), new Rule.Directional(Direction.INCREASE), "setting", "none"));
        assertThrows(IllegalArgumentException.class, () -> SeedTable.builder().put(A, 1, AU, 1).put(A, 1, AU, 2));
    }
}
