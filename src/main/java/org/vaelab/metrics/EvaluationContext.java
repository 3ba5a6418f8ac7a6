package org.vaelab.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Likelihood;
import org.vaelab.model.NativeArrays;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeModel;

/**
 * Everything the metrics of one run are computed from, computed once (as Tribuo's evaluators build a context before
 * running their metrics): the posterior of every evaluation image, the reconstruction terms, the targets, the ground
 * truth where the data set has it, and, lazily, importance-sampled likelihoods.
 *
 * <p>Built by {@link #of(VaeModel, ImageDataset, GroundTruth, Binarization, long, int)} in one pass over the
 * evaluation images, {@code chunkSize} images per encoder and decoder call. The chunk size is a performance setting
 * only: every random draw is made per image in image order, so the estimators do not depend on it (the engine's
 * float rounding may, as for any change of batch size). Metric parameters (such as the MI mixture size B) belong to
 * the metrics, never to the context.
 *
 * <p>Random streams: {@link #stream(int)} gives stream i, the (i+1)-th split of a twin of the evaluation stream,
 * so that each sampling metric draws from its own stream and switching one on or off leaves every other number
 * unchanged. Stream numbers in use: {@value #MI_STREAM} (mutual information), {@value #IW_STREAM} (IW-NLL); a new
 * sampling metric takes the next free number.
 *
 * <p>A context built from an engine uses it lazily for {@link #importanceSampled(int)}: use the context only while the
 * engine is open. The arrays returned are the context's own (not copied, for speed): do not modify them.
 */
public final class EvaluationContext {

    /** Images per encoder/decoder call by default (500: the value behind every recorded number). */
    public static final int DEFAULT_CHUNK = 500;
    /** The stream of {@link MutualInformationMetric}. */
    public static final int MI_STREAM = 0;
    /** The stream whose first long seeds {@link IwNllMetric}. */
    public static final int IW_STREAM = 1;

    private final Posterior posterior;
    private final double[] reconstructionTerms;
    private final ImageDataset targets;
    private final float[] meanReconstructions;
    private final double[] reconstructionTermsAtMean;
    private final Likelihood likelihood;
    private final GroundTruth truth;
    private final long evalSeed;
    private final IntFunction<IwNll.Result> importanceSampler;
    private final Map<Integer, IwNll.Result> importanceSampled = new HashMap<>();

    /**
     * A context from computed parts (tests, or terms computed elsewhere).
     *
     * @param posterior                 μ and log σ² of every evaluation image (n × d)
     * @param reconstructionTerms       −log p(x_i | z_i) with one z_i ~ q(z | x_i) per image, nats (n values)
     * @param targets                   the images scored, binarised if the model was trained on binarised data
     * @param meanReconstructions       decoder mean E[x | z = μ(x)], n × D row-major
     * @param reconstructionTermsAtMean −log p(x_i | z = μ_i) per image (n values) for a Bernoulli decoder, else null
     * @param likelihood                the decoder's likelihood
     * @param truth                     labels and factors where known, {@link GroundTruth#NONE} otherwise
     * @param evalSeed                  the run's evaluation seed, root of {@link #stream(int)}
     * @param importanceSampler         K ↦ the IW-NLL estimate with K samples per image, or null if the model cannot be
     *                                  sampled (then {@link VaeMetric.Requirement#IMPORTANCE_SAMPLES} is unmet)
     * @throws IllegalArgumentException naming the first array whose size does not fit n, d or D
     */
    public EvaluationContext(Posterior posterior, double[] reconstructionTerms, ImageDataset targets,
                             float[] meanReconstructions, double[] reconstructionTermsAtMean, Likelihood likelihood,
                             GroundTruth truth, long evalSeed, IntFunction<IwNll.Result> importanceSampler) {
        this.posterior = Objects.requireNonNull(posterior, "posterior");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.likelihood = Objects.requireNonNull(likelihood, "likelihood");
        this.truth = Objects.requireNonNull(truth, "ground truth");
        int n = posterior.n();
        if (n < 1) throw new IllegalArgumentException("an evaluation needs at least one image, got n = 0");
        if (targets.n() != n)
            throw new IllegalArgumentException("targets have " + targets.n() + " images, the posterior " + n);
        if (reconstructionTerms.length != n)
            throw new IllegalArgumentException("reconstruction terms: " + reconstructionTerms.length + " values for " + n + " images");
        if (meanReconstructions.length != (long) n * targets.dim())
            throw new IllegalArgumentException("mean reconstructions: " + meanReconstructions.length + " values for " + n
                    + " images of " + targets.dim() + " pixels");
        if ((likelihood == Likelihood.BERNOULLI) != (reconstructionTermsAtMean != null))
            throw new IllegalArgumentException("reconstruction terms at z = μ are given iff the decoder is Bernoulli; "
                    + "decoder " + likelihood + ", terms " + (reconstructionTermsAtMean == null ? "absent" : "present"));
        if (reconstructionTermsAtMean != null && reconstructionTermsAtMean.length != n)
            throw new IllegalArgumentException("reconstruction terms at z = μ: " + reconstructionTermsAtMean.length
                    + " values for " + n + " images");
        truth.n().ifPresent(m -> {
            if (m != n) throw new IllegalArgumentException("ground truth describes " + m + " images, the evaluation has " + n);
        });
        this.reconstructionTerms = reconstructionTerms;
        this.meanReconstructions = meanReconstructions;
        this.reconstructionTermsAtMean = reconstructionTermsAtMean;
        this.evalSeed = evalSeed;
        this.importanceSampler = importanceSampler;
    }

