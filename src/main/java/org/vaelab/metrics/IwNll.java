package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.NativeArrays;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeModel;

/**
 * Importance-weighted estimate of the negative log-likelihood (Burda, Grosse and Salakhutdinov 2016,
 * "Importance Weighted Autoencoders", arXiv:1509.00519, eq. 8 used as an estimator of log p(x)):
 * <pre>  log p(x) ≈ L_K = log (1/K) Σ_k w_k,   log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x),   z_k ~ q(z|x)</pre>
 * and NLL = −L_K in nats per image. E[L_K] ≤ log p(x) for every K, E[L_1] is the ELBO, and E[L_K] increases
 * to log p(x) as K grows (Burda et al., Theorem 1), so the reported NLL is an upper bound (in expectation) that
 * tightens with K. The paper uses K = 5000 ({@link #DEFAULT_K}); always report the K used with the number.
 *
 * <p>How it is computed: every image gets its own random stream (split in image order from {@code seed}), and
 * its K samples are reduced by a {@link LogSumExp.Running} log-mean-exp, so the result depends neither on
 * the chunk sizes nor on the order of the decoder calls, and any K fits in bounded memory. The decoder is called
 * on chunks of at most {@code rowsPerCall} rows, each row one (image, sample) pair, scored against its image in place
 * ({@link VaeModel#reconstructionNll(INDArray, int, INDArray)}); with K ≤ rowsPerCall several images share a call. With z = μ + σ·ε the densities are evaluated
 * at exactly the z the decoder sees (rounded to the data's precision), with the constant −(d/2)·log 2π of
 * log p(z) and log q(z|x) cancelled:
 * <pre>  log w = −Rec(x, z) − ½‖z‖² + ½ Σ_j ((z_j − μ_j)/σ_j)² + ½ Σ_j log σ_j²</pre>
 *
 * <p>Cost: K·n decoder passes, e.g. 5·10⁷ for K = 5000 on a 10,000-image test set, so it is off by default in
 * {@link TestSetEvaluator}.
 */
public final class IwNll {

    /** The number of importance samples of Burda et al. 2016 for final numbers. */
    public static final int DEFAULT_K = 5000;

    /**
     * K of every report by default: 100 samples on every test image, about a quarter of the shootout's training time
     * (10,000 images × 100 = 10⁶ decoder passes ≈ 7 s against ≈ 30 s of training), so that every report states a
     * likelihood and the ELBO's gap to it. Claims that rest on the likelihood should use {@link #DEFAULT_K}.
     */
    public static final int REPORT_K = 100;
    /** Rows (image × sample pairs) per decoder call: 4096 × 784 floats is 13 MB. */
    public static final int DEFAULT_ROWS_PER_CALL = 4096;

    private IwNll() {
    }

    /**
     * The estimate for a set of images.
     *
     * @param nll           mean over images of −L_K, nats per image
     * @param perImage      −L_K of every image, nats
     * @param k             importance samples per image
     * @param elbo          mean over all images and samples of log w: an unbiased estimate of the ELBO with
     *                      K samples per image; {@code −nll ≥ elbo} always (Jensen, per image)
     * @param standardError standard error of {@code nll} over images (sample std / √n; NaN for one image):
     *                      the spread of the test set, not the sampling error of the estimate
     * @param monteCarloError sampling (Monte-Carlo) standard error of {@code nll} for these images, by the delta
     *                      method: image i contributes {@code Var(log mean w) ≈ 1/ESS_i − 1/K} with the Kish
     *                      effective sample size {@code ESS_i = (Σ_k w_k)² / Σ_k w_k²}; 0 when all weights are
     *                      equal (exact posterior). Heavy-tailed weights make it an underestimate, so a small
     *                      ESS relative to K means "increase K", not "trust the error bar"
     * @param meanEss       mean over images of ESS_i, between 1 and K
     * @param prefixNll     the estimate from each image's first K' samples, for every K' of {@link #prefixes(int)}
     *                      (1, 10, 100, … below K), ascending: how the estimate moves with K, at no extra decoder
     *                      pass. Each is an unbiased estimate of E[−L_K'] for its K'; they share samples, so their
     *                      differences are much less noisy than those of independent estimates
     */
    public record Result(double nll, double[] perImage, int k, double elbo, double standardError,
                         double monteCarloError, double meanEss, SortedMap<Integer, Double> prefixNll) {
        public Result {
            perImage = perImage.clone();
            prefixNll = Collections.unmodifiableSortedMap(new TreeMap<>(prefixNll));
        }

        @Override
        public double[] perImage() {
            return perImage.clone();
        }
    }

