package org.vaelab.metrics;

import java.util.Arrays;

/**
 * Mutual Information Gap (Chen, Li, Grosse and Duvenaud 2018, "Isolating Sources of Disentanglement in VAEs",
 * arXiv:1802.04942, eq. 4), computed as in disentanglement_lib ({@code mig.py}): for each ground-truth factor
 * v_k, the gap between the two latents that share most information with it, normalised by its entropy,
 * <pre>  MIG = (1/K) Σ_k [I(z_{j(k)}; v_k) − max_{j≠j(k)} I(z_j; v_k)] / H(v_k),   j(k) = argmax_j I(z_j; v_k)</pre>
 * Latents (posterior means) are discretised into equal-width bins between their minimum and maximum (20 bins by
 * default); mutual information and entropy are the plug-in estimates from the joint histograms, in nats.
 *
 * <p>MIG is 1 when every factor is captured by exactly one latent and by no other, 0 when two latents carry a
 * factor equally (or none does). It rewards <em>compactness per factor</em> only: one latent that encodes two
 * factors and nothing else scores 1, since each factor still has a single best latent. The plug-in MI is biased
 * upwards by about (bins − 1)(|v| − 1)/(2n) nats, so latents of pure noise score slightly above 0 on small n.
 */
public final class Mig {

    /** Bins per latent, as in Chen et al. 2018 and disentanglement_lib. */
    public static final int DEFAULT_BINS = 20;

    private Mig() {
    }

    /**
     * The full result.
     *
     * @param mig               the score, mean of {@code gaps}
     * @param gaps              per factor: [I(z_{j(k)}; v_k) − second-largest I(z_j; v_k)] / H(v_k)
     * @param bestLatent        per factor: j(k)
     * @param mutualInformation I(z_j; v_k) in nats, [j][k]
     * @param factorEntropy     H(v_k) in nats
     */
    public record Result(double mig, double[] gaps, int[] bestLatent, double[][] mutualInformation, double[] factorEntropy) {
    }

    /** MIG of latents (n × J posterior means) against factors (n × K integer codes), with {@code bins} bins. */
    public static double of(double[][] latents, int[][] factors, int bins) {
        return evaluate(latents, factors, bins).mig();
    }

