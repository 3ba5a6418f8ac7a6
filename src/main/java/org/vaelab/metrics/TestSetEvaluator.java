package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeEngine;

/**
 * Evaluates a trained model on the test set: ELBO, distortion (mean Rec), rate (mean KL), per-dimension KL and
 * active units, all in nats per example (SCIENCE.md §3).
 *
 * <p>Rec uses one posterior sample per image, drawn from the run's evaluation stream, so the ELBO is the usual
 * single-sample Monte-Carlo estimate; KL is analytic. For binarised data the test set is binarised once with a
 * fixed seed ({@link Binarization#STATIC_SEED}), so every run and every seed is scored on the same targets.
 */
public final class TestSetEvaluator {

    /** The threshold on Cov_x(E_q[z_u]) above which a unit counts as active (Burda et al. 2016). */
    public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    private static final int CHUNK = 500;

    /** The metrics and the posterior parameters of every test image (for {@code posterior.csv.gz}). */
    public record Evaluation(Map<MetricId, Double> metrics, Posterior posterior) {
        public Evaluation {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    private TestSetEvaluator() {
    }

    public static Evaluation evaluate(VaeEngine engine, ImageDataset test, Binarization binarization, long evalSeed) {
        ImageDataset targets = binarization == Binarization.NONE ? test : Binarization.STATIC.prepare(test, Binarization.STATIC_SEED);
        int n = targets.n();
        int dim = targets.dim();
        int d = engine.architecture().latentDim();
        double[] mu = new double[n * d];
        double[] logvar = new double[n * d];
        double recSum = 0;
        SplittableRandom rng = new SplittableRandom(evalSeed);
        for (int start = 0; start < n; start += CHUNK) {
            int b = Math.min(CHUNK, n - start);
            float[] xs = new float[b * dim];
            System.arraycopy(targets.pixels(), start * dim, xs, 0, b * dim);
            INDArray x = Nd4j.create(xs, new long[] {b, dim}, 'c');
            Posterior q = engine.encode(x);
            System.arraycopy(q.mu(), 0, mu, start * d, b * d);
            System.arraycopy(q.logvar(), 0, logvar, start * d, b * d);
            float[] z = new float[b * d];
            for (int i = 0; i < b * d; i++)
                z[i] = (float) (q.mu()[i] + Math.exp(0.5 * q.logvar()[i]) * rng.nextGaussian());
            for (double r : engine.reconstructionNll(x, Nd4j.create(z, new long[] {b, d}, 'c'))) recSum += r;
        }
        Posterior posterior = new Posterior(n, d, mu, logvar);
        double[] klPerDim = GaussianKl.perDimension(posterior);
        double kl = 0;
        for (double v : klPerDim) kl += v;
        double rec = recSum / n;
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, -(rec + kl));
        m.put(MetricId.REC, rec);
        m.put(MetricId.KL, kl);
        m.put(MetricId.ACTIVE_UNITS, (double) ActiveUnits.of(posterior, ACTIVE_UNIT_THRESHOLD));
        for (int j = 0; j < d; j++) m.put(MetricId.klOfDim(j), klPerDim[j]);
        return new Evaluation(m, posterior);
    }
}