    /**
     * Encodes and decodes the evaluation images once. For binarised data the images are binarised once with the
     * fixed seed {@link Binarization#STATIC_SEED}, so every run and seed is scored on the same targets. Each image
     * gets one z = μ + σ·ε, ε drawn from the evaluation stream in image order, for its reconstruction term; the
     * decoder mean and (Bernoulli) the term at z = μ come from the same pass.
     *
     * @param chunkSize images per encoder/decoder call, ≥ 1 (performance only; {@link #DEFAULT_CHUNK})
     * @throws IllegalArgumentException if chunkSize &lt; 1 or the ground truth does not describe the test images
     */
    public static EvaluationContext of(VaeModel engine, ImageDataset test, GroundTruth truth, Binarization binarization,
                                       long evalSeed, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("evaluation chunk size must be ≥ 1, got " + chunkSize);
        ImageDataset targets = binarization == Binarization.NONE ? test
                : Binarization.STATIC.prepare(test, Binarization.STATIC_SEED);
        int n = targets.n(), dim = targets.dim(), d = engine.architecture().latentDim();
        boolean bernoulli = engine.architecture().likelihood() == Likelihood.BERNOULLI;
        double[] mu = new double[n * d], logvar = new double[n * d];
        double[] rec = new double[n];
        double[] recAtMean = bernoulli ? new double[n] : null;
        float[] xHat = new float[n * dim];
        SplittableRandom rng = new SplittableRandom(evalSeed);
        for (int start = 0; start < n; start += chunkSize) {
            int b = Math.min(chunkSize, n - start);
            float[] xs = new float[b * dim];
            System.arraycopy(targets.pixels(), start * dim, xs, 0, b * dim);
            INDArray x = NativeArrays.rows(xs, b, dim);
            Posterior q = engine.encode(x);
            System.arraycopy(q.mu(), 0, mu, start * d, b * d);
            System.arraycopy(q.logvar(), 0, logvar, start * d, b * d);
            float[] z = new float[b * d];
            for (int i = 0; i < b * d; i++)
                z[i] = (float) (q.mu()[i] + Math.exp(0.5 * q.logvar()[i]) * rng.nextGaussian());
            System.arraycopy(engine.reconstructionNll(x, NativeArrays.rows(z, b, d)), 0, rec, start, b);
            float[] zMean = new float[b * d];
            for (int i = 0; i < b * d; i++) zMean[i] = (float) q.mu()[i];
            INDArray muRows = NativeArrays.rows(zMean, b, d);
            float[] decoded = engine.decode(muRows).castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(decoded, 0, xHat, start * dim, b * dim);
            // For a Bernoulli decoder −log p(x | z = μ) is the BCE, computed by the engine from the logits.
            if (bernoulli) System.arraycopy(engine.reconstructionNll(x, muRows), 0, recAtMean, start, b);
        }
        long iwSeed = new EvaluationContext.Streams(evalSeed).stream(IW_STREAM).nextLong();
        return new EvaluationContext(new Posterior(n, d, mu, logvar), rec, targets, xHat, recAtMean,
                engine.architecture().likelihood(), truth, evalSeed, k -> IwNll.of(engine, targets, k, iwSeed));
    }

