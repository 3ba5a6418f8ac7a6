package org.vaelab.metrics;

/**
 * Numerically stable {@code log Σ_k exp(a_k)} and {@code log (1/K) Σ_k exp(a_k)}, the reductions the
 * importance-weighted bound and the aggregate-posterior density need. Log-weights of a VAE are in the hundreds
 * of nats, so {@code exp} of them overflows or underflows a double; subtracting the maximum first keeps every
 * term in (0, 1].
 *
 * <p>{@link Running} does the same one value at a time (rescaling when a new maximum arrives), so that any
 * number of terms can be reduced in bounded memory and the result does not depend on how they were chunked.
 */
public final class LogSumExp {

    private LogSumExp() {
    }

    /**
     * {@code log Σ_k exp(a_k)}. −∞ terms contribute nothing; all −∞ gives −∞; +∞ gives +∞; a NaN gives NaN.
     *
     * @throws IllegalArgumentException if {@code a} is empty
     */
    public static double of(double[] a) {
        if (a.length == 0) throw new IllegalArgumentException("log-sum-exp of no terms is undefined");
        Running r = new Running();
        for (double v : a) r.add(v);
        return r.logSum();
    }

    /**
     * {@code log((1/K) Σ_k exp(a_k)) = logsumexp(a) − log K}, the log of the mean of {@code exp(a)}.
     *
     * @throws IllegalArgumentException if {@code a} is empty
     */
    public static double mean(double[] a) {
        return of(a) - Math.log(a.length);
    }

    /**
     * A running log-sum-exp: keeps the largest term m seen so far and {@code s = Σ exp(a_k − m)}. A new
     * maximum rescales s by {@code exp(m_old − m_new) ≤ 1}, so s stays in [1, count] and never overflows.
     */
    public static final class Running {
        private double max = Double.NEGATIVE_INFINITY;
        private double scaled;   // Σ exp(a_k − max)
        private long count;
        private boolean nan;

        /** Adds one term. */
        public void add(double a) {
            count++;
            if (Double.isNaN(a)) {
                nan = true;
                return;
            }
            if (a == Double.NEGATIVE_INFINITY) return;
            if (a <= max) {
                scaled += Math.exp(a - max);
            } else {
                // max = −∞ only before the first finite term, when scaled is 0 and must stay 0 before adding 1.
                scaled = (max == Double.NEGATIVE_INFINITY ? 0 : scaled * Math.exp(max - a)) + 1;
                max = a;
            }
        }

        /** Number of terms added (including −∞ and NaN ones). */
        public long count() {
            return count;
        }

        /** {@code log Σ exp(a_k)} of the terms so far; −∞ before any finite term, NaN if a NaN was added. */
        public double logSum() {
            if (nan) return Double.NaN;
            if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) return max;
            return max + Math.log(scaled);
        }

        /**
         * {@code logSum() − log count()}, the log of the mean of {@code exp(a_k)}.
         *
         * @throws IllegalStateException if nothing was added
         */
        public double logMean() {
            if (count == 0) throw new IllegalStateException("log-mean-exp of no terms is undefined");
            return logSum() - Math.log(count);
        }
    }
}
