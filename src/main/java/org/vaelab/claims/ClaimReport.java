package org.vaelab.claims;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown for assessed claims: a verdict table with one row per claim, one line per claim for an index, and a
 * section per claim with everything that was fixed before the runs (setting, deviation, comparison, rule) next to
 * what the runs gave under each setting, seed by seed. Pure text from immutable assessments.
 */
public final class ClaimReport {

    private ClaimReport() {
    }

    /** The verdict table: claim, paper, measured effect with its 95% interval, verdict, robustness. */
    public static String table(List<Assessment> assessments) {
        StringBuilder sb = new StringBuilder("| claim | paper | quantity (effect) | effect, 95% CI | n | verdict | robustness |\n")
                .append("|---|---|---|---:|---:|---|---|\n");
        for (Assessment a : assessments) {
            Claim c = a.claim();
            Verdict v = a.base();
            sb.append("| [").append(c.id()).append("](#").append(c.id()).append(") ").append(cell(c.statement()))
                    .append(" | ").append(cell(c.paper()))
                    .append(" | ").append(cell(c.quantity() + unitSuffix(c.unit())))
                    .append(c.comparison() instanceof Comparison.PerSeed ? "" : ": " + cell(c.comparison().describe()))
                    .append(" | ").append(v.formatEffect(c.decimals()))
                    .append(" | ").append(v.effects().n())
                    .append(" | **").append(v.outcome().text()).append("**")
                    .append(" | ").append(cell(a.robustness())).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * One line for an index of reports, e.g. "Kingma et al. 2016: free bits keep more latent units active than β = 1:
     * **reproduced** (robust); +3.2 [+1.9, +4.5], n = 5".
     */
    public static String indexLine(Assessment a) {
        Claim c = a.claim();
        Verdict v = a.base();
        String rob = a.fragile() ? " (fragile)" : a.robust() ? " (robust)" : "";
        return c.paper() + ": " + c.statement() + ": **" + v.outcome().text() + "**" + rob + "; "
                + v.formatEffect(c.decimals()) + (c.unit().isEmpty() ? "" : " " + c.unit()) + ", n = " + v.effects().n();
    }

    /** Counts of each outcome in the base setting, e.g. "5 reproduced, 2 not reproduced, 10 inconclusive". */
    public static String counts(List<Assessment> assessments) {
        StringBuilder sb = new StringBuilder();
        for (Outcome o : Outcome.values()) {
            long n = assessments.stream().filter(a -> a.base().outcome() == o).count();
            sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(o.text());
        }
        return sb.toString();
    }

    /** The section of one claim, headed by an anchor named after its id. */
    public static String details(Assessment a) {
        Claim c = a.claim();
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(c.id()).append("\n\n");
        sb.append("**").append(c.paper()).append(":** ").append(c.statement()).append("\n\n");
        sb.append("- *Setting:* ").append(c.setting()).append('\n');
        sb.append("- *Deviation from the paper:* ").append(c.deviation()).append('\n');
        sb.append("- *Quantity:* ").append(c.quantity()).append(unitSuffix(c.unit())).append("; per seed: ")
                .append(c.comparison().describe()).append('\n');
        sb.append("- *Rule, fixed before the runs:* ").append(c.criterion()).append("; fewer than ")
                .append(Verdict.MIN_SEEDS).append(" seeds: inconclusive.\n");
        for (Map.Entry<String, Verdict> e : a.verdicts().entrySet()) {
            Verdict v = e.getValue();
            sb.append("- *").append(e.getKey()).append(":* **").append(v.outcome().text()).append("**, ")
                    .append(v.reason()).append(". Per seed: ").append(perSeed(v, c.decimals())).append('\n');
        }
        if (a.reRun()) sb.append("- *Robustness:* ").append(a.robustness()).append('\n');
        return sb.append('\n').toString();
    }

    private static String perSeed(Verdict v, int decimals) {
        long[] seeds = v.effects().seeds();
        double[] values = v.effects().values();
        if (seeds.length == 0) return "none";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < seeds.length; i++)
            sb.append(i == 0 ? "" : ", ").append(seeds[i]).append(": ")
                    .append(String.format(Locale.ROOT, "%." + decimals + "f", values[i]).replace('-', '−'));
        return sb.toString();
    }

    private static String unitSuffix(String unit) {
        return unit.isEmpty() ? "" : " (" + unit + ")";
    }

    /** Table cells cannot hold '|' or line breaks. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace('\n', ' ');
    }
}