    /** The K' of {@link Result#prefixNll} for an estimate with K samples: the powers of ten below K. */
    public static int[] prefixes(int k) {
        List<Integer> out = new ArrayList<>();
        for (long p = 1; p < k; p *= 10) out.add((int) p);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * −L_K from given log-weights {@code log w_k} of one image: {@code −(logsumexp_k log w_k − log K)}.
     *
     * @throws IllegalArgumentException if there are no weights
     */
    public static double of(double[] logWeights) {
        return -LogSumExp.mean(logWeights);
    }

    /** The estimate over a data set's images (pixels as stored; binarise first if the model was scored so). */
    public static Result of(VaeModel model, ImageDataset images, int k, long seed) {
        return of(model, images, k, seed, DEFAULT_ROWS_PER_CALL);
    }

    /**
     * The estimate over a data set's images, with at most {@code rowsPerCall} rows per decoder call.
     *
     * @throws IllegalArgumentException if k or rowsPerCall is &lt; 1, or the images do not fit the model
     */
    public static Result of(VaeModel model, ImageDataset images, int k, long seed, int rowsPerCall) {
        return run(model, new Rows(images.n(), images.dim(), images.pixels(), null), k, seed, rowsPerCall);
    }

    /** The estimate for the rows of x (n × D); see {@link #of(VaeModel, INDArray, int, long, int)}. */
    public static Result of(VaeModel model, INDArray x, int k, long seed) {
        return of(model, x, k, seed, DEFAULT_ROWS_PER_CALL);
    }

    /**
     * The estimate for the rows of x (n × D). A DOUBLE array keeps double precision through the decoder calls
     * (the known-answer tests rely on it); any other type is passed on as FLOAT.
     *
     * @throws IllegalArgumentException if k or rowsPerCall is &lt; 1, or x does not fit the model
     */
    public static Result of(VaeModel model, INDArray x, int k, long seed, int rowsPerCall) {
        if (x.rank() != 2) throw new IllegalArgumentException("x must be n × D, got shape " + Arrays.toString(x.shape()));
        INDArray c = x.dup('c');
        int n = x.rows(), dim = x.columns();
        Rows rows = x.dataType() == DataType.DOUBLE
                ? new Rows(n, dim, null, c.data().asDouble())
                : new Rows(n, dim, c.castTo(DataType.FLOAT).data().asFloat(), null);
        return run(model, rows, k, seed, rowsPerCall);
    }

    /** Images as one flat row-major array, float or double. */
    private record Rows(int n, int dim, float[] f, double[] d) {
        boolean isDouble() {
            return d != null;
        }
    }

    private static Result run(VaeModel model, Rows x, int k, long seed, int rowsPerCall) {
        if (k < 1) throw new IllegalArgumentException("importance samples K must be ≥ 1, got " + k);
        if (rowsPerCall < 1) throw new IllegalArgumentException("rows per decoder call must be ≥ 1, got " + rowsPerCall);
        int n = x.n(), dim = x.dim(), d = model.architecture().latentDim();
        if (n < 1) throw new IllegalArgumentException("IW-NLL of zero images is undefined");
        if (dim != model.architecture().inputDim())
            throw new IllegalArgumentException("images have " + dim + " pixels, the model expects "
                    + model.architecture().inputDim());
        int samplesPerCall = Math.min(k, rowsPerCall);
        int imagesPerCall = Math.max(1, rowsPerCall / samplesPerCall);

        SplittableRandom root = new SplittableRandom(seed);
        Scratch scratch = new Scratch(x, imagesPerCall * samplesPerCall, d);
        int[] prefixes = prefixes(k);
        double[] prefixSum = new double[prefixes.length];
        double[] perImage = new double[n];
        double logWeightSum = 0, essSum = 0, mcVar = 0;
        for (int i0 = 0; i0 < n; i0 += imagesPerCall) {
            int bi = Math.min(imagesPerCall, n - i0);
            INDArray images = slice(x, i0, bi);
            Posterior q = model.encode(images);
            // σ = exp(½·log σ²) once per image and dimension, not once per sample (K exps saved per entry).
            double[] sdOf = new double[bi * d];
            for (int i = 0; i < bi; i++) for (int j = 0; j < d; j++) sdOf[i * d + j] = Math.exp(0.5 * q.logvar(i, j));
            SplittableRandom[] rng = new SplittableRandom[bi];
            LogSumExp.Running[] acc = new LogSumExp.Running[bi], acc2 = new LogSumExp.Running[bi];
            LogSumExp.Running[][] prefixAcc = new LogSumExp.Running[bi][prefixes.length];
            for (int i = 0; i < bi; i++) {
                rng[i] = root.split();
                acc[i] = new LogSumExp.Running();
                acc2[i] = new LogSumExp.Running();   // of 2·log w, for Σ w² (effective sample size)
                for (int p = 0; p < prefixes.length; p++) prefixAcc[i][p] = new LogSumExp.Running();
            }
            for (int s0 = 0; s0 < k; s0 += samplesPerCall) {
                int sc = Math.min(samplesPerCall, k - s0), rows = bi * sc;
                double[] z = new double[rows * d];
                double[] logPriorOverQ = new double[rows];
                for (int i = 0; i < bi; i++)
                    for (int s = 0; s < sc; s++) {
                        int r = i * sc + s;
                        double logRatio = 0;
                        for (int j = 0; j < d; j++) {
                            double mu = q.mu(i, j), lv = q.logvar(i, j), sd = sdOf[i * d + j];
                            double zj = mu + sd * rng[i].nextGaussian();
                            if (!x.isDouble()) zj = (float) zj;   // the value the decoder will see
                            z[r * d + j] = zj;
                            double e = (zj - mu) / sd;
                            logRatio += -0.5 * zj * zj + 0.5 * e * e + 0.5 * lv;
                        }
                        logPriorOverQ[r] = logRatio;
                    }
                double[] rec = model.reconstructionNll(images, sc, scratch.latents(z, rows));
                for (int i = 0; i < bi; i++)
                    for (int s = 0; s < sc; s++) {
                        int r = i * sc + s;
                        double logW = -rec[r] + logPriorOverQ[r];
                        acc[i].add(logW);
                        acc2[i].add(2 * logW);
                        logWeightSum += logW;
                        // The image's first K' samples, whichever call they came in (samples are in stream order).
                        for (int p = prefixes.length - 1; p >= 0 && s0 + s < prefixes[p]; p--) prefixAcc[i][p].add(logW);
                    }
            }
            for (int i = 0; i < bi; i++) {
                perImage[i0 + i] = -acc[i].logMean();
                for (int p = 0; p < prefixes.length; p++) prefixSum[p] -= prefixAcc[i][p].logMean();
                double ess = Math.exp(2 * acc[i].logSum() - acc2[i].logSum());
                essSum += ess;
                mcVar += Math.max(0, 1 / ess - 1.0 / k);
            }
        }
        double mean = 0;
        for (double v : perImage) mean += v;
        mean /= n;
        double se = Double.NaN;
        if (n > 1) {
            double ss = 0;
            for (double v : perImage) ss += (v - mean) * (v - mean);
            se = Math.sqrt(ss / (n - 1) / n);
        }
        SortedMap<Integer, Double> prefixNll = new TreeMap<>();
        for (int p = 0; p < prefixes.length; p++) prefixNll.put(prefixes[p], prefixSum[p] / n);
        return new Result(mean, perImage, k, logWeightSum / ((double) n * k), se, Math.sqrt(mcVar) / n, essSum / n,
                prefixNll);
    }

    /** Images i0 … i0+count−1 as a count × D array. */
    private static INDArray slice(Rows x, int i0, int count) {
        int dim = x.dim();
        if (x.isDouble()) {
            double[] out = new double[count * dim];
            System.arraycopy(x.d(), i0 * dim, out, 0, count * dim);
            return NativeArrays.rows(out, count, dim);
        }
        float[] out = new float[count * dim];
        System.arraycopy(x.f(), i0 * dim, out, 0, count * dim);
        return NativeArrays.rows(out, count, dim);
    }

    /**
     * The decoder's latents of one call, in a native array allocated once per estimate and reused (a view of its first
     * rows for a shorter last call): a fresh 13 MB pair of inputs per call made the heap and native memory grow to
     * over 1 GB in {@code bench}, and ND4J's element-wise copy from Java arrays took a tenth of the time. The images
     * are not repeated for their K samples: {@link VaeModel#reconstructionNll(INDArray, int, INDArray)} scores each
     * sample against its image.
     */
    private static final class Scratch {
        private final Rows x;
        private final int d;
        private final INDArray zs;

        Scratch(Rows x, int maxRows, int d) {
            this.x = x;
            this.d = d;
            DataType type = x.isDouble() ? DataType.DOUBLE : DataType.FLOAT;
            zs = Nd4j.create(type, new long[]{maxRows, d}, 'c');
        }

        /** z (rows × d, row-major) in the data's precision. */
        INDArray latents(double[] z, int rows) {
            if (x.isDouble()) {
                zs.data().asNioDouble().put(0, z, 0, rows * d);
            } else {
                float[] f = new float[rows * d];
                for (int i = 0; i < f.length; i++) f[i] = (float) z[i];
                zs.data().asNioFloat().put(0, f, 0, f.length);
            }
            return firstRows(zs, rows);
        }

        private static INDArray firstRows(INDArray a, int rows) {
            return rows == a.rows() ? a : a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }
    }
}
