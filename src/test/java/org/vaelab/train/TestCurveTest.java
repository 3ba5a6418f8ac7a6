package org.vaelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.metrics.IwNll;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.weighting.ConstantBeta;

/** The test curve: when points are taken, that taking them leaves training untouched, and that it keeps old keys. */
class TestCurveTest {

    private static final ImageDataset TRAIN = DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), 600);
    private static final ImageDataset TEST = DataSources.subset(
            Binarization.STATIC.prepare(DataSources.byName("mnist-digits", Split.TEST), Binarization.STATIC_SEED), 100);

    private static RunConfig config(int epochs, int curveEvery) {
        return new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 600, 0),
                VaeArchitecture.bernoulli(784, List.of(64), 8, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(epochs, 50, 2e-3).withCurveEvery(curveEvery), 3);
    }

    @Test
    void pointsAreDueEveryNEpochsAndAfterTheLast() {
        List<Integer> due = new ArrayList<>();
        for (int e = 1; e <= 7; e++) if (TestCurve.due(e, 7, 3)) due.add(e);
        assertEquals(List.of(3, 6, 7), due);
        assertFalse(TestCurve.due(2, 7, 0), "0 = no curve");
    }

    /** The checkpoint evaluates the model mid-run; the run must train exactly as one without it. */
    @Test
    void takingTheCurveLeavesTrainingUntouched() {
        List<Integer> seen = new ArrayList<>();
        Trainer.Checkpoint cp = (epochs, steps, model) -> {
            seen.add(epochs);
            IwNll.Result r = IwNll.of(model, TEST, 10, 99);
            return new TestCurve.Point(epochs, steps, r.nll(), r.standardError(), r.elbo());
        };
        Trainer.Result with = new Trainer().train(config(3, 2), TRAIN, null, cp);
        Trainer.Result without = new Trainer().train(config(3, 0), TRAIN, null);
        assertEquals(List.of(2, 3), seen);
        assertArrayEquals(without.steps().rec(), with.steps().rec());
        assertArrayEquals(without.steps().kl(), with.steps().kl());
        double a = IwNll.of(with.model(), TEST, 10, 7).nll(), b = IwNll.of(without.model(), TEST, 10, 7).nll();
        assertEquals(b, a, 0.0, "final models must be identical");
        TestCurve curve = with.steps().curve();
        assertEquals(2, curve.points().size());
        assertEquals(24, curve.points().get(0).step(), "2 epochs of 12 steps");
        assertEquals(36, curve.points().get(1).step());
        // The estimate is a bound on the NLL: −ELBO ≥ IW-NLL for every point.
        for (TestCurve.Point p : curve.points()) assertTrue(-p.elbo() >= p.iwNll(), p.toString());
        assertTrue(without.steps().curve().isEmpty());
        with.model().close();
        without.model().close();
    }

    /** curveEvery = 0 is left out of the config's JSON, so configurations written before it existed keep their keys. */
    @Test
    void noCurveKeepsTheTrainKey() {
        Map<String, Object> tree = Json.configTree(config(3, 0));
        assertFalse(tree.toString().contains("curveEvery"), tree.toString());
        assertTrue(Json.configTree(config(3, 2)).toString().contains("curveEvery=2"));
        assertTrue(!Json.trainKey(config(3, 0), "x").equals(Json.trainKey(config(3, 2), "x")));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(1, 1, 1e-3).withCurveEvery(-1));
        assertThrows(IllegalArgumentException.class, () -> new TestCurve(List.of(new TestCurve.Point(2, 0, 1, 0, -1),
                new TestCurve.Point(1, 0, 1, 0, -1))));
    }
}
