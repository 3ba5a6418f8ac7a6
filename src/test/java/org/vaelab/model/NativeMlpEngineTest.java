package org.vaelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/** Closed forms, determinism, learning and batch-size handling of {@link NativeMlpEngine}. */
class NativeMlpEngineTest {

    /** Details such as timings and gradient-check errors are printed only with {@code -Dvaelab.verbose=true}. */
    private static final boolean VERBOSE = Boolean.getBoolean("vaelab.verbose");

    private static final VaeArchitecture SMALL = VaeArchitecture.bernoulli(12, List.of(7, 5), 3, Activation.RELU);

    // ------------------------------------------------------------------ closed forms

    /**
     * With every weight zero the step changes nothing (Adam's update of a zero gradient is zero), and the
     * KL it reports must equal ½Σ(μ² + exp(lv) − lv − 1) recomputed from {@link NativeMlpEngine#encode};
     * its Rec and SSE must equal what the evaluation path gives for the same z.
     */
    @Test
    void reportedStatsMatchEncodeAndReconstructionNll() {
        NativeMlpEngine engine = new NativeMlpEngine(SMALL, 8, 1e-3, 1, DataType.DOUBLE);
        Random rng = new Random(9);
        INDArray x = EngineFixtures.uniform(rng, 8, 12, DataType.DOUBLE);
        INDArray eps = EngineFixtures.normal(rng, 8, 3, DataType.DOUBLE);
        double[] before = engine.parameters().toDoubleVector();
        var zero = new LossWeights(0, new double[3], Map.of());

        BatchStats stats = engine.forward(x, eps);
        engine.step(zero);
        assertArrayEquals(before, engine.parameters().toDoubleVector(), 0.0, "zero weights must not move parameters");

        Posterior q = engine.encode(x);
        double[] klPerDim = new double[3];
        double[][] z = new double[8][3];
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 3; j++) {
                double mu = q.mu(i, j), lv = q.logvar(i, j);
                klPerDim[j] += 0.5 * (mu * mu + Math.exp(lv) - lv - 1) / 8;
                z[i][j] = mu + Math.exp(0.5 * lv) * eps.getDouble(i, j);
            }
        assertArrayEquals(klPerDim, stats.klPerDim(), 1e-12);
        assertEquals(klPerDim[0] + klPerDim[1] + klPerDim[2], stats.kl(), 1e-12);

        INDArray zArr = Nd4j.createFromArray(z);
        double[] rec = engine.reconstructionNll(x, zArr);
        double meanRec = 0;
        for (double r : rec) meanRec += r / 8;
        assertEquals(meanRec, stats.rec(), 1e-10);

