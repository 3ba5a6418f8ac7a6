package org.vaelab.claims;

import java.util.Optional;

/**
 * One testable claim of one paper, with everything needed to judge it written down before any run exists: what is
 * measured, how the per-seed effect is formed, the setting and how it departs from the paper's, and the rule that
 * turns the effect's 95% interval into a verdict (docs/theory.md, "How a claim gets a verdict"). A paper whose claim
 * has two parts ("more active units, at no NLL cost") gets one {@code Claim} per part, each with its own rule.
 *
 * @param id         a short stable key, e.g. {@code kingma16-nll}: lower case, digits and '-'
 * @param paper      the citation, e.g. "Kingma et al. 2016 (arXiv:1606.04934)"
 * @param statement  the claim in words, as the paper makes it
 * @param quantity   what is measured, e.g. "test IW-NLL (K = 100)"
 * @param unit       the quantity's unit, e.g. "nats" (or "" for a count or ratio)
 * @param decimals   digits after the decimal point when the effect is printed, 0–6
 * @param comparison how one seed's effect is formed
 * @param rule       the pre-registered decision rule
 * @param setting    the setting used here (data, model, budget, the scheme's settings)
 * @param deviation  how the setting differs from the paper's, and why; "none" if it does not
 * @param guard      a check that withholds the verdict when the quantity cannot separate the arms (e.g. a mutual
 *                   information at its estimator's bound); {@link Guard#NONE} for none
 */
public record Claim(String id, String paper, String statement, String quantity, String unit, int decimals,
                    Comparison comparison, Rule rule, String setting, String deviation, Guard guard) {

    public Claim {
        if (id == null || !id.matches("[a-z0-9]+(-[a-z0-9]+)*"))
            throw new IllegalArgumentException("claim id must be lower case words joined by '-', e.g. kingma16-nll, got '" + id + "'");
        for (String[] f : new String[][]{{"paper", paper}, {"statement", statement}, {"quantity", quantity},
                {"setting", setting}, {"deviation", deviation}})
            if (f[1] == null || f[1].isBlank())
                throw new IllegalArgumentException("claim " + id + ": " + f[0] + " must be written down before the runs");
        if (unit == null) unit = "";
        if (decimals < 0 || decimals > 6) throw new IllegalArgumentException("claim " + id + ": decimals must be 0–6, got " + decimals);
        if (comparison == null || rule == null)
            throw new IllegalArgumentException("claim " + id + ": the comparison and the rule must be fixed before the runs");
        if (guard == null) guard = Guard.NONE;
    }

    /** A claim without a guard. */
    public Claim(String id, String paper, String statement, String quantity, String unit, int decimals,
                 Comparison comparison, Rule rule, String setting, String deviation) {
        this(id, paper, statement, quantity, unit, decimals, comparison, rule, setting, deviation, Guard.NONE);
    }

    /** The verdict of the runs in {@code table}. */
    public Verdict verdict(SeedTable table) {
        return Verdict.of(rule, comparison.effects(table), guard.why(table), unit, decimals);
    }

    /** The rule in words, in this claim's unit. */
    public String criterion() {
        return rule.describe(unit.isEmpty() ? "" : unit);
    }

    /** This claim with a guard. */
    public Claim withGuard(Guard g) {
        return new Claim(id, paper, statement, quantity, unit, decimals, comparison, rule, setting, deviation, g);
    }

    /**
     * A reason why the runs cannot test the claim even with enough seeds, e.g. the quantity sits at an estimator's
     * bound for an arm, so a difference would be the estimator's, not the models'.
     */
    @FunctionalInterface
    public interface Guard {
        /** No guard. */
        Guard NONE = t -> Optional.empty();

        /** Why the quantity cannot separate the arms in {@code table}, or empty if it can. */
        Optional<String> why(SeedTable table);
    }
}
