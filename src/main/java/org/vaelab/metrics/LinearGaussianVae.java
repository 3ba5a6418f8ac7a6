package org.vaelab.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.model.Activation;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.VaeModel;

/**
 * A linear-Gaussian latent-variable model (probabilistic PCA; Tipping and Bishop 1999) behind the
 * {@link VaeModel} interface, so that estimators which go through a model ({@link IwNll}, and
 * {@link MutualInformation} on encoded data) can be checked against closed forms. It lives in main code, not only
 * in tests, because the {@code metrics-check} experiment runs the same checks at larger sizes.
 *
 * <pre>  p(z) = N(0, I_d),   p(x|z) = N(W z + b, σ² I_D),   so   p(x) = N(b, C),  C = W Wᵀ + σ² I_D</pre>
 * With mutually orthogonal columns w_j of W (any lengths) the exact posterior is diagonal and fits
 * {@link Posterior}:
 * <pre>  μ_j(x) = w_jᵀ(x − b) / (‖w_j‖² + σ²),   σ_j² = σ² / (‖w_j‖² + σ²)</pre>
 * With it every importance weight p(x, z)/q(z|x) equals p(x): the IW estimate has zero variance. The encoder can
 * be made deliberately wrong ({@link #withEncoderError}): μ_j + shift and log σ_j² + logvarShift; then the ELBO
 * is strictly below log p(x) and the IW bound tightens with K. The exact aggregate posterior is the prior, so the
 * mutual information of the exact encoder is {@code I(x; z) = ½ Σ_j log(1 + ‖w_j‖²/σ²)}.
 *
 * <p>Everything is computed in double precision (FLOAT inputs are widened). Nothing here is trained.
 */
public final class LinearGaussianVae implements VaeModel {

    private final double[][] w;      // D × d
    private final double[] b;
    private final double sigma;
    private final double muShift, logvarShift;
    private final int dim, d;
    private final double[] colNorm2;
    private final RealMatrix cInverse;
    private final double logDetC;
    private final VaeArchitecture arch;

    /**
     * @param w     D × d loading matrix with mutually orthogonal, non-zero columns
     * @param b     mean of x, length D
     * @param sigma observation noise standard deviation, &gt; 0
     * @throws IllegalArgumentException if the shapes disagree, σ ≤ 0, or two columns are not orthogonal
     *                                  (|w_iᵀw_j| &gt; 1e-9·‖w_i‖‖w_j‖)
     */
    public LinearGaussianVae(double[][] w, double[] b, double sigma) {
        this(copy(w), b.clone(), sigma, 0, 0);
    }

