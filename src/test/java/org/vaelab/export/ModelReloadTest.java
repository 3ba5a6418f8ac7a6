package org.vaelab.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.model.Activation;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.Seeds;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;
import org.vaelab.weighting.ConstantBeta;

/** A model file read back evaluates exactly as the engine that wrote it: re-evaluation needs no retraining. */
class ModelReloadTest {

    private static final ImageDataset TRAIN = DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), 300);
    private static final ImageDataset TEST = DataSources.subset(DataSources.byName("mnist-digits", Split.TEST), 200);

    private static RunConfig config() {
        return new RunConfig("test", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 300, 200),
                VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(1, 50, 1e-3), 7);
    }

    @Test
    void aTrainedModelWrittenAndReadBackGivesIdenticalMetrics(@TempDir Path dir) throws IOException {
        RunConfig c = config();
        long evalSeed = Seeds.of(c.seed()).eval();
        TestSetEvaluator.Evaluation before;
        ModelParameters model;
        try (var engine = new Trainer().train(c, TRAIN, null).model()) {
            before = TestSetEvaluator.evaluate(engine, TEST, Binarization.DYNAMIC, evalSeed, 20);
            model = engine.snapshot();
        }
        Path file = dir.resolve("model.npz");
        ModelExport.writeNpz(model, file);
        ModelParameters back = ModelExport.readNpz(file, c.model());
        assertEquals(model.architecture(), back.architecture());
        for (int i = 0; i < model.encoder().size(); i++) {
            assertArrayEquals(model.encoder().get(i).w(), back.encoder().get(i).w(), "encoder layer " + i);
            assertArrayEquals(model.encoder().get(i).b(), back.encoder().get(i).b(), "encoder layer " + i);
        }
        TestSetEvaluator.Evaluation after;
        try (var engine = NativeMlpEngine.fromParameters(back, c.train().batchSize())) {
            after = TestSetEvaluator.evaluate(engine, TEST, Binarization.DYNAMIC, evalSeed, 20);
        }
        // Bit for bit: same float32 weights, same chunking, same evaluation seed.
        assertEquals(before.metrics(), after.metrics());
        assertTrue(before.metrics().containsKey(MetricId.IW_NLL));
        assertArrayEquals(before.posterior().mu(), after.posterior().mu());
        assertArrayEquals(before.posterior().logvar(), after.posterior().logvar());
    }

    /** A calibrated σ survives the float32 file exactly when the recorded double is passed in. */
    @Test
    void aGaussianModelKeepsItsSigma(@TempDir Path dir) throws IOException {
        VaeArchitecture arch = VaeArchitecture.gaussian(784, List.of(16), 3, Activation.TANH, 0.5);
        double calibrated = 0.3137;
        TestSetEvaluator.Evaluation before;
        ModelParameters model;
        try (var engine = new NativeMlpEngine(arch, 50, 1e-3, 11, DataType.FLOAT)) {
            engine.setDecoderSigma(calibrated);
            before = TestSetEvaluator.evaluate(engine, TEST, Binarization.NONE, 5);
            model = engine.snapshot();
        }
        Path file = dir.resolve("model.npz");
        ModelExport.writeNpz(model, file);
        ModelParameters exact = ModelExport.readNpz(file, model.architecture());
        assertEquals(calibrated, exact.architecture().sigma(), 0.0, "the recorded double σ is kept");
        ModelParameters fromFile = ModelExport.readNpz(file, arch);
        assertEquals(calibrated, fromFile.architecture().sigma(), 1e-7 * calibrated, "the file's σ replaces the configured 0.5");
        try (var engine = NativeMlpEngine.fromParameters(exact, 50)) {
            assertEquals(before.metrics(), TestSetEvaluator.evaluate(engine, TEST, Binarization.NONE, 5).metrics());
        }
    }

    @Test
    void aBadArchiveIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        VaeArchitecture arch = VaeArchitecture.bernoulli(784, List.of(16), 3, Activation.RELU);
        Path notZip = dir.resolve("broken.npz");
        Files.writeString(notZip, "not a zip");
        var e = assertThrows(IOException.class, () -> ModelExport.readNpz(notZip, arch));
        assertTrue(e.getMessage().contains(notZip.toString()), e.getMessage());

        Path file = dir.resolve("model.npz");
        ModelParameters model;
        try (var engine = new NativeMlpEngine(arch, 50, 1e-3, 1, DataType.FLOAT)) {
            model = engine.snapshot();
        }
        ModelExport.writeNpz(model, file);
        var wrongLatent = VaeArchitecture.bernoulli(784, List.of(16), 4, Activation.RELU);
        e = assertThrows(IOException.class, () -> ModelExport.readNpz(file, wrongLatent));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("enc.mu.W")
                && e.getMessage().contains("[16, 3]"), e.getMessage());
        var deeper = VaeArchitecture.bernoulli(784, List.of(16, 8), 3, Activation.RELU);
        e = assertThrows(IOException.class, () -> ModelExport.readNpz(file, deeper));
        assertTrue(e.getMessage().contains("missing [enc.1.W, enc.1.b"), e.getMessage());
    }
}