    /** μ and log σ² of every evaluation image. */
    public Posterior posterior() {
        return posterior;
    }

    /** Number of evaluation images. */
    public int n() {
        return posterior.n();
    }

    /** Latent dimensions. */
    public int latentDim() {
        return posterior.d();
    }

    /** −log p(x_i | z_i) with one z_i ~ q(z | x_i) per image from the evaluation stream, nats. */
    public double[] reconstructionTerms() {
        return reconstructionTerms;
    }

    /** The images scored (binarised once with a fixed seed for binarised data). */
    public ImageDataset targets() {
        return targets;
    }

    /** The decoder mean at z = μ of every image, n × D row-major. */
    public float[] meanReconstructions() {
        return meanReconstructions;
    }

    /**
     * −log p(x_i | z = μ_i) of every image, for a Bernoulli decoder (the per-image BCE, exact from the logits).
     *
     * @throws IllegalStateException if the decoder is not Bernoulli (declare {@code BERNOULLI_DECODER})
     */
    public double[] reconstructionTermsAtMean() {
        if (reconstructionTermsAtMean == null)
            throw new IllegalStateException("the decoder is " + likelihood + ": no Bernoulli terms at z = μ");
        return reconstructionTermsAtMean;
    }

    /** The decoder's likelihood. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** Class labels of the evaluation images, if the data set has them. */
    public Optional<int[]> labels() {
        return Optional.ofNullable(truth.labels());
    }

    /** Ground-truth factors (names and n × K codes), if the data set has them. */
    public Optional<GroundTruth> factors() {
        return truth.factors() == null ? Optional.empty() : Optional.of(truth);
    }

    /**
     * Random stream i of this evaluation: a fresh generator equal to the (i+1)-th split of a twin of the evaluation
     * stream, the same on every call.
     *
     * @throws IllegalArgumentException if i &lt; 0
     */
    public SplittableRandom stream(int i) {
        return new Streams(evalSeed).stream(i);
    }

    /**
     * The importance-weighted NLL estimate with K samples per image ({@link IwNll}), computed on first request for
     * each K and kept. Its samples are seeded by the first long of stream {@value #IW_STREAM}.
     *
     * @throws IllegalStateException    if this context cannot draw importance samples
     * @throws IllegalArgumentException if k &lt; 1
     */
    public IwNll.Result importanceSampled(int k) {
        if (importanceSampler == null) throw new IllegalStateException("this evaluation context has no model to sample");
        if (k < 1) throw new IllegalArgumentException("importance samples K must be ≥ 1, got " + k);
        return importanceSampled.computeIfAbsent(k, importanceSampler::apply);
    }

    /** Why this context cannot meet a requirement, or empty if it can. */
    public Optional<String> unmet(VaeMetric.Requirement r) {
        return switch (r) {
            case LABELS -> truth.labels() == null
                    ? Optional.of("the data set " + targets.name() + " has no class labels") : Optional.empty();
            case FACTORS -> truth.factors() == null
                    ? Optional.of("the data set " + targets.name() + " has no ground-truth factors") : Optional.empty();
            case IMPORTANCE_SAMPLES -> importanceSampler == null
                    ? Optional.of("no model to draw importance samples from") : Optional.empty();
            case BERNOULLI_DECODER -> likelihood != Likelihood.BERNOULLI
                    ? Optional.of("the decoder is " + likelihood.name().toLowerCase(java.util.Locale.ROOT) + ", not Bernoulli")
                    : Optional.empty();
        };
    }

    /** Splits of a twin of the evaluation stream, which is itself never drawn from. */
    private record Streams(long seed) {
        SplittableRandom stream(int i) {
            if (i < 0) throw new IllegalArgumentException("stream number must be ≥ 0, got " + i);
            SplittableRandom twin = new SplittableRandom(seed);
            for (int s = 0; s < i; s++) twin.split();
            return twin.split();
        }
    }
}
