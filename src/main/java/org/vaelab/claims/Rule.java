package org.vaelab.claims;

import java.math.BigDecimal;
import java.math.MathContext;
import org.vaelab.metrics.Summary;

/**
 * A pre-registered decision rule: how the 95% interval of the mean per-seed effect becomes an {@link Outcome}. Fixed
 * with the claim, before any run exists; every boundary is strict, so an interval that touches it is inconclusive.
 *
 * <ul>
 *   <li>{@link Directional}: "A is larger (smaller) than B". Reproduced if the interval lies entirely on the
 *       claimed side of 0, not reproduced if entirely on the other side.</li>
 *   <li>{@link NonInferior}: "no cost", "matches or beats": the effect may be anything on the good side, and at
 *       most a stated margin on the bad side. Reproduced if the whole interval is better than the margin, not
 *       reproduced if the whole interval is worse than it. This, not equivalence, is the reading of "at no cost":
 *       a model that is clearly <em>better</em> has not contradicted a no-cost claim.</li>
 *   <li>{@link Equivalent}: "equals", "holds at", "meets": the interval must lie inside ±margin; not reproduced if it
 *       lies entirely outside.</li>
 * </ul>
 */
public sealed interface Rule {

    /**
     * The outcome for an effect's interval.
     *
     * @param effect the mean per-seed effect with its 95% interval; needs n ≥ 2
     * @throws IllegalArgumentException if the interval is undefined (one seed)
     */
    Outcome decide(Summary effect);

    /** The rule in words, for the report, with numbers in {@code unit} (e.g. "nats"). */
    String describe(String unit);

    /**
     * Where the interval lies relative to the rule's boundaries, in words (e.g. "entirely above 0"), which is why
     * {@link #decide} gave its outcome.
     */
    String explain(Summary effect, String unit);

    private static void needInterval(Summary s) {
        if (s == null || s.n() < 2 || !Double.isFinite(s.ciLow()) || !Double.isFinite(s.ciHigh()))
            throw new IllegalArgumentException("a rule needs a finite 95% interval over at least 2 seeds, got " + s);
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : v < 0 ? "−" : "") + number(Math.abs(v));
    }

    /** A number with its unit, or the number alone for a quantity without one. */
    private static String withUnit(String number, String unit) {
        return unit == null || unit.isEmpty() ? number : number + " " + unit;
    }

    private static String number(double v) {
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static void checkMargin(double margin) {
        if (!(margin > 0) || !Double.isFinite(margin))
            throw new IllegalArgumentException("a margin must be finite and > 0, got " + margin
                    + " (state the largest difference that still counts as none, in the quantity's unit)");
    }

    /**
     * The effect has the claimed sign.
     *
     * @param direction the claimed sign of the effect
     */
    record Directional(Direction direction) implements Rule {
        public Directional {
            if (direction == null) throw new IllegalArgumentException("a directional rule needs a direction (INCREASE or DECREASE)");
        }

        @Override
        public Outcome decide(Summary e) {
            return sideOf(e, 0, direction);
        }

        @Override
        public String explain(Summary e, String unit) {
            needInterval(e);
            if (e.ciLow() > 0) return "entirely above 0";
            if (e.ciHigh() < 0) return "entirely below 0";
            return "includes 0";
        }

        @Override
        public String describe(String unit) {
            return "effect " + direction.relation() + ": reproduced if the 95% CI lies entirely " + direction.side()
                    + " 0, not reproduced if entirely " + direction.opposite().side() + " 0, else inconclusive";
        }
    }

    /**
     * The effect is no worse than {@code margin}: "at no cost", "matches or beats".
     *
     * @param better the direction in which the effect is good (e.g. DECREASE for a difference of NLLs)
     * @param margin the largest cost that still counts as none, &gt; 0, in the quantity's unit
     */
    record NonInferior(Direction better, double margin) implements Rule {
        public NonInferior {
            if (better == null) throw new IllegalArgumentException("a non-inferiority rule needs the better direction");
            checkMargin(margin);
        }

        /** The boundary: +margin when smaller is better, −margin when larger is better. */
        public double boundary() {
            return -better.sign() * margin;
        }

        @Override
        public Outcome decide(Summary e) {
            return sideOf(e, boundary(), better);
        }

        @Override
        public String explain(Summary e, String unit) {
            needInterval(e);
            String b = withUnit(signed(boundary()), unit);
            if (e.ciLow() > boundary()) return "entirely above " + b;
            if (e.ciHigh() < boundary()) return "entirely below " + b;
            return "includes " + b;
        }

        @Override
        public String describe(String unit) {
            String b = withUnit(signed(boundary()), unit);
            return "no worse than " + withUnit(number(margin), unit) + " (non-inferiority): reproduced if the 95% CI lies"
                    + " entirely " + better.side() + " " + b + ", not reproduced if entirely "
                    + better.opposite().side() + " " + b + ", else inconclusive";
        }
    }

    /**
     * The effect is 0 within ±{@code margin}: "holds at", "equals", "meets".
     *
     * @param margin the largest difference that still counts as none, &gt; 0, in the quantity's unit
     */
    record Equivalent(double margin) implements Rule {
        public Equivalent {
            checkMargin(margin);
        }

        @Override
        public Outcome decide(Summary e) {
            needInterval(e);
            if (e.ciLow() > -margin && e.ciHigh() < margin) return Outcome.REPRODUCED;
            if (e.ciLow() > margin || e.ciHigh() < -margin) return Outcome.NOT_REPRODUCED;
            return Outcome.INCONCLUSIVE;
        }

        @Override
        public String explain(Summary e, String unit) {
            needInterval(e);
            String m = withUnit(number(margin), unit);
            if (e.ciLow() > -margin && e.ciHigh() < margin) return "inside ±" + m;
            if (e.ciLow() > margin) return "entirely above +" + m;
            if (e.ciHigh() < -margin) return "entirely below −" + m;
            return "not inside ±" + m + " and not entirely outside";
        }

        @Override
        public String describe(String unit) {
            String m = withUnit(number(margin), unit);
            return "equal within ±" + m + " (equivalence): reproduced if the 95% CI lies inside ±" + m
                    + ", not reproduced if entirely outside, else inconclusive";
        }
    }

    /**
     * Where the interval lies against {@code boundary}: entirely on the {@code good} side, reproduced; entirely on
     * the other side, not reproduced; across it, inconclusive. Directional rules use the boundary 0, non-inferiority
     * rules their margin.
     */
    private static Outcome sideOf(Summary e, double boundary, Direction good) {
        needInterval(e);
        boolean above = e.ciLow() > boundary, below = e.ciHigh() < boundary;
        if (good == Direction.INCREASE ? above : below) return Outcome.REPRODUCED;
        if (good == Direction.INCREASE ? below : above) return Outcome.NOT_REPRODUCED;
        return Outcome.INCONCLUSIVE;
    }
}
