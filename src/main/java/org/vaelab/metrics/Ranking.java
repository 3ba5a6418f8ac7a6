package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which configurations a metric can tell apart: the best row by its seed mean, and every other row compared with it
 * over the seeds they share ({@link PairedComparison}). A row whose paired 95% interval of the difference contains 0
 * is <em>tied</em> with the best: the runs do not show which is better, and a report must not rank the two. This is
 * what a "what to use when" sentence rests on, so that no verdict is typed by hand.
 *
 * <p>Rows with fewer than 2 seeds shared with the best cannot be compared; they are reported as such, never as tied
 * or worse.
 *
 * @param metric        what was ranked (for messages)
 * @param lowerIsBetter direction: true for a loss such as IW-NLL, false for ELBO
 * @param rows          every row, best first, then by mean
 */
public record Ranking(String metric, boolean lowerIsBetter, List<Row> rows) {

    /** How a row compares with the best one. */
    public enum Standing {
        /** The row with the best seed mean. */
        BEST,
        /** The paired 95% interval of (row − best) contains 0: not separable from the best. */
        TIED,
        /** The interval excludes 0 on the worse side. */
        WORSE,
        /** Fewer than 2 seeds shared with the best: no interval. */
        NOT_COMPARABLE
    }

    /**
     * One configuration.
     *
     * @param label      the configuration's label
     * @param summary    its seed mean and 95% t-interval
     * @param vsBest     paired comparison (this − best) over shared seeds; null for the best row and for rows that
     *                   share fewer than 2 seeds with it
     * @param standing   how it compares with the best
     */
    public record Row(String label, Summary summary, PairedComparison vsBest, Standing standing) {
    }

    public Ranking {
        if (metric == null || metric.isBlank()) throw new IllegalArgumentException("a ranking needs a metric name");
        rows = List.copyOf(rows);
    }

    /**
     * Ranks {@code values} (label → seed → value); labels keep no order of their own, rows come out best first.
     *
     * @throws IllegalArgumentException if there are no rows, a row has no values, or a value is not finite
     */
    public static Ranking of(String metric, boolean lowerIsBetter, Map<String, Map<Long, Double>> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("nothing to rank by " + metric + ": no rows");
        Map<String, Summary> summaries = new LinkedHashMap<>();
        values.forEach((label, bySeed) -> {
            if (bySeed.isEmpty()) throw new IllegalArgumentException("row " + label + " has no " + metric + " values");
            summaries.put(label, Summary.of(bySeed.values().stream().mapToDouble(Double::doubleValue).toArray()));
        });
        Comparator<String> byMean = Comparator.comparingDouble(l -> summaries.get(l).mean());
        if (!lowerIsBetter) byMean = byMean.reversed();
        List<String> order = summaries.keySet().stream().sorted(byMean).toList();
        String best = order.get(0);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(best, summaries.get(best), null, Standing.BEST));
        for (String label : order.subList(1, order.size())) {
            TreeSet<Long> shared = new TreeSet<>(values.get(label).keySet());
            shared.retainAll(values.get(best).keySet());
            if (shared.size() < 2) {
                rows.add(new Row(label, summaries.get(label), null, Standing.NOT_COMPARABLE));
                continue;
            }
            PairedComparison c = PairedComparison.bySeed(values.get(label), values.get(best));
            boolean tied = c.ciLow() <= 0 && c.ciHigh() >= 0;
            rows.add(new Row(label, summaries.get(label), c, tied ? Standing.TIED : Standing.WORSE));
        }
        return new Ranking(metric, lowerIsBetter, rows);
    }

    /** The best row. */
    public Row best() {
        return rows.get(0);
    }

    /** The rows tied with the best (not the best itself). */
    public List<Row> tied() {
        return rows.stream().filter(r -> r.standing() == Standing.TIED).toList();
    }

    /** The row with {@code label}, or null. */
    public Row row(String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
    }

    /**
     * One sentence: the best row with its interval, and the rows tied with it with their paired differences, e.g.
     * {@code β=1, 236.85 ± 0.67 (95% CI of the mean over n = 5 seeds); not separable from it (…): cyclical (Δ = −0.46 ± 0.60, n = 5)}.
     */
    public String sentence(int decimals) {
        String f = "%." + decimals + "f";
        Row b = best();
        StringBuilder sb = new StringBuilder(b.label()).append(", ")
                .append(String.format(Locale.ROOT, f + " ± " + f, b.summary().mean(), b.summary().halfWidth()))
                .append(" (95% CI of the mean over n = ").append(b.summary().n()).append(" seeds)");
        List<Row> tied = tied();
        if (tied.isEmpty()) {
            boolean anyCompared = rows.stream().anyMatch(r -> r.standing() == Standing.WORSE);
            sb.append(anyCompared ? "; every other row is worse (paired 95% interval of the difference excludes 0)"
                    : "; no other row could be compared with it");
        } else {
            List<String> parts = new ArrayList<>();
            for (Row r : tied)
                parts.add(String.format(Locale.ROOT, "%s (Δ = " + f + " ± " + f + ", n = %d)", r.label(),
                        r.vsBest().meanDifference(), r.vsBest().halfWidth(), r.vsBest().n()));
            sb.append("; not separable from it (paired 95% interval of the difference contains 0): ")
                    .append(String.join(", ", parts));
        }
        return sb.toString();
    }
}
