package org.vaelab.claims;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vaelab.metrics.Summary;

/**
 * A claim's verdict, computed from its per-seed effects: the outcome, the effects, their mean with the 95% Student-t
 * interval (absent with fewer than two seeds) and the reason in words. Never written by hand.
 *
 * @param outcome the outcome
 * @param effects the per-seed effects it was computed from
 * @param effect  mean and 95% interval of the effects, or null with fewer than 2 seeds
 * @param reason  why: the interval against the rule's boundary, too few seeds, or the guard's reason
 */
public record Verdict(Outcome outcome, Effects effects, Summary effect, String reason) {

    /** Fewer seeds than this give no verdict: with 3–4 seeds a t-interval is too wide, and too fragile, to decide. */
    public static final int MIN_SEEDS = 5;

    public Verdict {
        if (outcome == null || effects == null || reason == null || reason.isBlank())
            throw new IllegalArgumentException("a verdict needs an outcome, its effects and a reason");
    }

    /**
     * The verdict of a rule on effects.
     *
     * @param rule     the claim's rule
     * @param effects  the per-seed effects
     * @param guard    a reason the quantity cannot separate the arms, or empty
     * @param unit     the effect's unit, for the reason
     * @param decimals digits of the effect in the reason
     */
    public static Verdict of(Rule rule, Effects effects, Optional<String> guard, String unit, int decimals) {
        Summary s = effects.n() >= 2 ? Summary.of(effects.values()) : null;
        String measured = s == null ? "" : describe(s, unit, decimals) + ": ";
        if (effects.n() < MIN_SEEDS) {
            StringBuilder why = new StringBuilder(measured).append("only ").append(effects.n())
                    .append(effects.n() == 1 ? " seed" : " seeds").append(" with a value, fewer than ").append(MIN_SEEDS)
                    .append(": no verdict");
            if (!effects.excluded().isEmpty()) why.append(" (left out: ").append(excluded(effects.excluded())).append(')');
            return new Verdict(Outcome.INCONCLUSIVE, effects, s, why.toString());
        }
        if (guard.isPresent())
            return new Verdict(Outcome.INCONCLUSIVE, effects, s, measured + "not testable: " + guard.get());
        String why = measured + "CI " + rule.explain(s, unit);
        if (!effects.excluded().isEmpty()) why += " (left out: " + excluded(effects.excluded()) + ")";
        return new Verdict(rule.decide(s), effects, s, why);
    }

    /** E.g. {@code mean +1.23 nats, 95% CI [+0.40, +2.06], n = 5}. */
    static String describe(Summary s, String unit, int decimals) {
        String u = unit.isEmpty() ? "" : " " + unit;
        return "mean " + signed(s.mean(), decimals) + u + ", 95% CI [" + signed(s.ciLow(), decimals) + ", "
                + signed(s.ciHigh(), decimals) + "], n = " + s.n();
    }

    /** The effect for a table cell, e.g. {@code +1.23 [+0.40, +2.06]}, or the single value (one seed), or "–". */
    public String formatEffect(int decimals) {
        if (effect == null) return effects.n() == 1 ? signed(effects.values()[0], decimals) : "–";
        return signed(effect.mean(), decimals) + " [" + signed(effect.ciLow(), decimals) + ", " + signed(effect.ciHigh(), decimals) + "]";
    }

    private static String signed(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%+." + decimals + "f", v);
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }

    private static String excluded(Map<Long, String> ex) {
        StringBuilder sb = new StringBuilder();
        ex.forEach((seed, why) -> sb.append(sb.length() == 0 ? "" : "; ").append("seed ").append(seed).append(", ").append(why));
        return sb.toString();
    }
}
