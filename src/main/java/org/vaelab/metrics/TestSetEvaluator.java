package org.vaelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Likelihood;
import org.vaelab.model.NativeArrays;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeModel;

/**
 * Evaluates a trained model on the test set, all in nats per example (SCIENCE.md §3): ELBO, distortion (mean Rec),
 * rate (mean KL), active units (count and, per dimension, {@code z<j>/active}), per-dimension KL, mutual
 * information I(x; z), reconstruction MSE per pixel and, for Bernoulli models, BCE per image; optionally the
 * importance-weighted NLL.
 *
 * <p>Rec uses one posterior sample per image, drawn from the run's evaluation stream, so the ELBO is the usual
 * single-sample Monte-Carlo estimate; KL is analytic. For binarised data the test set is binarised once with a
 * fixed seed ({@link Binarization#STATIC_SEED}), so every run and every seed is scored on the same targets; MSE and
 * BCE compare those same targets with the decoder mean at z = μ. MI uses batches of {@value #CHUNK} consecutive
 * test images (B is reported as {@code model/mi_batch}); its samples and the IW-NLL's come from streams split off
 * the evaluation seed, so turning them on leaves every other number unchanged.
 */
public final class TestSetEvaluator {

    /** The threshold on Cov_x(E_q[z_u]) above which a unit counts as active (Burda et al. 2016). */
    public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    /** Images per encoder/decoder call, and the MI batch size B. */
    private static final int CHUNK = 500;

    /** The metrics and the posterior parameters of every test image (for {@code posterior.csv.gz}). */
    public record Evaluation(Map<MetricId, Double> metrics, Posterior posterior) {
        public Evaluation {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    private TestSetEvaluator() {
    }

    /** Every metric except the IW-NLL (which costs K decoder passes per image). */
    public static Evaluation evaluate(VaeModel model, ImageDataset test, Binarization binarization, long evalSeed) {
        return evaluate(model, test, binarization, evalSeed, 0);
    }

    /**
     * Every metric, plus the importance-weighted NLL with {@code iwSamples} samples per image if it is &gt; 0
     * ({@link IwNll#DEFAULT_K} = 5000 for final numbers; experiments leave it at 0 for now).
     *
     * @throws IllegalArgumentException if iwSamples &lt; 0
     */
    public static Evaluation evaluate(VaeModel model, ImageDataset test, Binarization binarization, long evalSeed,
                                      int iwSamples) {
        if (iwSamples < 0) throw new IllegalArgumentException("IW-NLL samples must be ≥ 0 (0 = off), got " + iwSamples);
        ImageDataset targets = binarization == Binarization.NONE ? test : Binarization.STATIC.prepare(test, Binarization.STATIC_SEED);
        int n = targets.n();
        int dim = targets.dim();
        int d = model.architecture().latentDim();
        boolean bernoulli = model.architecture().likelihood() == Likelihood.BERNOULLI;
        double[] mu = new double[n * d];
        double[] logvar = new double[n * d];
        double recSum = 0, sqErr = 0, bceSum = 0;
        SplittableRandom rng = new SplittableRandom(evalSeed);
        SplittableRandom streams = new SplittableRandom(evalSeed);   // a twin of rng, only ever split
        SplittableRandom miRng = streams.split();
        long iwSeed = streams.split().nextLong();
        for (int start = 0; start < n; start += CHUNK) {
            int b = Math.min(CHUNK, n - start);
            float[] xs = new float[b * dim];
            System.arraycopy(targets.pixels(), start * dim, xs, 0, b * dim);
            INDArray x = NativeArrays.rows(xs, b, dim);
            Posterior q = model.encode(x);
            System.arraycopy(q.mu(), 0, mu, start * d, b * d);
            System.arraycopy(q.logvar(), 0, logvar, start * d, b * d);
            float[] z = new float[b * d];
            for (int i = 0; i < b * d; i++)
                z[i] = (float) (q.mu()[i] + Math.exp(0.5 * q.logvar()[i]) * rng.nextGaussian());
            for (double r : model.reconstructionNll(x, NativeArrays.rows(z, b, d))) recSum += r;
            float[] zMean = new float[b * d];
            for (int i = 0; i < b * d; i++) zMean[i] = (float) q.mu()[i];
            INDArray muRows = NativeArrays.rows(zMean, b, d);
            float[] xHat = model.decode(muRows).castTo(DataType.FLOAT).dup('c').data().asFloat();
            sqErr += Reconstruction.mse(xs, xHat) * xs.length;
            // For a Bernoulli decoder −log p(x | z = μ) is the BCE, computed by the model from the logits.
            if (bernoulli) for (double r : model.reconstructionNll(x, muRows)) bceSum += r;
        }
        Posterior posterior = new Posterior(n, d, mu, logvar);
        double[] klPerDim = GaussianKl.perDimension(posterior);
        double kl = 0;
        for (double v : klPerDim) kl += v;
        double rec = recSum / n;
        List<Integer> active = ActiveUnits.activeDimensions(posterior, ACTIVE_UNIT_THRESHOLD);
        int miBatch = Math.min(CHUNK, n);
        Map<MetricId, Double> m = new LinkedHashMap<>();
        m.put(MetricId.ELBO, -(rec + kl));
        m.put(MetricId.REC, rec);
        m.put(MetricId.KL, kl);
        m.put(MetricId.ACTIVE_UNITS, (double) active.size());
        m.put(MetricId.MI, MutualInformation.of(posterior, miBatch, miRng));
        m.put(MetricId.MI_BATCH, (double) miBatch);
        m.put(MetricId.MSE, sqErr / ((double) n * dim));
        if (bernoulli) m.put(MetricId.BCE, bceSum / n);
        if (iwSamples > 0) {
            m.put(MetricId.IW_NLL, IwNll.of(model, targets, iwSamples, iwSeed).nll());
            m.put(MetricId.IW_K, (double) iwSamples);
        }
        for (int j = 0; j < d; j++) m.put(MetricId.klOfDim(j), klPerDim[j]);
        for (int j = 0; j < d; j++) m.put(MetricId.activeOfDim(j), active.contains(j) ? 1.0 : 0.0);
        return new Evaluation(m, posterior);
    }
}