    /**
     * MIG with its parts.
     *
     * @param latents n × J, J ≥ 2 (the gap needs a second latent); finite values
     * @param factors n × K integer codes (any values; each distinct value is one class)
     * @param bins    bins per latent, ≥ 2
     * @throws IllegalArgumentException on mismatched shapes, J &lt; 2, bins &lt; 2, non-finite latents, or a factor
     *                                  that takes a single value (zero entropy: the gap is undefined)
     */
    public static Result evaluate(double[][] latents, int[][] factors, int bins) {
        int n = latents.length;
        if (n == 0 || factors.length != n)
            throw new IllegalArgumentException("latents and factors need the same number n ≥ 1 of rows, got "
                    + n + " and " + factors.length);
        if (bins < 2) throw new IllegalArgumentException("MIG needs at least 2 bins, got " + bins);
        int nz = latents[0].length, nv = factors[0].length;
        if (nz < 2) throw new IllegalArgumentException("MIG needs at least 2 latents, got " + nz);
        if (nv < 1) throw new IllegalArgumentException("MIG needs at least 1 factor");
        int[][] zCodes = new int[nz][];
        for (int j = 0; j < nz; j++) zCodes[j] = discretize(column(latents, j, nz), bins);
        int[][] vCodes = new int[nv][];
        double[] h = new double[nv];
        for (int k = 0; k < nv; k++) {
            int[] col = new int[n];
            for (int i = 0; i < n; i++) {
                if (factors[i].length != nv) throw new IllegalArgumentException("factor row " + i + " has "
                        + factors[i].length + " entries, row 0 has " + nv);
                col[i] = factors[i][k];
            }
            vCodes[k] = dense(col);
            h[k] = entropy(vCodes[k]);
            if (h[k] == 0) throw new IllegalArgumentException("factor " + k + " takes a single value: H = 0, MIG undefined");
        }
        double[][] mi = new double[nz][nv];
        double[] gaps = new double[nv];
        int[] best = new int[nv];
        double sum = 0;
        for (int k = 0; k < nv; k++) {
            double first = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nz; j++) {
                mi[j][k] = mutualInformation(zCodes[j], vCodes[k]);
                if (mi[j][k] > first) {
                    second = first;
                    first = mi[j][k];
                    best[k] = j;
                } else if (mi[j][k] > second) {
                    second = mi[j][k];
                }
            }
            gaps[k] = (first - second) / h[k];
            sum += gaps[k];
        }
        return new Result(sum / nv, gaps, best, mi, h);
    }

    /**
     * Equal-width binning between the minimum and the maximum, as numpy's {@code histogram} edges with
     * {@code digitize}: bin {@code ⌊(v − min)/(max − min)·bins⌋}, the maximum going into the last bin. A constant
     * column is all bin 0.
     *
     * @throws IllegalArgumentException if a value is not finite
     */
    public static int[] discretize(double[] values, int bins) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("cannot bin a non-finite latent value " + v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] out = new int[values.length];
        if (!(max > min)) return out;
        double width = (max - min) / bins;
        for (int i = 0; i < values.length; i++)
            out[i] = Math.min(bins - 1, (int) ((values[i] - min) / width));
        return out;
    }

    /** Plug-in mutual information of two discrete variables from their joint histogram, nats. */
    public static double mutualInformation(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0)
            throw new IllegalArgumentException("need two equally long, non-empty code arrays, got " + a.length + " and " + b.length);
        int[] ca = dense(a), cb = dense(b);
        int na = max(ca) + 1, nb = max(cb) + 1, n = a.length;
        long[] joint = new long[na * nb];
        long[] pa = new long[na], pb = new long[nb];
        for (int i = 0; i < n; i++) {
            joint[ca[i] * nb + cb[i]]++;
            pa[ca[i]]++;
            pb[cb[i]]++;
        }
        double mi = 0;
        for (int x = 0; x < na; x++)
            for (int y = 0; y < nb; y++) {
                long c = joint[x * nb + y];
                if (c == 0) continue;
                // p(x,y) log [p(x,y) / (p(x) p(y))] = (c/n) log [c·n / (n_x·n_y)]
                mi += (double) c / n * Math.log((double) c * n / ((double) pa[x] * pb[y]));
            }
        return Math.max(0, mi);   // clamp rounding below 0 for independent variables
    }

    /** Plug-in entropy of a discrete variable, nats. */
    public static double entropy(int[] a) {
        if (a.length == 0) throw new IllegalArgumentException("entropy of no values is undefined");
        int[] c = dense(a);
        long[] counts = new long[max(c) + 1];
        for (int v : c) counts[v]++;
        double h = 0;
        for (long k : counts) {
            if (k == 0) continue;
            double p = (double) k / a.length;
            h -= p * Math.log(p);
        }
        return h;
    }

    /** Maps arbitrary integer codes to 0 … m−1 in ascending order of value. */
    private static int[] dense(int[] codes) {
        int[] sorted = codes.clone();
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < sorted.length; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[m++] = sorted[i];
        int[] unique = Arrays.copyOf(sorted, m);
        int[] out = new int[codes.length];
        for (int i = 0; i < codes.length; i++) out[i] = Arrays.binarySearch(unique, codes[i]);
        return out;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) m = Math.max(m, v);
        return m;
    }

    private static double[] column(double[][] rows, int j, int width) {
        double[] col = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width)
                throw new IllegalArgumentException("latent row " + i + " has " + rows[i].length + " entries, row 0 has " + width);
            col[i] = rows[i][j];
        }
        return col;
    }
}
