package org.vaelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.metrics.Ranking;
import org.vaelab.model.Likelihood;
import org.vaelab.report.RunRecord;
import org.vaelab.train.TestCurve;
import org.vaelab.weighting.CyclicalAnnealing;

/**
 * What the shootout's long budget adds to its discussion, computed from the runs: whether each scheme's test
 * likelihood had stopped improving when the run stopped (from the runs' {@link TestCurve}s), and whether the default
 * budget's ranking by test IW-NLL survives the longer training. Every word is a paired 95% interval over seeds.
 */
final class ShootoutConvergence {

    private ShootoutConvergence() {
    }

    /** The verdict on a change of the IW-NLL (later − earlier), from its paired interval. */
    static String trend(PairedComparison c) {
        if (c.ciHigh() < 0) return "still improving";
        if (c.ciLow() > 0) return "getting worse";
        return "no improvement shown (interval contains 0)";
    }

    /**
     * The section.
     *
     * @param longRuns  the long budget's runs (with test curves)
     * @param shortRuns the default budget's runs of the same configurations, read from its run store; may be empty
     * @param window    epochs over which "stopped improving" is judged, ending at the last epoch (at least: a
     *                  cyclical row starts at the last end of a cycle that far back, see {@link #comparable})
     * @param reference the label the other schemes are compared with (β = 1)
     */
    static String of(List<RunRecord> longRuns, List<RunRecord> shortRuns, int window, String reference) {
        Map<String, List<RunRecord>> byLabel = byLabel(longRuns);
        StringBuilder sb = new StringBuilder();
        int last = longRuns.stream().filter(r -> !r.failed()).mapToInt(r -> r.config().train().epochs()).max().orElse(0);
        sb.append("- **Had the runs stopped improving?** Test IW-NLL (K = 100, first 1,000 test images) at epoch ")
                .append(last).append(" minus ").append(window).append(" epochs earlier, paired over seeds (95% CI); negative is")
                .append(" still improving. Cyclical annealing restarts β from 0 in every cycle, so its curve is compared")
                .append(" only at the ends of its cycles, where β has been 1 for half a cycle (the last such point at least ")
                .append(window).append(" epochs back):\n\n")
                .append("| scheme | epochs compared | IW-NLL then | IW-NLL at the end | change | per epoch | verdict |\n")
                .append("|---|---|---:|---:|---:|---:|---|\n");
        int improving = 0, rows = 0;
        for (var e : byLabel.entrySet()) {
            List<RunRecord> rs = e.getValue();
            int from = -1;
            for (int epoch : curveEpochs(rs)) if (epoch <= last - window && comparable(rs, epoch)) from = epoch;
            if (from < 0) continue;
            Map<Long, Double> atEnd = curveAt(rs, last), atFrom = curveAt(rs, from);
            if (atEnd.size() < 2 || atFrom.size() < 2) continue;
            PairedComparison c = PairedComparison.bySeed(atEnd, atFrom);
            String verdict = trend(c);
            rows++;
            if (verdict.equals("still improving")) improving++;
            sb.append(String.format(Locale.ROOT, "| %s | %d → %d%s | %.2f | %.2f | %+.2f ± %.2f | %+.3f | %s |%n", e.getKey(),
                    from, last, cyclical(rs) == null ? "" : " (cycle ends)", mean(atFrom), mean(atEnd), c.meanDifference(),
                    c.halfWidth(), c.meanDifference() / (last - from), verdict));
        }
        String trendLine = String.format(Locale.ROOT, "%d of %d rows were still improving at epoch %d", improving, rows, last);
        sb.append(String.format(Locale.ROOT, "%n%s: %s%n", trendLine,
                improving == 0 ? "this budget reached the plateau of every scheme on this model."
                        : "a longer budget would still lower their NLL; the ranking below is the ranking at epoch " + last
                        + ", not at convergence."));

        sb.append(settling(byLabel, reference, window, last));

        // Bernoulli rows only: the σ-VAE's Gaussian NLL is a density in other units.
        Ranking now = rank(byLabel, MetricId.IW_NLL);
        sb.append("\n- **Ranking at epoch ").append(last).append("** (test IW-NLL, K = 100, all test images, Bernoulli rows): ")
                .append(now.sentence(2)).append(".\n");
        Map<String, List<RunRecord>> shortByLabel = byLabel(shortRuns);
        shortByLabel.keySet().retainAll(byLabel.keySet());
        if (shortByLabel.isEmpty() || !shortByLabel.containsKey(reference) || !byLabel.containsKey(reference)) {
            sb.append("- The default budget's runs of these schemes were not found, so the two rankings are not compared.\n");
            return "- **Long budget:** " + trendLine + ".\n" + sb;
        }
        int shortEpochs = shortRuns.get(0).config().train().epochs();
        Ranking before = rank(shortByLabel, MetricId.IW_NLL);
        sb.append("- **Ranking at ").append(shortEpochs).append(" epochs** (the default budget's runs of the same schemes):")
                .append(" ").append(before.sentence(2)).append(".\n\n")
                .append("| scheme | vs ").append(reference).append(" at ").append(shortEpochs).append(" epochs | vs ")
                .append(reference).append(" at ").append(last).append(" epochs | same verdict? |\n|---|---:|---:|---|\n");
        List<String> changed = new ArrayList<>();
        for (String label : byLabel.keySet()) {
            if (label.equals(reference) || gaussian(byLabel.get(label)) || !shortByLabel.containsKey(label)) continue;
            PairedComparison a = PairedComparison.bySeed(bySeed(shortByLabel.get(label)), bySeed(shortByLabel.get(reference)));
            PairedComparison b = PairedComparison.bySeed(bySeed(byLabel.get(label)), bySeed(byLabel.get(reference)));
            boolean same = word(a).equals(word(b));
            if (!same) changed.add(label + " (" + word(a) + " → " + word(b) + ")");
            sb.append(String.format(Locale.ROOT, "| %s | %+.2f ± %.2f (%s) | %+.2f ± %.2f (%s) | %s |%n", label,
                    a.meanDifference(), a.halfWidth(), word(a), b.meanDifference(), b.halfWidth(), word(b), same ? "yes" : "**no**"));
        }
        boolean sameBest = before.best().label().equals(now.best().label());
        String survives = changed.isEmpty() && sameBest ? "survives" : "does not survive unchanged";
        sb.append("\n**Does the ").append(shortEpochs).append("-epoch ranking survive?** ")
                .append(changed.isEmpty() && sameBest ? "Yes: the same scheme is best and every scheme's verdict against "
                        + reference + " is unchanged."
                        : (sameBest ? "The best scheme is the same (" + now.best().label() + "), but "
                        : "No: the best scheme changes from " + before.best().label() + " to " + now.best().label()
                        + (changed.isEmpty() ? ", while every verdict against " + reference + " is unchanged." : "; and "))
                        + (changed.isEmpty() ? "" : "the verdict against " + reference + " changes for "
                        + String.join(", ", changed) + "."))
                .append(" IW-NLL is lower-is-better; \"better\" and \"worse\" are paired 95% intervals excluding 0.\n");
        return "- **Long budget:** " + trendLine + "; best by test IW-NLL at epoch " + last + ": " + now.best().label()
                + " (at " + shortEpochs + " epochs: " + before.best().label() + "); the " + shortEpochs
                + "-epoch ranking " + survives + ".\n" + sb;
    }