    private LinearGaussianVae(double[][] w, double[] b, double sigma, double muShift, double logvarShift) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException("σ must be finite and > 0, got " + sigma);
        this.dim = w.length;
        if (dim < 1 || b.length != dim)
            throw new IllegalArgumentException("W must be D × d with D = b.length ≥ 1, got " + dim + " rows and b of " + b.length);
        this.d = w[0].length;
        for (double[] row : w)
            if (row.length != d) throw new IllegalArgumentException("W rows differ in length");
        this.w = w;
        this.b = b;
        this.sigma = sigma;
        this.muShift = muShift;
        this.logvarShift = logvarShift;
        colNorm2 = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < dim; i++) colNorm2[j] += w[i][j] * w[i][j];
            if (!(colNorm2[j] > 0)) throw new IllegalArgumentException("column " + j + " of W is zero");
        }
        for (int j = 0; j < d; j++)
            for (int k = j + 1; k < d; k++) {
                double dot = 0;
                for (int i = 0; i < dim; i++) dot += w[i][j] * w[i][k];
                if (Math.abs(dot) > 1e-9 * Math.sqrt(colNorm2[j] * colNorm2[k]))
                    throw new IllegalArgumentException("columns " + j + " and " + k + " of W are not orthogonal (dot "
                            + dot + "): the exact posterior would not be diagonal");
            }
        // log p(x) through a Cholesky factor of the full covariance: independent of the posterior algebra above.
        double[][] c = new double[dim][dim];
        for (int i = 0; i < dim; i++)
            for (int k = 0; k < dim; k++) {
                double s = i == k ? sigma * sigma : 0;
                for (int j = 0; j < d; j++) s += w[i][j] * w[k][j];
                c[i][k] = s;
            }
        CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(c, false));
        cInverse = chol.getSolver().getInverse();
        double ld = 0;
        RealMatrix l = chol.getL();
        for (int i = 0; i < dim; i++) ld += 2 * Math.log(l.getEntry(i, i));
        logDetC = ld;
        arch = new VaeArchitecture(dim, List.of(), d, List.of(), Activation.RELU,
                org.vaelab.model.Likelihood.GAUSSIAN, sigma);
    }

    /**
     * A model with D × d loadings whose columns are orthogonal directions (Gram–Schmidt on Gaussian draws) with
     * lengths {@code scales[j]}, and b drawn from N(0, 1).
     */
    public static LinearGaussianVae random(int dim, double[] scales, double sigma, long seed) {
        int d = scales.length;
        if (d < 1 || d > dim) throw new IllegalArgumentException("need 1 ≤ d ≤ D, got d = " + d + ", D = " + dim);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] cols = new double[d][dim];
        for (int j = 0; j < d; j++) {
            double[] v = cols[j];
            for (int i = 0; i < dim; i++) v[i] = rng.nextGaussian();
            for (int pass = 0; pass < 2; pass++)   // twice: classical Gram–Schmidt loses orthogonality once
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < dim; i++) dot += v[i] * cols[k][i];
                    for (int i = 0; i < dim; i++) v[i] -= dot * cols[k][i];
                }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < dim; i++) v[i] /= norm;
        }
        double[][] w = new double[dim][d];
        for (int i = 0; i < dim; i++)
            for (int j = 0; j < d; j++) w[i][j] = scales[j] * cols[j][i];
        double[] b = new double[dim];
        for (int i = 0; i < dim; i++) b[i] = rng.nextGaussian();
        return new LinearGaussianVae(w, b, sigma, 0, 0);
    }

    /** The same model with a deliberately wrong encoder: μ_j + muShift, log σ_j² + logvarShift. */
    public LinearGaussianVae withEncoderError(double muShift, double logvarShift) {
        return new LinearGaussianVae(w, b, sigma, muShift, logvarShift);
    }

    /** Exact log p(x) = log N(x; b, WWᵀ + σ²I), nats. */
    public double logLikelihood(double[] x) {
        checkLength(x);
        double[] r = new double[dim];
        for (int i = 0; i < dim; i++) r[i] = x[i] - b[i];
        double quad = 0;
        for (int i = 0; i < dim; i++) {
            double s = 0;
            for (int k = 0; k < dim; k++) s += cInverse.getEntry(i, k) * r[k];
            quad += r[i] * s;
        }
        return -0.5 * (dim * Math.log(2 * Math.PI) + logDetC + quad);
    }

    /**
     * Closed-form ELBO of x under this model's encoder (exact or with its error):
     * {@code E_q[log p(x|z)] − KL(q ‖ N(0, I))} with
     * {@code E_q‖x − Wz − b‖² = ‖x − Wm − b‖² + Σ_j ‖w_j‖² s_j²} for q = N(m, diag(s²)).
     */
    public double elbo(double[] x) {
        checkLength(x);
        double[] m = new double[d], lv = new double[d];
        posterior(x, m, lv);
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            double r = x[i] - b[i];
            for (int j = 0; j < d; j++) r -= w[i][j] * m[j];
            sq += r * r;
        }
        double kl = 0;
        for (int j = 0; j < d; j++) {
            sq += colNorm2[j] * Math.exp(lv[j]);
            kl += GaussianKl.of(m[j], lv[j]);
        }
        return -sq / (2 * sigma * sigma) - 0.5 * dim * Math.log(2 * Math.PI * sigma * sigma) - kl;
    }

    /** I(x; z) of the exact encoder under the model's own data distribution: ½ Σ_j log(1 + ‖w_j‖²/σ²). */
    public double exactMutualInformation() {
        double s = 0;
        for (int j = 0; j < d; j++) s += 0.5 * Math.log1p(colNorm2[j] / (sigma * sigma));
        return s;
    }

    /** n draws x ~ p(x), n × D. */
    public double[][] sample(int n, SplittableRandom rng) {
        double[][] x = new double[n][dim];
        double[] z = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) z[j] = rng.nextGaussian();
            for (int i = 0; i < dim; i++) {
                double s = b[i] + sigma * rng.nextGaussian();
                for (int j = 0; j < d; j++) s += w[i][j] * z[j];
                row[i] = s;
            }
        }
        return x;
    }

    private void posterior(double[] x, double[] mu, double[] logvar) {
        double s2 = sigma * sigma;
        for (int j = 0; j < d; j++) {
            double dot = 0;
            for (int i = 0; i < dim; i++) dot += w[i][j] * (x[i] - b[i]);
            mu[j] = dot / (colNorm2[j] + s2) + muShift;
            logvar[j] = Math.log(s2 / (colNorm2[j] + s2)) + logvarShift;
        }
    }

    private void checkLength(double[] x) {
        if (x.length != dim) throw new IllegalArgumentException("x must have D = " + dim + " entries, got " + x.length);
    }

    // ------------------------------------------------------------------ VaeModel

    @Override
    public VaeArchitecture architecture() {
        return arch;
    }

    @Override
    public Posterior encode(INDArray x) {
        double[] xs = rows(x, dim, "x");
        int n = xs.length / dim;
        double[] mu = new double[n * d], lv = new double[n * d];
        double[] row = new double[dim], m = new double[d], l = new double[d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(xs, r * dim, row, 0, dim);
            posterior(row, m, l);
            System.arraycopy(m, 0, mu, r * d, d);
            System.arraycopy(l, 0, lv, r * d, d);
        }
        return new Posterior(n, d, mu, lv);
    }

    @Override
    public double[] reconstructionNll(INDArray x, INDArray z) {
        double[] xs = rows(x, dim, "x"), zs = rows(z, d, "z");
        int n = xs.length / dim;
        if (zs.length / d != n)
            throw new IllegalArgumentException("x and z must have equal rows, got " + n + " and " + zs.length / d);
        double konst = 0.5 * dim * Math.log(2 * Math.PI * sigma * sigma);
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            double sq = 0;
            for (int i = 0; i < dim; i++) {
                double e = xs[r * dim + i] - b[i];
                for (int j = 0; j < d; j++) e -= w[i][j] * zs[r * d + j];
                sq += e * e;
            }
            out[r] = sq / (2 * sigma * sigma) + konst;
        }
        return out;
    }

    /** The mean W z + b (not squashed: this model's x is unbounded). */
    @Override
    public INDArray decode(INDArray z) {
        double[] zs = rows(z, d, "z");
        int n = zs.length / d;
        double[] out = new double[n * dim];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < dim; i++) {
                double s = b[i];
                for (int j = 0; j < d; j++) s += w[i][j] * zs[r * d + j];
                out[r * dim + i] = s;
            }
        return Nd4j.create(out, new long[]{n, dim}, 'c');
    }

    /** W and b: D·d + D numbers. */
    @Override
    public long parameterCount() {
        return (long) dim * d + dim;
    }

    /** The rows of a as one row-major double array (toDoubleMatrix goes row by row and is slow). */
    private static double[] rows(INDArray a, int cols, String what) {
        if (a.rank() != 2 || a.columns() != cols)
            throw new IllegalArgumentException(what + " must be n × " + cols + ", got shape " + Arrays.toString(a.shape()));
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
