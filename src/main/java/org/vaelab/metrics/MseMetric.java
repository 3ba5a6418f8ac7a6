package org.vaelab.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reconstruction mean squared error per pixel at z = μ, {@link MetricId#MSE} ({@link Reconstruction#mse}): comparable
 * across decoders with different likelihoods.
 */
public final class MseMetric implements VaeMetric {

    /**
     * Images per partial sum. Fixed (not the evaluation chunk size), so the number does not depend on a performance
     * setting; 500 sums in the same order as every recorded run.
     */
    static final int SUM_BLOCK = 500;

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public List<MetricId> ids() {
        return List.of(MetricId.MSE);
    }

    @Override
    public Map<MetricId, Double> compute(EvaluationContext c) {
        float[] x = c.targets().pixels(), xHat = c.meanReconstructions();
        int n = c.n(), dim = c.targets().dim();
        double sqErr = 0;
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int from = start * dim, to = Math.min(n, start + SUM_BLOCK) * dim;
            sqErr += Reconstruction.mse(Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(xHat, from, to)) * (to - from);
        }
        return Map.of(MetricId.MSE, sqErr / ((double) n * dim));
    }
}