    /**
     * Whether the comparisons with the reference had settled: each Bernoulli row minus the reference on the test
     * curve, paired over seeds, every {@code every} epochs up to the last (a cyclical row only at the ends of its
     * cycles, {@link #comparable}), and the first epoch from which no verdict changes any more. A row can still be
     * improving while its verdict against the reference has settled: the ranking is what a reader takes away, so this
     * is the question the long budget answers.
     */
    static String settling(Map<String, List<RunRecord>> byLabel, String reference, int every, int last) {
        List<RunRecord> ref = byLabel.get(reference);
        if (ref == null) return "";
        // Every `every` epochs, and the ends of any cyclical row's cycles, where the reference has a curve point.
        java.util.TreeSet<Integer> epochSet = new java.util.TreeSet<>();
        for (int e = every; e <= last; e += every) epochSet.add(e);
        byLabel.values().forEach(rs -> {
            if (cyclical(rs) != null) for (int e : curveEpochs(rs)) if (e >= every && comparable(rs, e)) epochSet.add(e);
        });
        epochSet.removeIf(e -> curveAt(ref, e).size() < 2);
        List<Integer> epochs = new ArrayList<>(epochSet);
        if (epochs.size() < 2) return "";
        StringBuilder table = new StringBuilder("| scheme |");
        for (int e : epochs) table.append(" epoch ").append(e).append(" |");
        table.append("\n|---|").append("---:|".repeat(epochs.size())).append('\n');
        int settledFrom = 0;
        boolean midCycle = false;
        List<String> lastChanges = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            if (e.getKey().equals(reference) || gaussian(e.getValue())) continue;
            table.append("| ").append(e.getKey()).append(" |");
            List<String> words = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (int epoch : epochs) {
                if (!comparable(e.getValue(), epoch)) {
                    midCycle = true;
                    table.append(" mid-cycle |");
                    continue;
                }
                Map<Long, Double> row = curveAt(e.getValue(), epoch), base = curveAt(ref, epoch);
                row.keySet().retainAll(base.keySet());
                if (row.size() < 2) {
                    table.append(" – |");
                    continue;
                }
                PairedComparison c = PairedComparison.bySeed(row, base);
                words.add(word(c));
                at.add(epoch);
                table.append(String.format(Locale.ROOT, " %+.2f ± %.2f %s |", c.meanDifference(), c.halfWidth(), word(c)));
            }
            table.append('\n');
            if (words.size() < 2) continue;
            int i = words.size() - 1;
            while (i > 0 && words.get(i - 1).equals(words.get(i))) i--;
            settledFrom = Math.max(settledFrom, epochs.indexOf(at.get(i)));
            if (i == words.size() - 1)
                lastChanges.add(e.getKey() + " (" + words.get(i - 1) + " → " + words.get(i) + " between epoch "
                        + at.get(i - 1) + " and " + at.get(i) + ")");
        }
        String verdict;
        if (!lastChanges.isEmpty()) verdict = "the verdicts had **not settled**: at the last comparison the verdict against "
                + reference + " changed for " + String.join(", ", lastChanges);
        else if (settledFrom == 0) verdict = "every verdict against " + reference + " is the same at every epoch in the table";
        else verdict = "every verdict against " + reference + " has been the same since epoch " + epochs.get(settledFrom);
        return "\n- **Had the ranking settled?** Each scheme's test-curve IW-NLL minus " + reference
                + "'s at the same epoch, paired over seeds (95% CI; 1,000 test images, so wider than the final"
                + " comparison below)" + (midCycle ? "; \"mid-cycle\": cyclical annealing between the ends of its cycles,"
                + " not compared" : "") + ":\n\n" + table + "\nOn the test curve, " + verdict + ".\n";
    }

    /** The rows' cyclical schedule, or null if they have none. */
    private static CyclicalAnnealing cyclical(List<RunRecord> rs) {
        return rs.get(0).config().weighting() instanceof CyclicalAnnealing c ? c : null;
    }

    /**
     * Whether the curve point after {@code epoch} can be compared with other rows and epochs: always, except for
     * cyclical annealing between the ends of its cycles, where β has just been restarted from 0.
     */
    static boolean comparable(List<RunRecord> rs, int epoch) {
        CyclicalAnnealing c = cyclical(rs);
        if (c == null) return true;
        long epochs = rs.get(0).config().train().epochs();
        return (epoch * (long) c.cycles()) % epochs == 0;
    }

    /** The epochs of the rows' curve points, ascending. */
    private static List<Integer> curveEpochs(List<RunRecord> rs) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (RunRecord r : rs) if (r.steps() != null) r.steps().curve().points().forEach(p -> out.add(p.epoch()));
        return new ArrayList<>(out);
    }

    /** "better", "worse" or "not separable" for a paired difference (row − reference) of an IW-NLL: lower is better. */
    private static String word(PairedComparison c) {
        return word(c, true);
    }

    /** The same for a metric of either direction; the shootout's discussion words its comparisons with it too. */
    static String word(PairedComparison c, boolean lowerIsBetter) {
        if (c.ciLow() <= 0 && c.ciHigh() >= 0) return "not separable";
        return (c.meanDifference() < 0) == lowerIsBetter ? "better" : "worse";
    }

    private static Ranking rank(Map<String, List<RunRecord>> byLabel, MetricId metric) {
        Map<String, Map<Long, Double>> values = new LinkedHashMap<>();
        byLabel.forEach((label, rs) -> {
            if (!gaussian(rs) && !bySeed(rs).isEmpty()) values.put(label, bySeed(rs));
        });
        return Ranking.of(metric.toString(), true, values);
    }

    private static boolean gaussian(List<RunRecord> rs) {
        return rs.get(0).config().model().likelihood() == Likelihood.GAUSSIAN;
    }

    /** The finished runs by configuration label, in the order first seen. */
    static Map<String, List<RunRecord>> byLabel(List<RunRecord> runs) {
        Map<String, List<RunRecord>> m = new LinkedHashMap<>();
        for (RunRecord r : runs) if (!r.failed()) m.computeIfAbsent(r.config().label(), k -> new ArrayList<>()).add(r);
        return m;
    }

    private static Map<Long, Double> bySeed(List<RunRecord> rs) {
        return RunRecord.bySeed(rs, MetricId.IW_NLL);
    }

    /** Each seed's curve IW-NLL after {@code epoch}; seeds without a point there are left out. */
    static Map<Long, Double> curveAt(List<RunRecord> rs, int epoch) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (RunRecord r : rs) {
            if (r.steps() == null) continue;
            for (TestCurve.Point p : r.steps().curve().points())
                if (p.epoch() == epoch) m.put(r.config().seed(), p.iwNll());
        }
        return m;
    }

    private static double mean(Map<Long, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
