package org.vaelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.metrics.KlTrace;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.weighting.ConstantBeta;

/** The trainer records the batch's per-dimension KL every N steps, and it adds up to the logged batch KL. */
class KlTraceRecordingTest {

    @Test
    void recordsPerDimensionKlEveryNStepsAndAtTheLast() {
        ImageDataset train = DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), 300);
        RunConfig c = new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 300, 0),
                VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(2, 50, 2e-3), 3);
        Trainer.Result r = new Trainer(Trainer.DEFAULT_ENGINE, 5).train(c, train, null);
        r.model().close();
        StepLog log = r.steps();
        KlTrace trace = log.klTrace();
        assertArrayEquals(new long[]{0, 5, 10, 11}, trace.steps(), "12 steps, every 5th and the last");
        assertEquals(4, trace.dims());
        for (int t = 0; t < trace.size(); t++) {
            double sum = 0;
            for (double v : trace.klPerDim()[t]) sum += v;
            assertEquals(log.kl()[(int) trace.steps()[t]], sum, 1e-4, "snapshot " + t + " sums to the batch KL");
        }
    }
}
