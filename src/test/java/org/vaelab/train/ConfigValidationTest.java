package org.vaelab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.MeanReduction;

class ConfigValidationTest {

    private static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention " + p);
    }

    @Test
    void recordsRejectBadValuesAndNameThem() {
        assertMessage(() -> new TrainConfig(0, 100, 1e-3), "epochs", "0");
        assertMessage(() -> new TrainConfig(5, -3, 1e-3), "batchSize", "-3");
        assertMessage(() -> new TrainConfig(5, 100, 0), "learningRate", "0.0");
        assertMessage(() -> new DataConfig("", Binarization.NONE, 0, 0), "dataset");
        assertMessage(() -> new DataConfig("mnist-digits", Binarization.NONE, -1, 0), "trainLimit", "-1");
        assertMessage(() -> new VaeArchitecture(784, List.of(0), 16, List.of(8), Activation.RELU,
                org.vaelab.model.Likelihood.BERNOULLI, 0), "hidden width", "0");
        assertMessage(() -> VaeArchitecture.gaussian(784, List.of(8), 4, Activation.RELU, -0.5), "sigma", "-0.5");
        assertMessage(() -> new org.vaelab.weighting.Progress(-1, 0, 1, 1, 1, 1), "step", "-1");
    }

    @Test
    void seedsSplitIntoDistinctDeterministicStreams() {
        Seeds a = Seeds.of(1);
        assertEquals(a, Seeds.of(1));
        assertNotEquals(a, Seeds.of(2));
        assertEquals(5, java.util.Set.of(a.init(), a.dataOrder(), a.noise(), a.binarize(), a.eval()).size());
    }

    @Test
    void configHashIsStableAndSensitiveToEveryField() {
        var model = VaeArchitecture.bernoulli(784, List.of(256), 16, Activation.RELU);
        var data = new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0);
        RunConfig c = new RunConfig("quickstart", "β=1", "β sweep", data, model, new ConstantBeta(1), new TrainConfig(20, 100, 1e-3), 1);
        assertEquals(Json.configSha256(c), Json.configSha256(new RunConfig("quickstart", "β=1", "β sweep", data, model,
                new ConstantBeta(1), new TrainConfig(20, 100, 1e-3), 1)));
        assertNotEquals(Json.configSha256(c), Json.configSha256(c.withSeed(2)));
        assertNotEquals(Json.configSha256(c), Json.configSha256(c.withTrain(c.train().withEpochs(21))));
        // Same field value, different scheme: the scheme name is part of the hash.
        RunConfig m = new RunConfig("quickstart", "β=1", "β sweep", data, model, new MeanReduction(1), c.train(), 1);
        assertNotEquals(Json.configSha256(c), Json.configSha256(m));
        assertEquals("beta-1-seed1", c.runId());
        assertEquals("ConstantBeta", ((java.util.Map<?, ?>) Json.configTree(c).get("weighting")).get("scheme"));
    }
}
