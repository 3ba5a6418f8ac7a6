package org.vaelab.metrics;

import java.util.Locale;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * One metric summarised over seeds: the number of seeds, the mean, the sample standard deviation
 * (n − 1 denominator) and the two-sided 95% Student-t confidence interval of the mean,
 * <pre>  mean ± t_{0.975, n−1} · std / √n</pre>
 * (t quantile from commons-math3 {@code TDistribution}). The interval assumes the per-seed values are
 * independent and roughly normal; with 3–5 seeds it is wide, which is the honest answer.
 * With a single seed the standard deviation and interval are undefined and are NaN.
 *
 * @param n      number of seeds, ≥ 1
 * @param mean   mean over seeds
 * @param std    sample standard deviation, NaN if n = 1
 * @param ciLow  lower end of the 95% interval, NaN if n = 1
 * @param ciHigh upper end of the 95% interval, NaN if n = 1
 */
public record Summary(int n, double mean, double std, double ciLow, double ciHigh) {

    /** Coverage of the two-sided interval. */
    public static final double CONFIDENCE = 0.95;

    public Summary {
        if (n < 1) throw new IllegalArgumentException("a summary needs at least one value, got n = " + n);
    }

    /**
     * Summarises per-seed values.
     *
     * @throws IllegalArgumentException if there are no values
     */
    public static Summary of(double... values) {
        int n = values.length;
        if (n == 0) throw new IllegalArgumentException("a summary needs at least one value, got none");
        double mean = 0;
        for (double v : values) mean += v;
        mean /= n;
        if (n == 1) return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
        double half = t * std / Math.sqrt(n);
        return new Summary(n, mean, std, mean - half, mean + half);
    }

    /** Half-width of the confidence interval, (ciHigh − ciLow)/2; NaN if n = 1. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /**
     * The mean and interval half-width for tables, e.g. {@code -92.31 ± 0.85}, or {@code -92.31 (n=1)} for a
     * single seed (no interval exists).
     *
     * @param decimals digits after the decimal point, ≥ 0
     */
    public String format(int decimals) {
        if (decimals < 0) throw new IllegalArgumentException("decimals must be ≥ 0, got " + decimals);
        String f = "%." + decimals + "f";
        if (n == 1) return String.format(Locale.ROOT, f + " (n=1)", mean);
        return String.format(Locale.ROOT, f + " ± " + f, mean, halfWidth());
    }
}
