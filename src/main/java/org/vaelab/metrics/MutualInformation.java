package org.vaelab.metrics;

import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.vaelab.model.Posterior;

/**
 * Mutual information I(x; z) between data and latent code under the encoder, estimated as in Hoffman and Johnson
 * 2016 ("ELBO surgery") and He et al. 2019 ("Lagging inference networks", arXiv:1901.05534, official code
 * {@code calc_mi}):
 * <pre>  I = E_x E_{q(z|x)}[log q(z|x)] − E_x E_{q(z|x)}[log q(z)]</pre>
 * The first term is analytic, the negative entropy of a diagonal Gaussian,
 * {@code −(d/2)·log 2π − ½ Σ_j (1 + log σ_j²)}; the second draws one z per example and approximates the aggregate
 * posterior by the examples of its batch,
 * <pre>  log q(z) ≈ logsumexp_{x' in batch} log q(z | x') − log B</pre>
 * (the batch includes the example z was drawn from). The estimate is biased and cannot exceed about log B: always
 * report B. Batches are consecutive runs of B examples; a shorter last batch is estimated with its own size and
 * the batches are averaged weighted by their sizes, as He et al.'s evaluation loop does.
 */
public final class MutualInformation {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private MutualInformation() {
    }

    /**
     * The estimate in nats for the examples of {@code q}, in batches of B.
     *
     * @param batchSize B, 1 ≤ B ≤ n
     * @param rng       draws the one z per example
     * @throws IllegalArgumentException if B is out of range
     */
    public static double of(Posterior q, int batchSize, SplittableRandom rng) {
        int n = q.n(), d = q.d();
        if (batchSize < 1 || batchSize > n)
            throw new IllegalArgumentException("MI batch size B must be in [1, n = " + n + "], got " + batchSize);
        double[] mu = q.mu(), lv = q.logvar();
        double[] invVar = new double[n * d];
        double[] logNorm = new double[n];    // −½ Σ_j log σ_j² − (d/2) log 2π of each example
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                invVar[i * d + j] = Math.exp(-lv[i * d + j]);
                s += lv[i * d + j];
            }
            logNorm[i] = -0.5 * s - 0.5 * d * LOG_2PI;
        }
        double total = 0;
        double[] z = new double[d];
        double[] logDensity = new double[batchSize];
        for (int b0 = 0; b0 < n; b0 += batchSize) {
            int bs = Math.min(batchSize, n - b0);
            double[] dens = bs == batchSize ? logDensity : new double[bs];
            for (int i = b0; i < b0 + bs; i++) {
                double negEntropy = 0;
                for (int j = 0; j < d; j++) {
                    double l = lv[i * d + j];
                    z[j] = mu[i * d + j] + Math.exp(0.5 * l) * rng.nextGaussian();
                    negEntropy -= 0.5 * (1 + l);
                }
                negEntropy -= 0.5 * d * LOG_2PI;
                for (int k = b0; k < b0 + bs; k++) {
                    double quad = 0;
                    for (int j = 0; j < d; j++) {
                        double dev = z[j] - mu[k * d + j];
                        quad += dev * dev * invVar[k * d + j];
                    }
                    dens[k - b0] = logNorm[k] - 0.5 * quad;
                }
                double logQz = LogSumExp.mean(dens);
                total += negEntropy - logQz;
            }
        }
        return total / n;
    }

    /**
     * Samples the Gaussian-linear case that {@link #gaussianClosedForm} answers exactly: n posteriors whose means are
     * drawn from N(0, covOfMeans) (through its Cholesky factor) and whose variances are {@code posteriorVariances}.
     */
    public static Posterior sampleGaussianLinear(double[][] covOfMeans, double[] posteriorVariances, int n, long seed) {
        var l = new org.apache.commons.math3.linear.CholeskyDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(covOfMeans)).getL();
        SplittableRandom rng = new SplittableRandom(seed);
        int d = posteriorVariances.length;
        double[] mu = new double[n * d], lv = new double[n * d];
        double[] e = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) e[j] = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) s += l.getEntry(j, k) * e[k];
                mu[i * d + j] = s;
                lv[i * d + j] = Math.log(posteriorVariances[j]);
            }
        }
        return new Posterior(n, d, mu, lv);
    }

    /**
     * The exact I(x; z) for a Gaussian-linear encoder on Gaussian data: if the posterior means μ(x) are Gaussian
     * over the data with covariance {@code covOfMeans} and every example has the same posterior variances,
     * then z = μ(x) + σ·ε is Gaussian with covariance Cov(μ) + diag(σ²), and
     * <pre>  I(x; z) = H(z) − H(z|x) = ½ log det(Cov(μ) + diag(σ²)) − ½ Σ_j log σ_j²</pre>
     *
     * @param covOfMeans         d × d covariance of μ(x) over the data, symmetric positive semi-definite
     * @param posteriorVariances σ_j², d values &gt; 0
     */
    public static double gaussianClosedForm(double[][] covOfMeans, double[] posteriorVariances) {
        int d = posteriorVariances.length;
        if (covOfMeans.length != d)
            throw new IllegalArgumentException("covariance must be " + d + " × " + d + ", got " + covOfMeans.length + " rows");
        double[][] c = new double[d][d];
        double logDetS = 0;
        for (int j = 0; j < d; j++) {
            if (covOfMeans[j].length != d) throw new IllegalArgumentException("covariance must be square");
            if (!(posteriorVariances[j] > 0))
                throw new IllegalArgumentException("posterior variances must be > 0, got " + posteriorVariances[j]);
            for (int k = 0; k < d; k++) c[j][k] = covOfMeans[j][k];
            c[j][j] += posteriorVariances[j];
            logDetS += Math.log(posteriorVariances[j]);
        }
        RealMatrix l = new CholeskyDecomposition(new Array2DRowRealMatrix(c, false)).getL();
        double logDet = 0;
        for (int j = 0; j < d; j++) logDet += 2 * Math.log(l.getEntry(j, j));
        return 0.5 * logDet - 0.5 * logDetS;
    }
}
