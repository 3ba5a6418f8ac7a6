package org.vaelab.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma &amp; Ba 2015, arXiv:1412.6980, Algorithm 1) over one flat parameter vector and its gradient.
 *
 * <p>The update is {@code θ ← θ − lr · m̂ / (√v̂ + ε)} with bias-corrected moments, computed in the
 * algebraically equal form {@code θ ← θ − α_t · m / (√v + ε̂)}, {@code α_t = lr·√(1−β2^t)/(1−β1^t)},
 * {@code ε̂ = ε·√(1−β2^t)} (as in PyTorch, which places ε after the bias correction too).
 *
 * <p>Why a Java loop and not ND4J: on this machine ND4J's element-wise {@code sqrt} takes 4.7 ms per million
 * floats and its fused {@code AdamUpdater} 7.5–9 ms for the 1.09 M parameters of the reference model, while
 * a loop over heap arrays, which the JIT vectorises, takes about 0.8 ms. The moments live on the heap; the
 * parameters and the gradient stay in native memory and are streamed through in blocks of {@value #BLOCK}
 * elements: one bulk read of a gradient block and a parameter block, the update, one bulk write of the parameter
 * block, with the four blocks touched (32 KB in single precision) inside the 48 KB L1 data cache. Copying the
 * whole vectors in and out instead cost 1.1 ms on top of the loop; the blocked step takes 1.25–1.35 ms CPU time
 * in all, against 1.9–2.1 ms (reference model, same process, interleaved). Parameters are re-read from native
 * memory on every step, so writes through {@link NativeMlpEngine#parameters()} between steps are respected.
 *
 * <p>Two threads: the blocks are split into {@link RowSplit#PARTS} parts shared between the caller and
 * {@link RowSplit}'s helper (elements are independent, so the result does not depend on the split). An earlier attempt was slower (median 9.6 against
 * 8.35 ms per step on 2 cores) because OpenBLAS's worker thread kept spinning on the other core after each matrix
 * product; the launcher now sets {@code OPENBLAS_THREAD_TIMEOUT=4} so that it sleeps instead (see {@code Main}).
 */
final class FlatAdam {

    /** Elements per block. */
    static final int BLOCK = 2048;
    /**
     * Moments at or below this magnitude are set to 0 every {@value #FLUSH_EVERY} steps. Why: the first moment of a
     * weight whose gradient is exactly 0 (behind a dead ReLU unit, say) decays by β1 = 0.9 per step into subnormal
     * floats, and arithmetic on subnormals is ~100× slower on x86: on Fashion-MNIST the Adam step grew from 1.5 to
     * 3.4 ms by epoch 4. 2^-100 is far below anything that moves a parameter (the step is then ≤ α·2^-100/ε).
     */
    static final double TINY = 0x1p-100;
    /**
     * Steps between flushes. From 2^-100 a moment needs 0.9^k &lt; 2^-126/2^-100, k ≥ 171 steps to become subnormal,
     * so a flush every 64 steps keeps every moment normal; a separate pass keeps the update loop free of branches
     * (vectorised) and costs about 1 ms every 64 steps.
     */
    static final int FLUSH_EVERY = 64;

    private final double learningRate, beta1, beta2, epsilon;
    private final INDArray params, grad;
    private final int n;
    /** The moments, one array per block: indexing them like the block buffers lets the JIT vectorise the update. */
    private final float[][] mf, vf;
    private final double[][] md, vd;
    /** Per-part block buffers: the parts of the blocks are updated on two threads ({@link RowSplit}). */
    private final float[][] pfBlock, gfBlock;
    private final double[][] pdBlock, gdBlock;
    private long t;

    /**
     * @param params the flat parameter vector (a whole buffer, not a view), updated in place
     * @param grad   the flat gradient, same length and type; read only
     */
    FlatAdam(INDArray params, INDArray grad, double learningRate, double beta1, double beta2, double epsilon) {
        if (params.dataType() != grad.dataType() || params.length() != grad.length())
            throw new IllegalArgumentException("parameters and gradient must have equal type and length");
        if (params.data().length() != params.length() || grad.data().length() != grad.length())
            throw new IllegalArgumentException("parameters and gradient must own their whole buffers");
        this.params = params;
        this.grad = grad;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        n = Math.toIntExact(params.length());
        boolean single = params.dataType() == DataType.FLOAT;
        int blocks = (n + BLOCK - 1) / BLOCK;
        mf = single ? new float[blocks][BLOCK] : null;
        vf = single ? new float[blocks][BLOCK] : null;
        pfBlock = single ? new float[RowSplit.PARTS][BLOCK] : null;
        gfBlock = single ? new float[RowSplit.PARTS][BLOCK] : null;
        md = single ? null : new double[blocks][BLOCK];
        vd = single ? null : new double[blocks][BLOCK];
        pdBlock = single ? null : new double[RowSplit.PARTS][BLOCK];
        gdBlock = single ? null : new double[RowSplit.PARTS][BLOCK];
    }

    /** The first (k = 1) or second (k = 2) moment of parameter i, for tests. */
    double moment(int k, int i) {
        int b = i / BLOCK, j = i % BLOCK;
        if (mf != null) return (k == 1 ? mf : vf)[b][j];
        return (k == 1 ? md : vd)[b][j];
    }

    /** Updates taken so far. */
    long steps() {
        return t;
    }

    /** One update of the parameters from the gradient currently in the gradient vector. */
    void step() {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        double alpha = learningRate * Math.sqrt(bc2) / bc1, eps = epsilon * Math.sqrt(bc2);
        boolean flush = t % FLUSH_EVERY == 0;
        if (mf != null) {
            FloatBuffer p = params.data().asNioFloat(), g = grad.data().asNioFloat();
            float b1 = (float) beta1, b2 = (float) beta2, a = (float) alpha, e = (float) eps;
            RowSplit.SHARED.run(mf.length, (part, b0, b1End) -> {
                float[] pBlock = pfBlock[part], gBlock = gfBlock[part];
                for (int b = b0; b < b1End; b++) {
                    int from = b * BLOCK, len = Math.min(BLOCK, n - from);
                    g.get(from, gBlock, 0, len);
                    p.get(from, pBlock, 0, len);
                    update(pBlock, gBlock, mf[b], vf[b], len, b1, b2, a, e);
                    p.put(from, pBlock, 0, len);
                    if (flush) {
                        flush(mf[b]);
                        flush(vf[b]);
                    }
                }
            });
        } else {
            DoubleBuffer p = params.data().asNioDouble(), g = grad.data().asNioDouble();
            RowSplit.SHARED.run(md.length, (part, b0, b1End) -> {
                double[] pBlock = pdBlock[part], gBlock = gdBlock[part];
                for (int b = b0; b < b1End; b++) {
                    int from = b * BLOCK, len = Math.min(BLOCK, n - from);
                    g.get(from, gBlock, 0, len);
                    p.get(from, pBlock, 0, len);
                    update(pBlock, gBlock, md[b], vd[b], len, beta1, beta2, alpha, eps);
                    p.put(from, pBlock, 0, len);
                    if (flush) {
                        flush(md[b]);
                        flush(vd[b]);
                    }
                }
            });
        }
    }

    /** Sets entries with |a[i]| ≤ {@link #TINY} to 0. */
    static void flush(float[] a) {
        for (int i = 0; i < a.length; i++) if (Math.abs(a[i]) <= (float) TINY) a[i] = 0;
    }

    static void flush(double[] a) {
        for (int i = 0; i < a.length; i++) if (Math.abs(a[i]) <= TINY) a[i] = 0;
    }

    /**
     * Updates p[0, len) and its moments m, v[0, len) from g[0, len). Every array is indexed alike: with an offset
     * into whole-vector moment arrays instead, C2 (JDK 17) does not vectorise the loop and it runs 5x slower.
     */
    private static void update(float[] p, float[] g, float[] m, float[] v, int len,
                               float b1, float b2, float alpha, float eps) {
        float c1 = 1 - b1, c2 = 1 - b2;
        for (int i = 0; i < len; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    private static void update(double[] p, double[] g, double[] m, double[] v, int len,
                               double b1, double b2, double alpha, double eps) {
        double c1 = 1 - b1, c2 = 1 - b2;
        for (int i = 0; i < len; i++) {
            double gi = g[i];
            double mi = b1 * m[i] + c1 * gi;
            double vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= alpha * mi / (Math.sqrt(vi) + eps);
        }
    }
}
