package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The two weight initialisations: the default draws exactly the weights vaelab always drew, and PyTorch's
 * {@code nn.Linear} default has the bounds and variance of U(±1/√fan_in) for weights and biases.
 */
class WeightInitTest {

    private static final VaeArchitecture ARCH = VaeArchitecture.bernoulli(784, List.of(256), 16, Activation.RELU);

    /** The engine's layers, input side first: encoder then decoder. */
    private static List<ModelParameters.Dense> layers(WeightInit init, long seed) {
        try (NativeMlpEngine e = new NativeMlpEngine(ARCH, 8, 1e-3, seed, init, DataType.FLOAT)) {
            ModelParameters p = e.snapshot();
            List<ModelParameters.Dense> all = new java.util.ArrayList<>(p.encoder());
            all.addAll(p.decoder());
            return all;
        }
    }

    /**
     * The default must be bit-identical to the code that made every recorded run: one split of the seed per layer,
     * He-uniform √(6/fan_in) for ReLU hidden layers and Glorot-uniform √(6/(fan_in + fan_out)) otherwise, drawn
     * row-major, biases 0, rounded to float.
     */
    @Test
    void defaultDrawsTheWeightsVaelabAlwaysDrew() {
        List<ModelParameters.Dense> got = layers(WeightInit.DEFAULT, 42);
        SplittableRandom rng = new SplittableRandom(42);
        boolean[] reluHidden = {true, false, true, false};   // enc hidden, enc head, dec hidden, dec output
        for (int l = 0; l < got.size(); l++) {
            ModelParameters.Dense d = got.get(l);
            SplittableRandom layer = rng.split();
            double limit = reluHidden[l] ? Math.sqrt(6.0 / d.in()) : Math.sqrt(6.0 / (d.in() + d.out()));
            float[] expected = new float[d.in() * d.out()];
            for (int i = 0; i < expected.length; i++) expected[i] = (float) layer.nextDouble(-limit, limit);
            assertArrayEquals(expected, d.w(), "layer " + l);
            assertArrayEquals(new float[d.out()], d.b(), "layer " + l + " biases start at 0");
        }
        try (NativeMlpEngine old = new NativeMlpEngine(ARCH, 8, 1e-3, 42, DataType.FLOAT)) {
            assertArrayEquals(got.get(0).w(), old.snapshot().encoder().get(0).w(), "the old constructor keeps the default");
        }
    }

    /**
     * PyTorch's {@code nn.Linear}: weights and biases U(±1/√fan_in). Every value within the bound, the extremes
     * near it, mean 0 and variance bound²/3 (the uniform's), within 5 standard errors of the sample moments; the
     * first ReLU layer's bound is √6 times smaller than He-uniform's.
     */
    @Test
    void pytorchLinearIsUniformWithinOneOverRootFanIn() {
        List<ModelParameters.Dense> got = layers(WeightInit.PYTORCH_LINEAR, 7);
        for (int l = 0; l < got.size(); l++) {
            ModelParameters.Dense d = got.get(l);
            double bound = 1 / Math.sqrt(d.in());
            checkUniform("layer " + l + " weights", d.w(), bound);
            checkUniform("layer " + l + " biases", d.b(), bound);
        }
        assertEquals(Math.sqrt(6), WeightInit.HE_GLOROT_UNIFORM.weightBound(784, 256, true)
                / WeightInit.PYTORCH_LINEAR.weightBound(784, 256, true), 1e-12);
        assertNotEquals(layers(WeightInit.PYTORCH_LINEAR, 8).get(0).w()[0], got.get(0).w()[0], "the seed matters");
        assertArrayEquals(got.get(0).w(), layers(WeightInit.PYTORCH_LINEAR, 7).get(0).w(), "equal seeds, equal weights");
    }

    private static void checkUniform(String what, float[] v, double bound) {
        int n = v.length;
        double sum = 0, sq = 0, max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound * (1 + 1e-6), what + ": " + x + " outside ±" + bound);
            sum += x;
            sq += (double) x * x;
            max = Math.max(max, Math.abs(x));
        }
        double mean = sum / n, variance = sq / n - mean * mean, expectedVar = bound * bound / 3;
        // For U(±a): sd of the mean a/√(3n); sd of the mean square (variance estimate) ≈ a²·√(4/45)/√n.
        assertEquals(0, mean, 5 * bound / Math.sqrt(3.0 * n) + 1e-12, what + " mean");
        assertEquals(expectedVar, variance, 5 * bound * bound * Math.sqrt(4.0 / 45) / Math.sqrt(n), what + " variance");
        // The largest of n uniform draws falls short of the bound by about a fraction 1/n.
        assertTrue(max > bound * (1 - 10.0 / n), what + ": largest |value| " + max + " of bound " + bound);
    }

    @Test
    void rejectsBadWidths() {
        assertThrows(IllegalArgumentException.class, () -> WeightInit.PYTORCH_LINEAR.weightBound(0, 3, false));
        assertThrows(IllegalArgumentException.class, () -> WeightInit.PYTORCH_LINEAR.biasBound(0));
        assertThrows(IllegalArgumentException.class,
                () -> new NativeMlpEngine(ARCH, 8, 1e-3, 1, null, DataType.FLOAT));
    }
}
