package org.vaelab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.WeightInit;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.FreeBits;

/** The train key holds what determines the model; the eval key adds what determines its metrics. */
class RunKeysTest {

    private static final String DATA = "61b465619cdf542b6445cb6fa4896c697a2cad2c4fdfad8390c1292dbabce10f";

    private static RunConfig config() {
        return new RunConfig("quickstart", "β=1", "β sweep", new DataConfig("mnist-digits", Binarization.DYNAMIC, 500, 200),
                VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(2, 50, 1e-3), 1);
    }

    private static String train(RunConfig c) {
        return Json.trainKey(c, DATA);
    }

    private static String eval(RunConfig c) {
        return Json.evalKey(c, train(c), DATA);
    }

    @Test
    void evaluationOnlyFieldsChangeTheEvalKeyButNotTheTrainKey() {
        RunConfig c = config();
        RunConfig iw = c.withIwSamples(5000);
        RunConfig moreTest = c.withData(c.data().withLimits(500, 1000));
        for (RunConfig other : List.of(iw, moreTest)) {
            assertEquals(train(c), train(other), "an evaluation-only change must not retrain: " + Json.evaluationConfig(other));
            assertNotEquals(eval(c), eval(other), "an evaluation-only change must re-evaluate: " + Json.evaluationConfig(other));
        }
        assertNotEquals(eval(c), Json.evalKey(c, train(c), "other test data"), "other test data must re-evaluate");
        assertFalse(Json.trainingConfigTree(c).containsKey("iwSamples"));
        assertFalse(((Map<?, ?>) Json.trainingConfigTree(c).get("data")).containsKey("testLimit"));
        assertTrue(((Map<?, ?>) Json.configTree(c).get("data")).containsKey("testLimit"), "the full tree is not changed");
    }

    @Test
    void trainingFieldsChangeBothKeys() {
        RunConfig c = config();
        List<RunConfig> others = List.of(c.withTrain(c.train().withEpochs(3)), c.withSeed(2),
                new RunConfig(c.experiment(), c.label(), c.group(), c.data(), c.model(), new ConstantBeta(2), c.train(), c.seed()),
                new RunConfig(c.experiment(), c.label(), c.group(), c.data(), c.model(), new FreeBits(1), c.train(), c.seed()),
                c.withData(c.data().withLimits(600, 200)));
        for (RunConfig other : others) {
            assertNotEquals(train(c), train(other), "must retrain: " + Json.trainingConfigTree(other));
            assertNotEquals(eval(c), eval(other), Json.trainingConfigTree(other).toString());
        }
        assertNotEquals(train(c), Json.trainKey(c, "other training data"), "other training data must retrain");
    }

    /**
     * The weight initialisation is part of the train key, but the default is left out of the JSON, so that every
     * configuration written before the option existed keeps its key (and {@link #keysAreStableAcrossJvms} its literal).
     */
    @Test
    void weightInitChangesTheKeyOnlyWhenNotTheDefault() {
        RunConfig c = config();
        Map<?, ?> train = (Map<?, ?>) Json.configTree(c).get("train");
        assertEquals(java.util.Set.of("epochs", "batchSize", "learningRate"), train.keySet(), "the default is not written");
        RunConfig explicitDefault = c.withTrain(c.train().withInit(WeightInit.DEFAULT));
        assertEquals(train(c), train(explicitDefault));
        RunConfig pytorch = c.withTrain(c.train().withInit(WeightInit.PYTORCH_LINEAR));
        assertNotEquals(train(c), train(pytorch), "another initialisation must retrain");
        assertEquals("PYTORCH_LINEAR", ((Map<?, ?>) Json.configTree(pytorch).get("train")).get("init"));
        assertEquals(WeightInit.PYTORCH_LINEAR, pytorch.train().withEpochs(5).withLearningRate(3e-4).withBatchSize(7).init(),
                "the with-methods keep the initialisation");
    }

    @Test
    void bumpingATrainingVersionRetrainsAndTheEvaluationVersionOnlyReevaluates() {
        RunConfig c = config();
        Map<String, Integer> now = NumericsVersion.training();
        assertEquals(train(c), Json.trainKey(c, DATA, now));
        for (String component : now.keySet()) {
            Map<String, Integer> bumped = new java.util.LinkedHashMap<>(now);
            bumped.merge(component, 1, Integer::sum);
            assertNotEquals(train(c), Json.trainKey(c, DATA, bumped), "bumping " + component + " must retrain");
        }
        assertEquals(eval(c), Json.evalKey(c, train(c), DATA, NumericsVersion.evaluation()));
        String bumped = Json.evalKey(c, train(c), DATA, Map.of("evaluation", NumericsVersion.EVALUATION + 1));
        assertNotEquals(eval(c), bumped, "bumping evaluation must re-evaluate");
    }

    /**
     * Literal keys of one fixed configuration, with the versions pinned: the run store relies on keys being equal
     * across JVMs and releases, so an accidental change of the canonical form (field names, number format, key
     * layout) must fail here. If you changed the key's content on purpose, every run will retrain; update the
     * literals and say so in the commit.
     */
    @Test
    void keysAreStableAcrossJvms() {
        RunConfig c = config();
        Map<String, Integer> v1 = Map.of("data", 1, "model", 1, "train", 1, "weighting", 1);
        String trainKey = Json.trainKey(c, DATA, v1);
        // SHA-256 of {"config":{"data":{"binarization":"DYNAMIC","dataset":"mnist-digits","trainLimit":500},...},
        // "data":"61b4…","numerics":{"data":1,"model":1,"train":1,"weighting":1}} (sorted keys, no spaces; checked
        // with Python's json.dumps(sort_keys=True, separators=(',', ':')) and hashlib).
        assertEquals("dc4060a752617c72f39cabec8f2bb283e935f6bf7f968c94cd16dd00d6025279", trainKey);
        assertEquals("3e8ef3ca91d31ebef70c224537a1a561082dfbd081076ae51e3491dd5e63e48d", Json.evalKey(c.withIwSamples(100), trainKey, DATA, Map.of("evaluation", 1)));
    }

    /** Provenance carries both keys and the versions; a file from before them still reads (with nulls). */
    @Test
    void provenanceRecordsKeysAndVersionsAndReadsOlderFiles() throws Exception {
        RunConfig c = config();
        Provenance p = new Provenance("beta-1-seed1-" + train(c).substring(0, 10), Json.configTree(c), Json.configSha256(c),
                train(c), CodeVersion.sha256(), 1, "abc", false, Map.of(), Map.of(), Map.of("mnist-digits/train", DATA),
                "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 1, 1, null, eval(c), NumericsVersion.all());
        String json = Json.MAPPER.writeValueAsString(p);
        Provenance back = Json.MAPPER.readValue(json, Provenance.class);
        assertEquals(json, Json.MAPPER.writeValueAsString(back), "round trip");
        assertEquals(p.evalKey(), back.evalKey());
        assertEquals(Map.of("data", 1, "model", 1, "train", 1, "weighting", 1, "evaluation", 1).keySet(),
                back.numericsVersion().keySet());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(json);
        tree.remove(List.of("evalKey", "numericsVersion"));
        Provenance old = Json.MAPPER.treeToValue(tree, Provenance.class);
        assertEquals(p.runKey(), old.runKey());
        assertEquals(null, old.evalKey(), "a record from before eval keys has none, so it is re-evaluated");
    }
}
