package org.vaelab.claims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A claim's verdicts under several settings: the base setting first, then re-runs that change one choice the paper
 * leaves open (the weight initialisation, the learning rate). A claim whose verdict differs between settings is
 * <em>fragile</em>: it holds, or fails, only under choices nobody stated.
 *
 * @param claim    the claim
 * @param verdicts setting name → verdict, the base setting first
 */
public record Assessment(Claim claim, Map<String, Verdict> verdicts) {

    public Assessment {
        if (claim == null) throw new IllegalArgumentException("an assessment needs its claim");
        if (verdicts == null || verdicts.isEmpty())
            throw new IllegalArgumentException("claim " + claim.id() + ": an assessment needs at least the base setting's verdict");
        verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
    }

    /**
     * The claim judged on each setting's runs, in the order given (the base first). Settings whose table has none
     * of the claim's arms are left out: they did not re-run it.
     */
    public static Assessment of(Claim claim, Map<String, SeedTable> settings) {
        Map<String, Verdict> v = new LinkedHashMap<>();
        settings.forEach((name, table) -> {
            if (claim.comparison().arms().stream().anyMatch(table::has)) v.put(name, claim.verdict(table));
        });
        if (v.isEmpty())
            throw new IllegalArgumentException("claim " + claim.id() + ": no setting has any of its arms "
                    + claim.comparison().arms() + " (settings: " + settings.keySet() + ")");
        return new Assessment(claim, v);
    }

    /** The base setting's name. */
    public String baseName() {
        return verdicts.keySet().iterator().next();
    }

    /** The base setting's verdict. */
    public Verdict base() {
        return verdicts.values().iterator().next();
    }

    /** Whether the claim was judged under more than the base setting. */
    public boolean reRun() {
        return verdicts.size() > 1;
    }

    /** Whether the outcome differs between settings. */
    public boolean fragile() {
        return verdicts.values().stream().map(Verdict::outcome).distinct().count() > 1;
    }

    /** Whether the claim was re-run, decided (reproduced or not) in the base setting, and decided alike in every setting. */
    public boolean robust() {
        return reRun() && !fragile() && base().outcome() != Outcome.INCONCLUSIVE;
    }

    /**
     * In words: "not re-run", "robust: reproduced in all 3 settings", "inconclusive in all 3 settings" (nothing to be
     * robust about), or "fragile: reproduced (base), inconclusive (PyTorch init), reproduced (lr 3e-4)".
     */
    public String robustness() {
        if (!reRun()) return "not re-run";
        if (!fragile()) return (robust() ? "robust: " : "") + base().outcome().text() + " in all " + verdicts.size() + " settings";
        List<String> parts = new ArrayList<>();
        verdicts.forEach((name, v) -> parts.add(v.outcome().text() + " (" + name + ")"));
        return "fragile: " + String.join(", ", parts);
    }
}
