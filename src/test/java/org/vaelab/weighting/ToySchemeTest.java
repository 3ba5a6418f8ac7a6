package org.vaelab.weighting;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.Split;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;

/**
 * What a new weighting scheme costs: the record below is all of it. It trains through the unchanged trainer, is
 * traced in the step log and hashed into the run's identity by its class name, without any other file naming it.
 * In main code it would be this one file in {@code weighting/}, plus an arm in the experiment that compares it.
 */
class ToySchemeTest {

    /** A toy controller without state: β = 2 while the batch's KL is above a target, ½ below it. */
    record KlBangBang(double targetKl) implements Weighting {
        @Override
        public String label() {
            return "bang-bang KL→" + Format.number(targetKl);
        }

        @Override
        public LossWeights weights(Progress progress, BatchStats batch) {
            double beta = batch.kl() > targetKl ? 2 : 0.5;
            return LossWeights.beta(beta, progress.latentDim());
        }
    }

    @Test
    void aNewSchemeTrainsAndIsNamedInTheConfigWithoutTouchingAnythingElse() {
        RunConfig c = new RunConfig("toy", "bang-bang", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 200, 0),
                VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new KlBangBang(3),
                new TrainConfig(1, 50, 2e-3), 1);
        Trainer.Result r = new Trainer().train(c, DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), 200), null);
        r.model().close();
        double[] beta = r.steps().weight(TraceKey.BETA);
        assertEquals(4, beta.length);
        for (int i = 0; i < beta.length; i++)
            assertEquals(r.steps().kl()[i] > 3 ? 2 : 0.5, beta[i], 0.0, "step " + i);
        @SuppressWarnings("unchecked")
        Map<String, Object> weighting = (Map<String, Object>) Json.configTree(c).get("weighting");
        assertEquals(Map.of("scheme", "KlBangBang", "targetKl", 3.0), weighting);
        assertTrue(Json.configSha256(c).matches("[0-9a-f]{64}"));
    }
}
