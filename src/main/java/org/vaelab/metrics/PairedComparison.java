package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Paired comparison of two configurations run on the same seeds: the per-seed differences {@code a_i − b_i}
 * remove what the seeds share (initialisation, batch order, noise ε: see {@code org.vaelab.train.Seeds}), so the
 * comparison is far sharper than two independent intervals. This is the test a report should quote when it says
 * one scheme beats another.
 * <ul>
 *   <li>paired t-test (commons-math3 {@code TTest.pairedTTest}): two-sided p-value for mean difference 0, and the
 *       95% Student-t interval {@code mean ± t_{0.975, n−1}·sd/√n} of the mean difference;</li>
 *   <li>Wilcoxon signed-rank test (commons-math3 {@code WilcoxonSignedRankTest}), which does not assume normal
 *       differences: two-sided, exact for n ≤ {@value #WILCOXON_EXACT_MAX} (computed as if there were no ties),
 *       normal approximation above. With 3–5 seeds its smallest possible p is 2/2ⁿ (0.25 for n = 3, 0.0625 for
 *       n = 5): it cannot reach 0.05 below n = 6, however large the effect.</li>
 * </ul>
 * If every difference is exactly 0 both p-values are 1 and the interval is [0, 0]; if they are all equal and
 * non-zero, the t-test's p is 0 and the interval is that value.
 *
 * @param n              number of pairs (seeds), ≥ 2
 * @param meanDifference mean of a − b
 * @param std            sample standard deviation of the differences (n − 1 denominator)
 * @param ciLow          lower end of the 95% interval of the mean difference
 * @param ciHigh         upper end
 * @param pValue         two-sided paired t-test p-value
 * @param wilcoxonPValue two-sided Wilcoxon signed-rank p-value
 */
public record PairedComparison(int n, double meanDifference, double std, double ciLow, double ciHigh, double pValue,
                               double wilcoxonPValue) {

    /** Largest n for which the Wilcoxon p-value is exact (it enumerates 2ⁿ sign patterns). */
    public static final int WILCOXON_EXACT_MAX = 20;

    /**
     * Compares {@code a} with {@code b}, where {@code a[i]} and {@code b[i]} come from the same seed.
     *
     * @throws IllegalArgumentException if the lengths differ, there are fewer than 2 pairs, or a value is not finite
     */
    public static PairedComparison of(double[] a, double[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("paired samples must have equal length, got " + a.length + " and " + b.length);
        int n = a.length;
        if (n < 2) throw new IllegalArgumentException("a paired comparison needs at least 2 pairs, got " + n);
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i]))
                throw new IllegalArgumentException("pair " + i + " is not finite: " + a[i] + ", " + b[i]);
            diff[i] = a[i] - b[i];
        }
        double mean = 0;
        for (double v : diff) mean += v;
        mean /= n;
        double ss = 0;
        for (double v : diff) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        if (std == 0) {
            // Constant differences: the t statistic is ±∞ (p = 0) or 0/0 (no difference at all, p = 1).
            double p = mean == 0 ? 1 : 0;
            return new PairedComparison(n, mean, 0, mean, mean, p, mean == 0 ? 1 : wilcoxon(a, b));
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + Summary.CONFIDENCE / 2);
        double half = t * std / Math.sqrt(n);
        return new PairedComparison(n, mean, std, mean - half, mean + half, new TTest().pairedTTest(a, b), wilcoxon(a, b));
    }

    /**
     * Compares two configurations by seed: pairs {@code a.get(s)} with {@code b.get(s)} for every seed s both have,
     * in ascending seed order; seeds only one side has are ignored.
     *
     * @throws IllegalArgumentException if fewer than 2 seeds are shared
     */
    public static PairedComparison bySeed(Map<Long, Double> a, Map<Long, Double> b) {
        TreeSet<Long> shared = new TreeSet<>(a.keySet());
        shared.retainAll(b.keySet());
        if (shared.size() < 2)
            throw new IllegalArgumentException("a paired comparison needs at least 2 shared seeds, got " + shared
                    + " (seeds " + new TreeSet<>(a.keySet()) + " vs " + new TreeSet<>(b.keySet()) + ")");
        List<Double> xa = new ArrayList<>(), xb = new ArrayList<>();
        for (long s : shared) {
            xa.add(a.get(s));
            xb.add(b.get(s));
        }
        return of(xa.stream().mapToDouble(Double::doubleValue).toArray(), xb.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double wilcoxon(double[] a, double[] b) {
        return new WilcoxonSignedRankTest().wilcoxonSignedRankTest(a, b, a.length <= WILCOXON_EXACT_MAX);
    }

    /** Half-width of the interval. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /**
     * For prose and tables, e.g. {@code Δ = 1.23 ± 0.45 (95% CI, paired t, p = 0.012; Wilcoxon p = 0.031; n = 5)}.
     *
     * @param decimals digits after the decimal point of the difference, ≥ 0
     */
    public String format(int decimals) {
        if (decimals < 0) throw new IllegalArgumentException("decimals must be ≥ 0, got " + decimals);
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, "Δ = " + f + " ± " + f + " (95%% CI, paired t, p = %s; Wilcoxon p = %s; n = %d)",
                meanDifference, halfWidth(), p(pValue), p(wilcoxonPValue), n);
    }

    private static String p(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