        INDArray mean = engine.decode(zArr);
        double sse = x.sub(mean).norm2Number().doubleValue();
        assertEquals(sse * sse / 8, stats.sse(), 1e-10);
    }

    /**
     * With the decoder's last layer set to W = 0 and b = l, the logits are l for every z, so Rec is the
     * textbook binary cross-entropy −Σ[x·log σ(l) + (1−x)·log(1−σ(l))] (and, for extreme logits, finite).
     */
    @Test
    void bernoulliRecMatchesHandFormula() {
        double[] logits = {-4, -1.5, -0.2, 0, 0.3, 1, 2.5, 6, -3, 0.7, -0.5, 3};
        double[] xs = {0, 1, 0.25, 0.5, 1, 0, 0.9, 1, 0.1, 0.6, 0, 0.33};
        NativeMlpEngine engine = new NativeMlpEngine(SMALL, 4, 1e-3, 2, DataType.DOUBLE);
        setOutputLogits(engine, logits);
        double expected = 0;
        for (int p = 0; p < 12; p++) {
            double s = 1 / (1 + Math.exp(-logits[p]));
            expected -= xs[p] * Math.log(s) + (1 - xs[p]) * Math.log(1 - s);
        }
        INDArray x = Nd4j.createFromArray(new double[][]{xs, xs});
        INDArray z = EngineFixtures.normal(new Random(1), 2, 3, DataType.DOUBLE);
        double[] rec = engine.reconstructionNll(x, z);
        assertEquals(expected, rec[0], 1e-12);
        assertEquals(expected, rec[1], 1e-12);

        // Extreme logits in single precision: the stable form stays finite and exact (relu(l) − x·l).
        NativeMlpEngine single = new NativeMlpEngine(SMALL, 4, 1e-3, 2, DataType.FLOAT);
        double[] extreme = new double[12];
        for (int p = 0; p < 12; p++) extreme[p] = p % 2 == 0 ? 200 : -200;
        setOutputLogits(single, extreme);
        double[] ones = new double[12];
        java.util.Arrays.fill(ones, 1);
        double r = single.reconstructionNll(Nd4j.createFromArray(new double[][]{ones}).castTo(DataType.FLOAT),
                z.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).castTo(DataType.FLOAT))[0];
        assertEquals(6 * 200, r, 1e-3); // x = 1: zero loss where l = 200, 200 nats where l = −200
    }

    /** Gaussian Rec = Σ(x − σ(l))²/(2σ²) + (D/2)·log(2πσ²), on the same construction. */
    @Test
    void gaussianRecMatchesHandFormula() {
        double sigma = 0.3;
        VaeArchitecture arch = VaeArchitecture.gaussian(12, List.of(7, 5), 3, Activation.TANH, sigma);
        double[] logits = {-4, -1.5, -0.2, 0, 0.3, 1, 2.5, 6, -3, 0.7, -0.5, 3};
        double[] xs = {0, 1, 0.25, 0.5, 1, 0, 0.9, 1, 0.1, 0.6, 0, 0.33};
        NativeMlpEngine engine = new NativeMlpEngine(arch, 4, 1e-3, 2, DataType.DOUBLE);
        setOutputLogits(engine, logits);
        assertEquals(gaussianRecByHand(logits, xs, sigma), recOfOneRow(engine, xs), 1e-12);
    }

    /** Σ_p (x_p − σ(l_p))²/(2σ²) + (D/2)·log(2πσ²). */
    private static double gaussianRecByHand(double[] logits, double[] xs, double sigma) {
        double expected = xs.length / 2.0 * Math.log(2 * Math.PI * sigma * sigma);
        for (int p = 0; p < xs.length; p++) {
            double m = 1 / (1 + Math.exp(-logits[p]));
            expected += (xs[p] - m) * (xs[p] - m) / (2 * sigma * sigma);
        }
        return expected;
    }

    /** The engine's Rec of one image x at a z drawn from seed 1 (z does not matter once the logits are fixed). */
    private static double recOfOneRow(NativeMlpEngine engine, double[] xs) {
        return engine.reconstructionNll(Nd4j.createFromArray(new double[][]{xs}),
                EngineFixtures.normal(new Random(1), 1, 3, DataType.DOUBLE))[0];
    }

    /** A σ set after construction replaces the architecture's in Rec; a Bernoulli decoder has none to set. */
    @Test
    void decoderSigmaCanBeReplacedForGaussianOnly() {
        VaeArchitecture arch = VaeArchitecture.gaussian(12, List.of(7, 5), 3, Activation.TANH, 1.0);
        double[] logits = {-4, -1.5, -0.2, 0, 0.3, 1, 2.5, 6, -3, 0.7, -0.5, 3};
        double[] xs = {0, 1, 0.25, 0.5, 1, 0, 0.9, 1, 0.1, 0.6, 0, 0.33};
        NativeMlpEngine engine = new NativeMlpEngine(arch, 4, 1e-3, 2, DataType.DOUBLE);
        setOutputLogits(engine, logits);
        double sigma = 0.2;
        engine.setDecoderSigma(sigma);
        assertEquals(sigma, engine.decoderSigma());
        assertEquals(gaussianRecByHand(logits, xs, sigma), recOfOneRow(engine, xs), 1e-10);

        var bad = assertThrows(IllegalArgumentException.class, () -> engine.setDecoderSigma(-0.5));
        assertTrue(bad.getMessage().contains("-0.5"), bad.getMessage());
        NativeMlpEngine bernoulli = new NativeMlpEngine(SMALL, 4, 1e-3, 2, DataType.DOUBLE);
        assertThrows(IllegalStateException.class, () -> bernoulli.setDecoderSigma(0.5));
    }

    /**
     * The decoder mean is sigmoid(l) in both precisions for logits where the branch-free selection of the host
     * passes could go wrong: ±0, subnormal, tiny, moderate and saturating magnitudes of either sign.
     */
    @Test
    void decoderMeanIsSigmoidAtEdgeLogits() {
        double[] logits = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-30, -1e-30, 1e-8, -1e-8, 3.5, -3.5, 200, -200};
        float[] floatLogits = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 3.5f, -3.5f, 200, -200};
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            NativeMlpEngine engine = new NativeMlpEngine(SMALL, 4, 1e-3, 2, type);
            double[] l = new double[12];
            for (int p = 0; p < 12; p++) l[p] = type == DataType.DOUBLE ? logits[p] : floatLogits[p];
            setOutputLogits(engine, l);
            double[] mean = engine.decode(EngineFixtures.normal(new Random(1), 1, 3, type)).toDoubleVector();
            for (int p = 0; p < 12; p++) {
                double exact = 1 / (1 + Math.exp(-l[p]));
                double expected = type == DataType.DOUBLE ? exact : (float) exact; // sigmoid(−200) is 0 in float
                double tol = type == DataType.DOUBLE ? 1e-15 * expected : 2.4e-7 * expected; // 4 ulp of float
                assertEquals(expected, mean[p], tol, type + " sigmoid(" + l[p] + ")");
            }
        }
    }

    /**
     * The single-precision passes that train every model agree with the double-precision ones that the gradient
     * check verifies: loss, every gradient entry, Rec per example, the posterior and the decoder mean, for both
     * likelihoods and activations, with the squared-error term and unequal KL weights.
     */
    @Test
    void floatAndDoubleEnginesAgree() {
        for (Likelihood lik : Likelihood.values())
            for (Activation act : Activation.values()) {
                VaeArchitecture arch = lik == Likelihood.BERNOULLI
                        ? VaeArchitecture.bernoulli(30, List.of(20, 10), 4, act)
                        : VaeArchitecture.gaussian(30, List.of(20, 10), 4, act, 0.4);
                NativeMlpEngine d = new NativeMlpEngine(arch, 16, 1e-3, 7, DataType.DOUBLE);
                NativeMlpEngine f = new NativeMlpEngine(arch, 16, 1e-3, 7, DataType.FLOAT);
                Random rng = new Random(8);
                INDArray theta = d.parameters();
                for (int i = 0; i < theta.length(); i++) {
                    double v = d.describeParameter(i).contains(".b[") ? 0.3 * rng.nextGaussian() : theta.getDouble(i);
                    theta.putScalar(i, (float) v); // representable in both precisions
                }
                f.parameters().assign(theta.castTo(DataType.FLOAT));
                INDArray x = EngineFixtures.uniform(rng, 16, 30, DataType.FLOAT);
                INDArray eps = EngineFixtures.normal(rng, 16, 4, DataType.FLOAT);
                LossWeights w = new LossWeights(0.8, 0.6, new double[]{1.0, 0.5, 0.0, 2.0}, Map.of());
                String what = lik + " " + act;

                double ld = d.lossAndGradient(x.castTo(DataType.DOUBLE), eps.castTo(DataType.DOUBLE), w);
                double lf = f.lossAndGradient(x, eps, w);
                assertEquals(ld, lf, 1e-5 * Math.abs(ld), what + " loss");
                double[] gd = d.gradient().toDoubleVector(), gf = f.gradient().toDoubleVector();
                double scale = 0;
                for (double g : gd) scale = Math.max(scale, Math.abs(g));
                for (int i = 0; i < gd.length; i++)
                    assertEquals(gd[i], gf[i], 1e-5 * scale + 1e-4 * Math.abs(gd[i]), what + " " + d.describeParameter(i));

                INDArray z = EngineFixtures.normal(rng, 16, 4, DataType.FLOAT);
                assertArrayEquals(d.reconstructionNll(x.castTo(DataType.DOUBLE), z.castTo(DataType.DOUBLE)),
                        f.reconstructionNll(x, z), 1e-3, what + " Rec");
                assertArrayEquals(d.decode(z.castTo(DataType.DOUBLE)).ravel().toDoubleVector(), f.decode(z).ravel().toDoubleVector(), 1e-6,
                        what + " decoder mean");
                Posterior pd = d.encode(x.castTo(DataType.DOUBLE)), pf = f.encode(x);
                for (int i = 0; i < 16; i++)
                    for (int j = 0; j < 4; j++) {
                        assertEquals(pd.mu(i, j), pf.mu(i, j), 1e-6, what + " mu");
                        assertEquals(pd.logvar(i, j), pf.logvar(i, j), 1e-6, what + " logvar");
                    }
            }
    }

    /**
     * The single-precision exp(−|l|) of the host passes: within 2 ulp, and off by less than the smallest normal float
     * (1.2e-38, where it flushes to 0) below that.
     */
    @Test
    void singlePrecisionExpIsWithinFloatRounding() {
        int n = 2_000_001;
        float[] l = new float[n], e = new float[n], t = new float[n];
        for (int i = 0; i < n; i++) l[i] = (i - n / 2) * 1e-4f; // −100 … 100
        l[0] = Float.NEGATIVE_INFINITY;
        HostPasses.Single.expNegAbs(l, e, t, new int[n], 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(-Math.abs((double) l[i]));
            if (exact >= Float.MIN_NORMAL * 1.01) worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
            else assertTrue(e[i] >= 0 && Math.abs(e[i] - exact) <= 1.02 * Float.MIN_NORMAL, "exp(" + (-Math.abs(l[i])) + ") = " + e[i]);
        }
        assertTrue(worst < 1.2e-7, "worst relative error " + worst); // 2 ulp of float
    }

    /** The single-precision log1p of the host passes, on its whole domain [0, 1]. */
    @Test
    void singlePrecisionLog1pIsWithinFloatRounding() {
        double worst = 0;
        for (int i = 0; i <= 1_000_000; i++) {
            float e = i == 0 ? 0f : (float) Math.exp(-i * 2e-5); // e = exp(−|l|) for |l| up to 20
            double exact = Math.log1p(e);
            float got = HostPasses.Single.log1p(e);
            if (exact > 0) worst = Math.max(worst, Math.abs(got - exact) / exact);
            else assertEquals(0f, got);
        }
        assertTrue(worst < 2.5e-7, "worst relative error " + worst); // 2 ulp of float
    }

    /** Uses the documented layout: the decoder's output layer is last, its weights then its bias. */
    private static void setOutputLogits(NativeMlpEngine engine, double[] logits) {
        INDArray theta = engine.parameters();
        long p = theta.length(), d = logits.length, hidden = 7;
        theta.get(NDArrayIndex.interval(p - d - hidden * d, p - d)).assign(0);
        theta.get(NDArrayIndex.interval(p - d, p)).assign(Nd4j.createFromArray(logits).castTo(theta.dataType()));
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void equalSeedsGiveIdenticalRuns() {
        // Batch 40 splits the element-wise passes between two threads; engine c runs while this thread holds
        // RowSplit's helper, so c runs every part itself. All three must agree to the bit.
        VaeArchitecture arch = VaeArchitecture.bernoulli(20, List.of(16, 8), 4, Activation.RELU);
        NativeMlpEngine a = new NativeMlpEngine(arch, 40, 1e-2, 42, DataType.FLOAT);
        NativeMlpEngine b = new NativeMlpEngine(arch, 40, 1e-2, 42, DataType.FLOAT);
        NativeMlpEngine c = new NativeMlpEngine(arch, 40, 1e-2, 42, DataType.FLOAT);
        NativeMlpEngine other = new NativeMlpEngine(arch, 40, 1e-2, 43, DataType.FLOAT);
        var beta = LossWeights.beta(1, 4);
        Random rng = new Random(7);
        double la = 0, lb = 0, lo = 0;
        for (int t = 0; t < 6; t++) {
            INDArray x = EngineFixtures.uniform(rng, 40, 20, DataType.FLOAT);
            INDArray eps = EngineFixtures.normal(rng, 40, 4, DataType.FLOAT);
            la = EngineFixtures.step(a, x, eps, beta);
            lb = EngineFixtures.step(b, x, eps, beta);
            double[] lc = new double[1];
            RowSplit.SHARED.run(RowSplit.MIN_SPLIT, (part, from, to) -> {
                if (part == 0) lc[0] = EngineFixtures.step(c, x, eps, beta);
            });
            lo = EngineFixtures.step(other, x, eps, beta);
            assertEquals(la, lb, 0.0, "step " + t);
            assertEquals(la, lc[0], 0.0, "step " + t + ", passes on one thread");
        }
        assertArrayEquals(a.parameters().toFloatVector(), b.parameters().toFloatVector(), 0f);
        assertArrayEquals(a.parameters().toFloatVector(), c.parameters().toFloatVector(), 0f);
        assertNotEquals(la, lo, "a different seed should give a different run");
    }

    // ------------------------------------------------------------------ learning

    /** 200 noisy copies of 4 binary prototypes (D = 64): 300 Adam steps at β = 1 must cut the loss. */
    @Test
    void lossFallsOnPrototypePatterns() {
        int n = 200, dim = 64, batch = 20;
        Random rng = new Random(3);
        double[][] prototypes = new double[4][dim];
        for (double[] p : prototypes) for (int j = 0; j < dim; j++) p[j] = rng.nextBoolean() ? 1 : 0;
        double[][] data = new double[n][];
        for (int i = 0; i < n; i++) {
            data[i] = prototypes[i % 4].clone();
            for (int j = 0; j < dim; j++) if (rng.nextDouble() < 0.05) data[i][j] = 1 - data[i][j];
        }
        INDArray all = Nd4j.createFromArray(data).castTo(DataType.FLOAT);
        VaeArchitecture arch = VaeArchitecture.bernoulli(dim, List.of(32), 4, Activation.RELU);
        NativeMlpEngine engine = new NativeMlpEngine(arch, batch, 3e-3, 5, DataType.FLOAT);
        var beta = LossWeights.beta(1, 4);

        int steps = 300, perEpoch = n / batch;
        double first = 0, last = 0;
        for (int t = 0; t < steps; t++) {
            int b0 = (t % perEpoch) * batch;
            INDArray x = all.get(NDArrayIndex.interval(b0, b0 + batch), NDArrayIndex.all());
            INDArray eps = EngineFixtures.normal(rng, batch, 4, DataType.FLOAT);
            double loss = EngineFixtures.step(engine, x, eps, beta);
            assertTrue(Double.isFinite(loss), "loss at step " + t);
            if (t < perEpoch) first += loss / perEpoch;
            if (t >= steps - perEpoch) last += loss / perEpoch;
        }
        if (VERBOSE) System.out.printf("prototype patterns: mean loss %.2f in the first epoch, %.2f in the last%n", first, last);
        assertTrue(last < 0.8 * first, "loss fell only from " + first + " to " + last);
    }

    // ------------------------------------------------------------------ batch sizes

    /**
     * Over many batches, {@link NativeMlpEngine#reconstructionNll} works chunk by chunk (and, for
     * Bernoulli, skips the decoder mean); every row must get exactly what a one-row call gives.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void reconstructionNllOfManyBatchesEqualsRowByRow(DataType type) {
        // A full evaluation chunk and a short one, each split between two threads (RowSplit); one row never is.
        int n = NativeMlpEngine.MIN_EVAL_ROWS + 77;
        for (VaeArchitecture arch : List.of(SMALL, VaeArchitecture.gaussian(12, List.of(7, 5), 3, Activation.RELU, 0.3))) {
            try (NativeMlpEngine engine = new NativeMlpEngine(arch, 32, 1e-3, 5, type)) {
                Random rng = new Random(6);
                INDArray x = EngineFixtures.uniform(rng, n, 12, type);
                INDArray z = EngineFixtures.normal(rng, n, 3, type);
                double[] all = engine.reconstructionNll(x, z);
                for (int i : sampledRows(n)) {
                    double one = engine.reconstructionNll(x.getRow(i, true).dup(), z.getRow(i, true).dup())[0];
                    assertEquals(one, all[i], 0, arch.likelihood() + " row " + i);
                }
                // Whole row-major buffers are read in place; a row range of a larger array or a column-major
                // copy goes through the engine's own buffers. The numbers must not depend on the route.
                INDArray bigX = EngineFixtures.uniform(rng, n + 9, 12, type), bigZ = EngineFixtures.normal(rng, n + 9, 3, type);
                INDArray xView = bigX.get(NDArrayIndex.interval(5, n + 5), NDArrayIndex.all());
                INDArray zView = bigZ.get(NDArrayIndex.interval(5, n + 5), NDArrayIndex.all());
                xView.assign(x);
                zView.assign(z);
                assertArrayEquals(all, engine.reconstructionNll(xView, zView), 0, arch.likelihood() + " row range");
                assertArrayEquals(all, engine.reconstructionNll(x.dup('f'), z.dup('f')), 0, arch.likelihood() + " column-major");
            }
        }
    }

    /** Every 13th row of n, and the rows on both sides of each evaluation-chunk boundary. */
    private static int[] sampledRows(int n) {
        java.util.TreeSet<Integer> rows = new java.util.TreeSet<>();
        for (int i = 0; i < n; i += 13) rows.add(i);
        for (int b = 0; b <= n; b += NativeMlpEngine.MIN_EVAL_ROWS)
            for (int i = b - 1; i <= b; i++) if (i >= 0 && i < n) rows.add(i);
        rows.add(n - 1);
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A short last batch works and gives what an engine built for that batch size gives. */
    @Test
    void partialBatchMatchesEngineOfThatSize() {
        NativeMlpEngine big = new NativeMlpEngine(SMALL, 16, 1e-3, 8, DataType.DOUBLE);
        NativeMlpEngine exact = new NativeMlpEngine(SMALL, 5, 1e-3, 8, DataType.DOUBLE);
        Random rng = new Random(4);
        var beta = LossWeights.beta(1, 3);
        INDArray xFull = EngineFixtures.uniform(rng, 16, 12, DataType.DOUBLE);
        INDArray epsFull = EngineFixtures.normal(rng, 16, 3, DataType.DOUBLE);
        INDArray xPart = EngineFixtures.uniform(rng, 5, 12, DataType.DOUBLE);
        INDArray epsPart = EngineFixtures.normal(rng, 5, 3, DataType.DOUBLE);
        for (NativeMlpEngine e : List.of(big, exact)) {
            EngineFixtures.step(e, xFull, epsFull, beta);
            EngineFixtures.step(e, xPart, epsPart, beta);
            EngineFixtures.step(e, xFull, epsFull, beta);
        }
        assertArrayEquals(exact.parameters().toDoubleVector(), big.parameters().toDoubleVector(), 1e-12);
    }

    /**
     * The engine reads a row-major x of its own type in place and copies anything else; both routes must give
     * the same step (column-major x, double x and double ε for a float engine, a row range of a larger array).
     */
    @Test
    void inputLayoutAndTypeDoNotMatter() {
        Random rng = new Random(12);
        INDArray big = EngineFixtures.uniform(rng, 20, 12, DataType.FLOAT);
        INDArray x = big.get(NDArrayIndex.interval(3, 11), NDArrayIndex.all());
        INDArray eps = EngineFixtures.normal(rng, 8, 3, DataType.FLOAT);
        INDArray[][] variants = {
                {x.dup('c'), eps},
                {x, eps},
                {x.dup('f'), eps.dup('f')},
                {x.castTo(DataType.DOUBLE), eps.castTo(DataType.DOUBLE)}};
        var beta = LossWeights.beta(1, 3);
        double[] reference = null;
        for (INDArray[] v : variants) {
            NativeMlpEngine engine = new NativeMlpEngine(SMALL, 8, 1e-2, 3, DataType.FLOAT);
            double loss = EngineFixtures.step(engine, v[0], v[1], beta);
            double[] result = {loss, EngineFixtures.step(engine, v[0], v[1], beta)};
            if (reference == null) reference = result;
            else assertArrayEquals(reference, result, 1e-5);
        }
    }

    /** Evaluation chunks internally: results do not depend on how many rows are passed at once. */
    @Test
    void evaluationIsIndependentOfChunking() {
        NativeMlpEngine engine = new NativeMlpEngine(SMALL, 16, 1e-3, 6, DataType.DOUBLE);
        Random rng = new Random(6);
        int n = NativeMlpEngine.MIN_EVAL_ROWS + 37;   // a full evaluation chunk and a short one
        INDArray x = EngineFixtures.uniform(rng, n, 12, DataType.DOUBLE);
        INDArray z = EngineFixtures.normal(rng, n, 3, DataType.DOUBLE);
        Posterior all = engine.encode(x);
        double[] recAll = engine.reconstructionNll(x, z);
        INDArray meanAll = engine.decode(z);
        assertEquals(n, all.n());
        assertArrayEquals(new long[]{n, 12}, meanAll.shape());
        for (int i : sampledRows(n)) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
            INDArray zi = z.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
            Posterior one = engine.encode(xi);
            for (int j = 0; j < 3; j++) {
                assertEquals(one.mu(0, j), all.mu(i, j), 1e-12);
                assertEquals(one.logvar(0, j), all.logvar(i, j), 1e-12);
            }
            assertEquals(engine.reconstructionNll(xi, zi)[0], recAll[i], 1e-10);
            assertArrayEquals(engine.decode(zi).toDoubleVector(),
                    meanAll.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).toDoubleVector(), 1e-12);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        NativeMlpEngine engine = new NativeMlpEngine(SMALL, 4, 1e-3, 1, DataType.FLOAT);
        var beta = LossWeights.beta(1, 3);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 4, 12);
        assertThrows(IllegalArgumentException.class,
                () -> EngineFixtures.step(engine, x, Nd4j.zeros(DataType.FLOAT, 3, 3), beta));
        assertThrows(IllegalArgumentException.class,
                () -> EngineFixtures.step(engine, x, Nd4j.zeros(DataType.FLOAT, 4, 3), LossWeights.beta(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> engine.encode(Nd4j.zeros(DataType.FLOAT, 4, 11)));
    }

    /** A step updates from its own forward pass only: none yet, one already used, or one whose buffers evaluation reused. */
    @Test
    void stepNeedsItsOwnForwardPass() {
        NativeMlpEngine engine = new NativeMlpEngine(SMALL, 4, 1e-3, 1, DataType.FLOAT);
        var beta = LossWeights.beta(1, 3);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 4, 12), eps = Nd4j.zeros(DataType.FLOAT, 4, 3);
        assertThrows(IllegalStateException.class, () -> engine.step(beta));
        engine.forward(x, eps);
        engine.step(beta);
        assertThrows(IllegalStateException.class, () -> engine.step(beta), "one step per forward pass");
        engine.forward(x, eps);
        engine.encode(x);
        assertThrows(IllegalStateException.class, () -> engine.step(beta), "evaluation reused the buffers");
    }

    @Test
    void countsParameters() {
        long expected = (12 * 7 + 7) + (7 * 5 + 5) + (5 * 6 + 6) + (3 * 5 + 5) + (5 * 7 + 7) + (7 * 12 + 12);
        assertEquals(expected, new NativeMlpEngine(SMALL, 4, 1e-3, 1, DataType.FLOAT).parameterCount());
    }

    /**
     * Scoring several latents per image in place gives exactly the numbers of scoring the image repeated: across the
     * evaluation chunks (1,024 rows, here not a multiple of the 7 samples per image), in both precisions, for a
     * Gaussian decoder, and for an x that is a view rather than a whole buffer.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void repeatedRowsScoreAsTheRepeatedArray(DataType type) {
        int images = 300, times = 7;
        Random rng = new Random(4);
        INDArray all = EngineFixtures.uniform(rng, images + 5, 12, type);
        INDArray x = all.get(NDArrayIndex.interval(0, images), NDArrayIndex.all()).dup('c');
        INDArray z = EngineFixtures.normal(rng, images * times, 3, type);
        INDArray repeated = x.repeat(0, times);
        assertEquals(x.getDouble(1, 5), repeated.getDouble(times, 5), "row 1 of x is row " + times + " of the repeat");
        for (VaeArchitecture arch : List.of(SMALL, VaeArchitecture.gaussian(12, List.of(7, 5), 3, Activation.RELU, 0.3))) {
            NativeMlpEngine engine = new NativeMlpEngine(arch, 64, 1e-3, 5, type);
            double[] expected = engine.reconstructionNll(repeated, z);
            assertArrayEquals(expected, engine.reconstructionNll(x, times, z), 0.0, arch + " " + type);
            INDArray view = all.get(NDArrayIndex.interval(0, images), NDArrayIndex.all());
            assertArrayEquals(expected, engine.reconstructionNll(view, times, z), 0.0, "a view of x, " + arch + " " + type);
            assertThrows(IllegalArgumentException.class, () -> engine.reconstructionNll(x, times + 1, z));
        }
    }
}
