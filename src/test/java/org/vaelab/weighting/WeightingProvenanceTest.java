package org.vaelab.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.model.Activation;
import org.vaelab.loss.BatchStats;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.TrainConfig;

/** Every scheme serialises to provenance as its configuration only, so controller state never changes a config hash. */
class WeightingProvenanceTest {

    private static RunConfig run(Weighting w) {
        return new RunConfig("test", w.label(), "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(784, List.of(16), 4, Activation.RELU), w, new TrainConfig(1, 10, 1e-3), 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(Weighting w) {
        return (Map<String, Object>) Json.configTree(run(w)).get("weighting");
    }

    @Test
    void schemesSerialiseTheirConfiguration() {
        assertEquals(Map.of("scheme", "LinearWarmup", "beta0", 0.1, "betaMax", 1.0,
                "length", Map.of("amount", 10.0, "unit", "EPOCHS")), tree(LinearWarmup.heEtAlCode()));
        assertEquals(Map.of("scheme", "CyclicalAnnealing", "cycles", 4, "ratio", 0.5, "betaMax", 1.0),
                tree(CyclicalAnnealing.paperDefaults()));
        assertEquals(Map.of("scheme", "Geco", "kappa", 0.3, "alpha", 0.99, "nu", 0.1, "lambdaInit", 1.0,
                "lambdaMin", 1e-6, "lambdaMax", 1e6), tree(Geco.withTarget(0.3)));
        assertEquals(Map.of("scheme", "ControlVae", "klTarget", 25.0, "kp", 0.01, "ki", 1e-4, "betaMin", 0.0,
                "betaMax", 1.0), tree(ControlVae.paperGains(25)));
        assertEquals(Map.of("scheme", "SigmaVae", "mode", "LEARNED", "learningRate", 1e-3), tree(SigmaVae.learned()));
        for (Weighting w : List.of(SigmoidAnnealing.defaults(), CapacityAnnealing.paperDefaults(), FreeBits.paperDefaults(),
                SigmaVae.optimal(), ControlVae.officialImageCode(25)))
            assertEquals(w.getClass().getSimpleName(), tree(w).get("scheme"));
    }

    @Test
    void controllerStateDoesNotChangeTheHash() {
        Geco g = Geco.withTarget(0.3);
        String before = Json.configSha256(run(g));
        g.weights(new Progress(0, 0, 1, 1, 784, 4), new BatchStats(100, 10, new double[4], 50));
        assertEquals(before, Json.configSha256(run(g)));
        assertNotEquals(before, Json.configSha256(run(Geco.withTarget(0.25))));
        assertNotEquals(Json.configSha256(run(ControlVae.paperGains(25))), Json.configSha256(run(ControlVae.officialImageCode(25))));
    }
}
