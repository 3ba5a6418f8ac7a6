package org.vaelab.train;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;
import org.vaelab.metrics.KlTrace;
import org.vaelab.model.Likelihood;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.VaeEngine;
import org.vaelab.model.VaeModel;
import org.vaelab.weighting.DecoderSigma;
import org.vaelab.weighting.Progress;
import org.vaelab.weighting.Weighting;

/**
 * Trains one VAE: Adam on minibatches for a number of epochs, applying the run's weighting at every step.
 *
 * <p>The trainer is where the model meets the weighting, which know nothing of each other: at every step the engine
 * measures the batch ({@link VaeEngine#forward}), the weighting turns that measurement into the step's loss
 * coefficients ({@link Weighting#weights}), and the engine differentiates the loss with them and updates
 * ({@link VaeEngine#step}). What comes out is the trained model ({@link VaeModel}), to be evaluated, not trained on.
 *
 * <p>Randomness comes only from the run's {@link Seeds}: the data order, the initialisation, the noise ε and
 * the dynamic binarisation each have their own stream, so two runs with the same seed see the same batches and
 * the same ε whatever their weighting — differences between schemes are the schemes', not the noise's.
 *
 * <p>A weighting that calibrates the decoder's σ ({@link DecoderSigma}, the σ-VAE) needs a Gaussian decoder; after
 * every step the trainer hands its σ to the engine ({@link VaeEngine#setDecoderSigma(double)}), so the returned
 * model evaluates with the final σ.
 */
public final class Trainer {

    /** Creates the engine a run trains; the default is the hand-written ND4J engine. */
    @FunctionalInterface
    public interface EngineFactory {
        VaeEngine create(RunConfig config, long initSeed);
    }

    /** Told after every step; used for progress display. */
    @FunctionalInterface
    public interface Listener {
        void stepDone(long step, long totalSteps);
    }

    /**
     * Evaluates the model part-way through training, for the run's {@link TestCurve}. It must not change the model:
     * the trainer goes on from the same weights, optimiser state and random streams, so a run with a curve trains
     * exactly as one without.
     */
    @FunctionalInterface
    public interface Checkpoint {
        TestCurve.Point evaluate(int epochsDone, long stepsDone, VaeModel model);
    }

    /**
     * A trained model with its step log and the training wall time.
     *
     * @param model the trained model; the caller closes it to release its native memory
     */
    public record Result(VaeModel model, StepLog steps, double trainSeconds) {
    }

    public static final EngineFactory DEFAULT_ENGINE = (c, seed) ->
            new NativeMlpEngine(c.model(), c.train().batchSize(), c.train().learningRate(), seed, c.train().init(), DataType.FLOAT);

    private final EngineFactory engines;
    private final int klTraceEvery;

    public Trainer() {
        this(DEFAULT_ENGINE);
    }

    public Trainer(EngineFactory engines) {
        this(engines, 0);
    }

    /**
     * @param klTraceEvery record the batch's per-dimension KL every this many steps (and at the first and last);
     *                     0 chooses {@link KlTrace#defaultEvery} (about 200 snapshots per run)
     */
    public Trainer(EngineFactory engines, int klTraceEvery) {
        if (klTraceEvery < 0) throw new IllegalArgumentException("KL trace interval must be ≥ 0 steps (0 = about 200 per run), got " + klTraceEvery);
        this.engines = engines;
        this.klTraceEvery = klTraceEvery;
    }

    /**
     * Trains on {@code train} (pixels in [0,1], binarised here as the config says).
     *
     * @throws DivergenceException if a batch's Rec, KL or loss becomes NaN or infinite
     */
    public Result train(RunConfig config, ImageDataset train, Listener listener) {
        return train(config, train, listener, null);
    }

