package org.vaelab.train;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;
import org.vaelab.model.Activation;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.VaeEngine;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.SigmaVae;

class TrainerTest {

    private static final ImageDataset TRAIN = DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), 600);

    private static RunConfig config(int epochs) {
        return new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 600, 0),
                VaeArchitecture.bernoulli(784, List.of(64), 8, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(epochs, 50, 2e-3), 3);
    }

    private static double mean(double[] xs, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += xs[i];
        return s / (to - from);
    }

    @Test
    void tinyRunOnRealDigitsLowersTheLoss() {
        Trainer.Result r = new Trainer().train(config(4), TRAIN, null);
        StepLog log = r.steps();
        assertEquals(4 * 12, log.size());
        double[] loss = new double[log.size()];
        for (int i = 0; i < loss.length; i++) loss[i] = log.rec()[i] + log.kl()[i];
        double first = mean(loss, 0, 5);
        double last = mean(loss, loss.length - 5, loss.length);
        // A Bernoulli VAE starts near 784·log 2 ≈ 543 nats; four epochs on 600 digits must cut that substantially.
        assertTrue(last < 0.6 * first, "loss should fall: first steps " + first + ", last steps " + last);
        assertArrayEquals(new double[] {1, 1, 1}, java.util.Arrays.copyOf(log.weight(TraceKey.BETA), 3));
        r.model().close();
    }

    @Test
    void sameSeedGivesIdenticalStepLogs() {
        StepLog a = new Trainer().train(config(1), TRAIN, null).steps();
        StepLog b = new Trainer().train(config(1), TRAIN, null).steps();
        assertArrayEquals(a.rec(), b.rec());
        assertArrayEquals(a.kl(), b.kl());
        StepLog c = new Trainer().train(config(1).withSeed(4), TRAIN, null).steps();
        assertTrue(a.rec()[3] != c.rec()[3], "another seed must give other numbers");
    }

    @Test
    void divergenceNamesRunStepAndValues() {
        Trainer trainer = new Trainer((c, seed) -> new NanAfter(c.model(), 3));
        var e = assertThrows(DivergenceException.class, () -> trainer.train(config(1), TRAIN, null));
        assertEquals(3, e.step());
        assertTrue(e.getMessage().contains("run beta-1-seed3 diverged at step 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Rec=NaN") && e.getMessage().contains("learning rate"), e.getMessage());
    }

    /** The σ-VAE's σ reaches the engine after every step, so the model the trainer returns evaluates with it. */
    @Test
    void calibratedSigmaIsHandedToTheEngine() {
        RunConfig c = new RunConfig("test", "σ-VAE optimal", "", new DataConfig("mnist-digits", Binarization.NONE, 600, 0),
                VaeArchitecture.gaussian(784, List.of(64), 8, Activation.RELU, 1.0), SigmaVae.optimal(),
                new TrainConfig(1, 50, 2e-3), 3);
        Trainer.Result r = new Trainer().train(c, TRAIN, null);
        double[] sigma = r.steps().weight(TraceKey.SIGMA);
        assertEquals(12, sigma.length);
        assertTrue(sigma[11] < 0.5, "σ* is the RMSE of [0,1] pixels: " + sigma[11]);
        assertEquals(sigma[11], ((NativeMlpEngine) r.model()).decoderSigma(), 0.0);
        r.model().close();

        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer().train(
                new RunConfig("test", "σ-VAE learned", "", c.data(), VaeArchitecture.bernoulli(784, List.of(64), 8, Activation.RELU),
                        SigmaVae.learned(), c.train(), 3), TRAIN, null));
        assertTrue(e.getMessage().contains("sigma-vae-learned-seed3"), e.getMessage());
        assertTrue(e.getMessage().contains("BERNOULLI"), e.getMessage());
    }

    /** An engine whose batch Rec becomes NaN at a given step. */
    private static final class NanAfter implements VaeEngine {
        private final VaeArchitecture architecture;
        private final long badStep;
        private long steps;
        private double rec;

        NanAfter(VaeArchitecture architecture, long badStep) {
            this.architecture = architecture;
            this.badStep = badStep;
        }

        @Override
        public VaeArchitecture architecture() {
            return architecture;
        }

        @Override
        public BatchStats forward(INDArray x, INDArray eps) {
            rec = steps >= badStep ? Double.NaN : 100;
            return new BatchStats(rec, 1, new double[architecture.latentDim()], 1);
        }

        @Override
        public double step(LossWeights weights) {
            steps++;
            return rec + 1;
        }

        @Override
        public Posterior encode(INDArray x) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] reconstructionNll(INDArray x, INDArray z) {
            throw new UnsupportedOperationException();
        }

        @Override
        public INDArray decode(INDArray z) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long parameterCount() {
            return 0;
        }
    }
}