    /**
     * As {@link #train(RunConfig, ImageDataset, Listener)}, calling {@code checkpoint} after the epochs
     * {@link TestCurve#due} by {@link TrainConfig#curveEvery()} (none when it is 0 or the checkpoint is null).
     */
    public Result train(RunConfig config, ImageDataset train, Listener listener, Checkpoint checkpoint) {
        int n = train.n();
        int dim = train.dim();
        if (dim != config.model().inputDim())
            throw new IllegalArgumentException("run " + config.runId() + ": model inputDim " + config.model().inputDim()
                    + " does not match the data's " + dim + " pixels per image");
        int batch = config.train().batchSize();
        if (batch > n) throw new IllegalArgumentException("run " + config.runId() + ": batch size " + batch
                + " exceeds the " + n + " training images; lower -Dbatch");
        Seeds seeds = Seeds.of(config.seed());
        SplittableRandom order = new SplittableRandom(seeds.dataOrder());
        SplittableRandom noise = new SplittableRandom(seeds.noise());
        SplittableRandom binarize = new SplittableRandom(seeds.binarize());
        Binarization bin = config.data().binarization();
        float[] source = bin.prepare(train, Binarization.STATIC_SEED).pixels();

        int latent = config.model().latentDim();
        int stepsPerEpoch = (n + batch - 1) / batch;
        long total = (long) stepsPerEpoch * config.train().epochs();
        Weighting weighting = config.weighting().copy();
        weighting.reset();
        DecoderSigma calibrated = weighting instanceof DecoderSigma ds ? ds : null;
        if (calibrated != null && config.model().likelihood() != Likelihood.GAUSSIAN)
            throw new IllegalArgumentException("run " + config.runId() + ": " + weighting.label() + " calibrates a Gaussian"
                    + " decoder's σ, but the model's decoder is " + config.model().likelihood());
        StepLog.Builder log = new StepLog.Builder();
        int klEvery = klTraceEvery > 0 ? klTraceEvery : KlTrace.defaultEvery(total);
        VaeEngine engine = engines.create(config, seeds.init());
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        float[] xBuf = new float[batch * dim];
        float[] eBuf = new float[batch * latent];
        // One native x and ε per batch size, refilled every step: ND4J frees native memory only when the garbage
        // collector reclaims the Java object, so a fresh array per step let resident memory climb towards -Xmx.
        BatchArrays full = new BatchArrays(batch, dim, latent);
        BatchArrays last = n % batch == 0 ? full : new BatchArrays(n % batch, dim, latent);
        long t0 = System.nanoTime();
        long step = 0;
        for (int epoch = 0; epoch < config.train().epochs(); epoch++) {
            shuffle(perm, order);
            for (int start = 0; start < n; start += batch) {
                int b = Math.min(batch, n - start);
                for (int r = 0; r < b; r++)
                    System.arraycopy(source, perm[start + r] * dim, xBuf, r * dim, dim);
                bin.apply(xBuf, 0, b * dim, xBuf, binarize);
                for (int i = 0; i < b * latent; i++) eBuf[i] = (float) noise.nextGaussian();
                // The last batch of an epoch may be short; the engine accepts any batch size.
                BatchArrays arrays = b == batch ? full : last;
                INDArray x = arrays.x(xBuf), eps = arrays.eps(eBuf);
                Progress progress = new Progress(step, epoch, stepsPerEpoch, total, dim, latent, batch, n);
                BatchStats stats = engine.forward(x, eps);
                LossWeights weights = weighting.weights(progress, stats);
                double loss = engine.step(weights);
                if (!stats.isFinite() || !Double.isFinite(loss))
                    throw new DivergenceException(config.runId(), step, String.format(
                            "Rec=%s KL=%s loss=%s (weights %s)", stats.rec(), stats.kl(), loss, weights.trace()));
                log.add(step, epoch, stats.rec(), stats.kl(), weights.trace());
                if (calibrated != null) engine.setDecoderSigma(calibrated.sigma());
                if (KlTrace.due(step, total, klEvery)) log.klPerDim(step, stats.klPerDim());
                step++;
                if (listener != null) listener.stepDone(step, total);
            }
            if (checkpoint != null && TestCurve.due(epoch + 1, config.train().epochs(), config.train().curveEvery()))
                log.curve(checkpoint.evaluate(epoch + 1, step, engine));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(engine, log.build(), seconds);
    }

    /** Native x and ε arrays of one batch size, filled from the trainer's heap buffers. */
    private static final class BatchArrays {
        private final INDArray x, eps;
        private final FloatBuffer xNio, epsNio;

        BatchArrays(int rows, int dim, int latent) {
            x = Nd4j.create(DataType.FLOAT, new long[] {rows, dim}, 'c');
            eps = Nd4j.create(DataType.FLOAT, new long[] {rows, latent}, 'c');
            xNio = x.data().asNioFloat();
            epsNio = eps.data().asNioFloat();
        }

        INDArray x(float[] src) {
            xNio.put(0, src, 0, (int) x.length());
            return x;
        }

        INDArray eps(float[] src) {
            epsNio.put(0, src, 0, (int) eps.length());
            return eps;
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
