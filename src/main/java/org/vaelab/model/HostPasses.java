package org.vaelab.model;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise part of {@link NativeMlpEngine}'s forward and backward passes, run as Java loops over heap
 * arrays for one batch size: the engine's matrix products stay in ND4J, and each pass here reads a product from
 * native memory in one bulk copy, does all its element-wise work in one or two loops that the JIT vectorises, and
 * writes what the next product needs back in one bulk copy.
 *
 * <p>Why: ND4J runs one native op per element-wise operation, each a full pass over memory plus ~10–20 µs of
 * call overhead, and evaluates {@code exp}, {@code log1p} and {@code sigmoid} with scalar libm calls. The
 * Bernoulli loss and its gradient took 12 such ops (three of them transcendental), about 1.6–2.4 ms per step of
 * the reference model; bias, activation and their derivatives 2 ops per layer each way; the bias gradients 6
 * matrix-vector products. Here no ND4J op remains: {@code exp(−|l|)} of the logits is computed once (in single
 * precision by a vectorised polynomial, {@link Single#expNegAbs}), and the loss, the sigmoid and the gradient
 * all follow from it.
 *
 * <p>Loops are written so that C2 (JDK 17) vectorises them, which it does not do for a data-dependent branch
 * ({@code a > 0 ? d : 0} ran 30x slower than the select used here) or for a floating-point sum into one
 * accumulator (sums here use eight). Selections are therefore arithmetic and exact: for {@code a ≥ 0},
 * {@code min(a·2^100·2^100, 1)} is 0 for 0 and 1 for every positive float, subnormals included (2^600·2^600 in
 * double precision).
 *
 * <p>Two threads: the single-precision passes over whole batches split their rows into {@link RowSplit#PARTS} parts
 * shared between the caller and {@link RowSplit}'s helper thread, which would otherwise idle while OpenBLAS is not
 * running. A pass that reduces over rows (bias gradients) keeps one accumulator per part and adds them in part order, so results
 * do not depend on which thread ran what. Work on the n × d latent matrices (d = 32 for the reference model) stays on
 * the caller: it is too small to pay for a hand-off.
 *
 * <p>One subclass per precision, {@link Single} for training and {@link Double} for the gradient checks, with the
 * same loops: {@code NativeMlpEngineGradientTest} checks the double passes against finite differences and
 * {@code NativeMlpEngineTest#floatAndDoubleEnginesAgree} the float passes against the double ones.
 *
 * <p>Row-major layout throughout: element (i, j) of an n × w matrix is at {@code i·w + j}. Bias and bias-gradient
 * offsets are element offsets into the engine's flat parameter and gradient vectors.
 *
 * <p>Long because the two precisions must run the same loops, and side by side in one file a reader can check that
 * they do; each pass is one vectorisable loop per element-wise step of the engine, and there is nothing else here.
 */
abstract class HostPasses {

    /** Rows (examples) of this batch size; input width D; latent width d. */
    final int n, inputDim, latentDim;

    HostPasses(int n, int inputDim, int latentDim) {
        this.n = n;
        this.inputDim = inputDim;
        this.latentDim = latentDim;
    }

    /** Passes for the engine's type, over {@code params} and {@code grad} (whole flat vectors, offset 0). */
    static HostPasses create(DataType dtype, int n, VaeArchitecture arch, INDArray params, INDArray grad) {
        int maxHidden = 0;
        for (int h : arch.encoderHidden()) maxHidden = Math.max(maxHidden, h);
        for (int h : arch.decoderHidden()) maxHidden = Math.max(maxHidden, h);
        return dtype == DataType.FLOAT
                ? new Single(n, arch, maxHidden, params.data().asNioFloat(), grad.data().asNioFloat())
                : new Double(n, arch, maxHidden, params.data().asNioDouble(), grad.data().asNioDouble());
    }

    /** The NIO view through which the passes read and write a whole native array (row-major, offset 0). */
    static Buffer nio(INDArray a) {
        return a.dataType() == DataType.FLOAT ? a.data().asNioFloat() : a.data().asNioDouble();
    }

    /** Copies {@code length} elements from {@code src} at {@code offset} to the start of {@code dst} (same type). */
    static void copy(Buffer src, int offset, Buffer dst, int length) {
        if (src instanceof FloatBuffer f) ((FloatBuffer) dst).put(0, f, offset, length);
        else ((DoubleBuffer) dst).put(0, (DoubleBuffer) src, offset, length);
    }

    // ------------------------------------------------------------------ inputs

    /** Reads the n × D input x from element {@code offset} of a row-major buffer on. */
    abstract void readInput(Buffer x, int offset);

    /** Reads the n × d noise ε. */
    abstract void readNoise(Buffer eps);

    // ------------------------------------------------------------------ forward

    /**
     * Hidden layer {@code slot} of the encoder ({@code encoder} true) or decoder: {@code a = act(out + b)} for the
     * n × width product {@code out}, kept here for the backward pass and written back over {@code out}. For tanh
     * only the bias is added here and {@code tanh} is applied by the caller (ND4J), followed by {@link #readTanh}.
     */
    abstract void hiddenForward(boolean encoder, int slot, Buffer out, int width, long biasOffset, boolean relu);

    /** Reads the tanh activations that the caller computed in place over {@code out}. */
    abstract void readTanh(boolean encoder, int slot, Buffer out, int width);

    /** Encoder head: {@code [μ | log σ²] = out + b} from the n × 2d product. */
    abstract void head(Buffer out, long biasOffset);

    /** Copies μ and log σ² (row-major n × d) into {@code mu} and {@code logvar} from row {@code rowOffset} on. */
    abstract void copyPosterior(double[] mu, double[] logvar, int rowOffset);

    /**
     * Reparameterisation and KL: {@code σ = exp(½·log σ²)}, {@code z = μ + σ ⊙ ε} written to {@code z}, and
     * {@code klPerDim[j] = Σ_i ½(μ² + σ² − log σ² − 1)} (sums over the batch, not means).
     */
    abstract void reparameterise(Buffer z, double[] klPerDim);

    /**
     * Output layer: logits {@code l = out + b}, {@code e = exp(−|l|)} and the decoder mean {@code m = sigmoid(l)},
     * all kept here for {@link #likelihood} and {@link #outputDelta}.
     */
    abstract void output(Buffer out, long biasOffset);

    /** Bernoulli only, after {@link #output}: per-row sums of {@code relu(l) − x·l + log1p(e)} into {@code recPerRow}. */
    abstract void bernoulliNll(double[] recPerRow);

    /**
     * Evaluation only: the Bernoulli reconstruction term of every row, as {@link #output} and {@link #bernoulliNll}
     * compute it, from the n × D output product {@code out} and input rows of {@code x}, without the decoder mean.
     * Output row i is scored against input row {@code (firstRow + i) / times} (rows of D values from the start of
     * {@code x}): {@code times} > 1 scores several latent samples of one image without copying the image. Nothing is
     * kept for a backward pass, so the single-precision passes work one row at a time in the L1 cache instead of over
     * whole-batch arrays.
     */
    abstract void bernoulliNll(Buffer out, long biasOffset, Buffer x, int firstRow, int times, double[] recPerRow);

    /** Writes the decoder mean m (n × D) to {@code dst}. */
    abstract void writeMean(Buffer dst);

    /**
     * Residual {@code r = m − x} and the reconstruction terms. Bernoulli: per-row sums of
     * {@code relu(l) − x·l + log1p(e)} into {@code recPerRow}; Gaussian: per-row sums of {@code r²/(2σ²)}
     * (normaliser excluded). Returns {@code Σ r²} over the batch.
     */
    abstract double likelihood(boolean bernoulli, double sigma, double[] recPerRow);

    // ------------------------------------------------------------------ backward

    /**
     * ∂L/∂l = r·(plain + curved·m(1 − m)) written to {@code dLogits}, and its column sums (the output bias
     * gradient) to the gradient vector at {@code gradBiasOffset}.
     */
    abstract void outputDelta(double plain, double curved, Buffer dLogits, long gradBiasOffset);

    /**
     * δ ← δ ⊙ act'(pre-activation) for the n × width gradient {@code delta} (in place), written in terms of the
     * kept activation a (relu' = [a &gt; 0], tanh' = 1 − a²); its column sums go to {@code gradBiasOffset}.
     */
    abstract void hiddenBackward(boolean encoder, int slot, Buffer delta, int width, long gradBiasOffset, boolean relu);

    /**
     * Encoder head gradient from ∂L/∂z (n × d, read from {@code dz}) and the KL coefficients {@code klScale[j]}:
     * {@code ∂L/∂μ = ∂L/∂z + klScale·μ}, {@code ∂L/∂lv = ½[∂L/∂z ⊙ ε ⊙ σ + klScale·(σ² − 1)]}, written as
     * [∂μ | ∂lv] rows to {@code dHead}, with column sums to {@code gradBiasOffset}.
     */
    abstract void headBackward(Buffer dz, double[] klScale, Buffer dHead, long gradBiasOffset);

    // ================================================================== single precision

    /** Float passes, used for training. */
    static final class Single extends HostPasses {
        private static final float BIG = 0x1p100f;
        private final FloatBuffer params, grad;
        private final float[] x, l, e, m, r, tmp, bias, colSums;
        private final int[] scaleBits;
        private final float[][] enc, dec;
        private final float[] delta;
        /** Column sums of each part's rows ({@link #columnSums}); per-row squared error of {@link #likelihood}. */
        private final float[][] partColSums = new float[RowSplit.PARTS][];
        private final double[] rowSse;
        /** Per-part row scratch of {@link #bernoulliNll(Buffer, long, Buffer, int, double[])}: logits, e, terms, x. */
        private final float[][] rowL = new float[RowSplit.PARTS][], rowE = new float[RowSplit.PARTS][],
                rowT = new float[RowSplit.PARTS][], rowX = new float[RowSplit.PARTS][];
        private final int[][] rowBits = new int[RowSplit.PARTS][];
        private final float[] headOut, mu, logvar, std, eps, z, dz, dHead;

        Single(int n, VaeArchitecture arch, int maxHidden, FloatBuffer params, FloatBuffer grad) {
            super(n, arch.inputDim(), arch.latentDim());
            this.params = params;
            this.grad = grad;
            int nd = n * inputDim, nz = n * latentDim;
            x = new float[nd];
            l = new float[nd];
            e = new float[nd];
            m = new float[nd];
            r = new float[nd];
            tmp = new float[nd];
            scaleBits = new int[nd];
            int widest = Math.max(Math.max(inputDim, 2 * latentDim), maxHidden);
            bias = new float[widest];
            colSums = new float[widest];
            for (int p = 0; p < RowSplit.PARTS; p++) partColSums[p] = new float[widest];
            rowSse = new double[n];
            enc = new float[arch.encoderHidden().size()][];
            for (int i = 0; i < enc.length; i++) enc[i] = new float[n * arch.encoderHidden().get(i)];
            dec = new float[arch.decoderHidden().size()][];
            for (int i = 0; i < dec.length; i++) dec[i] = new float[n * arch.decoderHidden().get(i)];
            delta = new float[n * maxHidden];
            for (int h = 0; h < RowSplit.PARTS; h++) {
                rowL[h] = new float[inputDim];
                rowE[h] = new float[inputDim];
                rowT[h] = new float[inputDim];
                rowX[h] = new float[inputDim];
                rowBits[h] = new int[inputDim];
            }
            headOut = new float[2 * nz];
            mu = new float[nz];
            logvar = new float[nz];
            std = new float[nz];
            eps = new float[nz];
            z = new float[nz];
            dz = new float[nz];
            dHead = new float[2 * nz];
        }

        @Override
        void readInput(Buffer src, int offset) {
            ((FloatBuffer) src).get(offset, x, 0, x.length);
        }

        @Override
        void readNoise(Buffer src) {
            ((FloatBuffer) src).get(0, eps, 0, eps.length);
        }

        @Override
        void hiddenForward(boolean encoder, int slot, Buffer out, int width, long biasOffset, boolean relu) {
            float[] a = encoder ? enc[slot] : dec[slot];
            FloatBuffer o = (FloatBuffer) out;
            readBias(biasOffset, width);
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                int s = r0 * width, end = r1 * width;
                o.get(s, a, s, end - s);
                addRowVector(a, width, r0, r1);
                if (relu) for (int k = s; k < end; k++) a[k] = Math.max(a[k], 0f);
                o.put(s, a, s, end - s);
            });
        }

        @Override
        void readTanh(boolean encoder, int slot, Buffer out, int width) {
            float[] a = encoder ? enc[slot] : dec[slot];
            ((FloatBuffer) out).get(0, a, 0, a.length);
        }

        @Override
        void head(Buffer out, long biasOffset) {
            int d = latentDim;
            ((FloatBuffer) out).get(0, headOut, 0, headOut.length);
            readBias(biasOffset, 2 * d);
            for (int i = 0; i < n; i++) {
                int h = 2 * d * i, row = d * i;
                for (int j = 0; j < d; j++) {
                    mu[row + j] = headOut[h + j] + bias[j];
                    logvar[row + j] = headOut[h + d + j] + bias[d + j];
                }
            }
        }

        @Override
        void copyPosterior(double[] muDst, double[] logvarDst, int rowOffset) {
            int base = rowOffset * latentDim;
            for (int k = 0; k < mu.length; k++) {
                muDst[base + k] = mu[k];
                logvarDst[base + k] = logvar[k];
            }
        }

        @Override
        void reparameterise(Buffer zBuf, double[] klPerDim) {
            int d = latentDim;
            for (int k = 0; k < std.length; k++) std[k] = (float) Math.exp(0.5 * logvar[k]);
            for (int k = 0; k < z.length; k++) z[k] = mu[k] + std[k] * eps[k];
            ((FloatBuffer) zBuf).put(0, z, 0, z.length);
            java.util.Arrays.fill(klPerDim, 0);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    int k = i * d + j;
                    float s = std[k];
                    klPerDim[j] += 0.5 * (mu[k] * mu[k] + s * s - logvar[k] - 1);
                }
        }

        /** Logits {@code l = out + b} and {@code e = exp(−|l|)} for rows [r0, r1) (the bias already read). */
        private void logitRows(FloatBuffer out, int r0, int r1) {
            int s = r0 * inputDim, end = r1 * inputDim;
            out.get(s, l, s, end - s);
            addRowVector(l, inputDim, r0, r1);
            expNegAbs(l, e, tmp, scaleBits, s, end);
        }

        @Override
        void bernoulliNll(double[] recPerRow) {
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                bernoulliTerms(l, x, e, tmp, r0 * inputDim, r1 * inputDim);
                for (int i = r0; i < r1; i++) recPerRow[i] = sum(tmp, i * inputDim, inputDim);
            });
        }

        @Override
        void bernoulliNll(Buffer out, long biasOffset, Buffer xBuf, int firstRow, int times, double[] recPerRow) {
            FloatBuffer o = (FloatBuffer) out, xs = (FloatBuffer) xBuf;
            int d = inputDim;
            readBias(biasOffset, d);
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                float[] lr = rowL[part], er = rowE[part], tr = rowT[part], xr = rowX[part];
                int inRow = -1;   // the input row now in xr: read once for all its samples
                for (int i = r0; i < r1; i++) {
                    o.get(i * d, lr, 0, d);
                    int row = (firstRow + i) / times;
                    if (row != inRow) xs.get(row * d, xr, 0, d);
                    inRow = row;
                    addRowVector(lr, d, 0, 1);
                    expNegAbs(lr, er, tr, rowBits[part], 0, d);
                    bernoulliTerms(lr, xr, er, tr, 0, d);
                    recPerRow[i] = sum(tr, 0, d);
                }
            });
        }

        @Override
        void output(Buffer out, long biasOffset) {
            FloatBuffer o = (FloatBuffer) out;
            readBias(biasOffset, inputDim);
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                logitRows(o, r0, r1);
                // sigmoid(l) = 1/(1 + e) for l ≥ 0, e/(1 + e) for l < 0: the numerator is max(e, [l > 0]).
                for (int k = r0 * inputDim, end = r1 * inputDim; k < end; k++) {
                    float ek = e[k];
                    m[k] = Math.max(ek, Math.min(Math.max(l[k], 0f) * BIG * BIG, 1f)) / (1 + ek);
                }
            });
        }

        @Override
        void writeMean(Buffer dst) {
            ((FloatBuffer) dst).put(0, m, 0, m.length);
        }

        @Override
        double likelihood(boolean bernoulli, double sigma, double[] recPerRow) {
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                int s = r0 * inputDim, end = r1 * inputDim;
                for (int k = s; k < end; k++) r[k] = m[k] - x[k];
                for (int k = s; k < end; k++) tmp[k] = r[k] * r[k];
                for (int i = r0; i < r1; i++) {
                    rowSse[i] = sum(tmp, i * inputDim, inputDim);
                    if (!bernoulli) recPerRow[i] = rowSse[i] / (2 * sigma * sigma);
                }
            });
            double sse = 0;
            for (double v : rowSse) sse += v;
            if (bernoulli) bernoulliNll(recPerRow);
            return sse;
        }

        @Override
        void outputDelta(double plain, double curved, Buffer dLogits, long gradBiasOffset) {
            float p = (float) plain, c = (float) curved;
            FloatBuffer out = (FloatBuffer) dLogits;
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                int s = r0 * inputDim, end = r1 * inputDim;
                if (c == 0) {
                    for (int k = s; k < end; k++) tmp[k] = p * r[k];
                } else {
                    for (int k = s; k < end; k++) {
                        float mk = m[k];
                        tmp[k] = r[k] * (p + c * mk * (1 - mk));
                    }
                }
                out.put(s, tmp, s, end - s);
                columnSums(part, tmp, r0, r1, inputDim);
            });
            writeColumnSums(inputDim, gradBiasOffset);
        }

        @Override
        void hiddenBackward(boolean encoder, int slot, Buffer deltaBuf, int width, long gradBiasOffset, boolean relu) {
            float[] a = encoder ? enc[slot] : dec[slot];
            FloatBuffer db = (FloatBuffer) deltaBuf;
            RowSplit.SHARED.run(n, (part, r0, r1) -> {
                int s = r0 * width, end = r1 * width;
                db.get(s, delta, s, end - s);
                if (relu) for (int k = s; k < end; k++) delta[k] *= Math.min(a[k] * BIG * BIG, 1f);
                else for (int k = s; k < end; k++) delta[k] *= 1 - a[k] * a[k];
                db.put(s, delta, s, end - s);
                columnSums(part, delta, r0, r1, width);
            });
            writeColumnSums(width, gradBiasOffset);
        }

        @Override
        void headBackward(Buffer dzBuf, double[] klScale, Buffer dHeadBuf, long gradBiasOffset) {
            int d = latentDim;
            ((FloatBuffer) dzBuf).get(0, dz, 0, dz.length);
            for (int i = 0; i < n; i++) {
                int h = 2 * d * i, row = d * i;
                for (int j = 0; j < d; j++) {
                    int k = row + j;
                    float s = (float) klScale[j], sd = std[k];
                    dHead[h + j] = dz[k] + s * mu[k];
                    dHead[h + d + j] = 0.5f * (dz[k] * eps[k] * sd + s * (sd * sd - 1));
                }
            }
            ((FloatBuffer) dHeadBuf).put(0, dHead, 0, dHead.length);
            RowSplit.serial(n, (part, r0, r1) -> columnSums(part, dHead, r0, r1, 2 * d));
            writeColumnSums(2 * d, gradBiasOffset);
        }

        private void readBias(long offset, int width) {
            params.get(Math.toIntExact(offset), bias, 0, width);
        }

        /** {@code out[k] = relu(l[k]) − x[k]·l[k] + log1p(e[k])} for k in [from, to): the Bernoulli NLL of each pixel. */
        private static void bernoulliTerms(float[] l, float[] x, float[] e, float[] out, int from, int to) {
            for (int k = from; k < to; k++) {
                float lk = l[k];
                out[k] = Math.max(lk, 0f) - x[k] * lk + log1p(e[k]);
            }
        }

        /** Adds the bias (first {@code width} entries of {@link #bias}) to rows [r0, r1) of a. */
        private void addRowVector(float[] a, int width, int r0, int r1) {
            for (int i = r0; i < r1; i++) {
                int s = i * width;
                for (int j = 0; j < width; j++) a[s + j] += bias[j];
            }
        }

        /** Column sums of rows [r0, r1) of the row-major matrix a (width columns) into part {@code part}'s sums. */
        private void columnSums(int part, float[] a, int r0, int r1, int width) {
            float[] sums = partColSums[part];
            java.util.Arrays.fill(sums, 0, width, 0f);
            for (int i = r0; i < r1; i++) {
                int s = i * width;
                for (int j = 0; j < width; j++) sums[j] += a[s + j];
            }
        }

        /** Writes the parts' {@link #columnSums}, added in part order (a bias gradient), to the gradient vector at offset. */
        private void writeColumnSums(int width, long offset) {
            System.arraycopy(partColSums[0], 0, colSums, 0, width);
            for (int p = 1; p < RowSplit.PARTS; p++) {
                float[] a = partColSums[p];
                for (int j = 0; j < width; j++) colSums[j] += a[j];
            }
            grad.put(Math.toIntExact(offset), colSums, 0, width);
        }

        /** Σ a[from, from + len) with eight accumulators (vectorisable, unlike one running sum). */
        static double sum(float[] a, int from, int len) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int k = from, end = from + len;
            for (; k + 8 <= end; k += 8) {
                s0 += a[k];
                s1 += a[k + 1];
                s2 += a[k + 2];
                s3 += a[k + 3];
                s4 += a[k + 4];
                s5 += a[k + 5];
                s6 += a[k + 6];
                s7 += a[k + 7];
            }
            double s = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
            for (; k < end; k++) s += a[k];
            return s;
        }

        /** 1.5·2²³: adding it to a float of magnitude below 2²² rounds to an integer kept in the low mantissa bits. */
        private static final float ROUND = 0x1.8p23f;
        private static final float LOG2E = 1.44269504f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
        /** Below −MAX_ARG, exp is under the smallest normal float (1.2e-38) and is returned as 0. */
        private static final float MAX_ARG = 87.33f;

        /**
         * e[k] = exp(−|l[k]|), within 1.5 ulp, 0 below 1.2e-38 (Cephes' expf: exp(x) = 2^k·exp(r), k = round(x/ln 2),
         * r = x − k·ln 2 by Cody–Waite, degree-6 polynomial for exp(r)), for entries [from, to). Three loops, so that
         * C2 (JDK 17) vectorises at least the first: it does not vectorise a loop that mixes float arithmetic with the
         * float↔int bit moves that build 2^k, and measured at 0.4 ns per element each, the two bit-move loops run at
         * scalar speed. 0.14 ms for the reference model's 100,352 logits, against 0.3–0.35 ms for ND4J's scalar libm
         * {@code Exp} op plus the copies to and from native memory.
         */
        static void expNegAbs(float[] l, float[] e, float[] t, int[] bits, int from, int to) {
            for (int k = from; k < to; k++) {
                float a = Math.abs(l[k]);
                float x = -Math.min(a, MAX_ARG);
                float rounded = x * LOG2E + ROUND, fk = rounded - ROUND;
                float r = x - fk * LN2_HI - fk * LN2_LO;
                float p = 1.9875691500e-4f;
                p = p * r + 1.3981999507e-3f;
                p = p * r + 8.3334519073e-3f;
                p = p * r + 4.1665795894e-2f;
                p = p * r + 1.6666665459e-1f;
                p = p * r + 5.0000001201e-1f;
                // [a < MAX_ARG] as min(max((MAX_ARG − a)·2^200, 0), 1): 1 below, 0 above, branch-free.
                float below = Math.min(Math.max((MAX_ARG - a) * BIG * BIG, 0f), 1f);
                e[k] = (p * r * r + r + 1) * below;
                t[k] = rounded;
            }
            for (int k = from; k < to; k++) bits[k] = (Float.floatToRawIntBits(t[k]) - Float.floatToRawIntBits(ROUND) + 127) << 23;
            for (int k = from; k < to; k++) e[k] *= Float.intBitsToFloat(bits[k]);
        }

        /**
         * log(1 + e) for e in [0, 1], as 2·atanh(s) with s = e/(2 + e) ≤ 1/3: the odd series to s¹⁵ is within
         * float rounding (a branch-free polynomial, so the loop vectorises; {@code Math.log1p} is a scalar call).
         */
        static float log1p(float e) {
            float s = e / (2 + e), s2 = s * s;
            float p = 1f / 15;
            p = p * s2 + 1f / 13;
            p = p * s2 + 1f / 11;
            p = p * s2 + 1f / 9;
            p = p * s2 + 1f / 7;
            p = p * s2 + 1f / 5;
            p = p * s2 + 1f / 3;
            return 2 * s * (p * s2 + 1);
        }
    }

    // ================================================================== double precision

    /**
     * Double passes, for gradient checks: the same loops as {@link Single}, with {@code Math.exp} and
     * {@code Math.log1p} (scalar, but speed does not matter here).
     */
    static final class Double extends HostPasses {
        private static final double BIG = 0x1p600;
        private final DoubleBuffer params, grad;
        private final double[] x, l, e, m, r, tmp, bias, colSums;
        private final double[][] enc, dec;
        private final double[] delta;
        private final double[] headOut, mu, logvar, std, eps, z, dz, dHead;

        Double(int n, VaeArchitecture arch, int maxHidden, DoubleBuffer params, DoubleBuffer grad) {
            super(n, arch.inputDim(), arch.latentDim());
            this.params = params;
            this.grad = grad;
            int nd = n * inputDim, nz = n * latentDim;
            x = new double[nd];
            l = new double[nd];
            e = new double[nd];
            m = new double[nd];
            r = new double[nd];
            tmp = new double[nd];
            int widest = Math.max(Math.max(inputDim, 2 * latentDim), maxHidden);
            bias = new double[widest];
            colSums = new double[widest];
            enc = new double[arch.encoderHidden().size()][];
            for (int i = 0; i < enc.length; i++) enc[i] = new double[n * arch.encoderHidden().get(i)];
            dec = new double[arch.decoderHidden().size()][];
            for (int i = 0; i < dec.length; i++) dec[i] = new double[n * arch.decoderHidden().get(i)];
            delta = new double[n * maxHidden];
            headOut = new double[2 * nz];
            mu = new double[nz];
            logvar = new double[nz];
            std = new double[nz];
            eps = new double[nz];
            z = new double[nz];
            dz = new double[nz];
            dHead = new double[2 * nz];
        }

        @Override
        void readInput(Buffer src, int offset) {
            ((DoubleBuffer) src).get(offset, x, 0, x.length);
        }

        @Override
        void readNoise(Buffer src) {
            ((DoubleBuffer) src).get(0, eps, 0, eps.length);
        }

        @Override
        void hiddenForward(boolean encoder, int slot, Buffer out, int width, long biasOffset, boolean relu) {
            double[] a = encoder ? enc[slot] : dec[slot];
            DoubleBuffer o = (DoubleBuffer) out;
            o.get(0, a, 0, a.length);
            readBias(biasOffset, width);
            addRowVector(a, width);
            if (relu) for (int k = 0; k < a.length; k++) a[k] = Math.max(a[k], 0.0);
            o.put(0, a, 0, a.length);
        }

        @Override
        void readTanh(boolean encoder, int slot, Buffer out, int width) {
            double[] a = encoder ? enc[slot] : dec[slot];
            ((DoubleBuffer) out).get(0, a, 0, a.length);
        }

        @Override
        void head(Buffer out, long biasOffset) {
            int d = latentDim;
            ((DoubleBuffer) out).get(0, headOut, 0, headOut.length);
            readBias(biasOffset, 2 * d);
            for (int i = 0; i < n; i++) {
                int h = 2 * d * i, row = d * i;
                for (int j = 0; j < d; j++) {
                    mu[row + j] = headOut[h + j] + bias[j];
                    logvar[row + j] = headOut[h + d + j] + bias[d + j];
                }
            }
        }

        @Override
        void copyPosterior(double[] muDst, double[] logvarDst, int rowOffset) {
            System.arraycopy(mu, 0, muDst, rowOffset * latentDim, mu.length);
            System.arraycopy(logvar, 0, logvarDst, rowOffset * latentDim, logvar.length);
        }

        @Override
        void reparameterise(Buffer zBuf, double[] klPerDim) {
            int d = latentDim;
            for (int k = 0; k < std.length; k++) std[k] = Math.exp(0.5 * logvar[k]);
            for (int k = 0; k < z.length; k++) z[k] = mu[k] + std[k] * eps[k];
            ((DoubleBuffer) zBuf).put(0, z, 0, z.length);
            java.util.Arrays.fill(klPerDim, 0);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    int k = i * d + j;
                    double s = std[k];
                    klPerDim[j] += 0.5 * (mu[k] * mu[k] + s * s - logvar[k] - 1);
                }
        }

        /** Logits {@code l = out + b} and {@code e = exp(−|l|)}, the first half of {@link #output}. */
        private void logits(Buffer out, long biasOffset) {
            ((DoubleBuffer) out).get(0, l, 0, l.length);
            readBias(biasOffset, inputDim);
            addRowVector(l, inputDim);
            for (int k = 0; k < l.length; k++) e[k] = Math.exp(-Math.abs(l[k]));
        }

        @Override
        void bernoulliNll(double[] recPerRow) {
            for (int k = 0; k < l.length; k++) {
                double lk = l[k];
                tmp[k] = Math.max(lk, 0.0) - x[k] * lk + Math.log1p(e[k]);
            }
            for (int i = 0; i < n; i++) recPerRow[i] = sum(tmp, i * inputDim, inputDim);
        }

        @Override
        void bernoulliNll(Buffer out, long biasOffset, Buffer xBuf, int firstRow, int times, double[] recPerRow) {
            DoubleBuffer xs = (DoubleBuffer) xBuf;
            for (int i = 0; i < n; i++) xs.get(((firstRow + i) / times) * inputDim, x, i * inputDim, inputDim);
            logits(out, biasOffset);
            bernoulliNll(recPerRow);
        }

        @Override
        void output(Buffer out, long biasOffset) {
            logits(out, biasOffset);
            for (int k = 0; k < m.length; k++) {
                double ek = e[k];
                m[k] = Math.max(ek, Math.min(Math.max(l[k], 0.0) * BIG * BIG, 1.0)) / (1 + ek);
            }
        }

        @Override
        void writeMean(Buffer dst) {
            ((DoubleBuffer) dst).put(0, m, 0, m.length);
        }

        @Override
        double likelihood(boolean bernoulli, double sigma, double[] recPerRow) {
            for (int k = 0; k < r.length; k++) r[k] = m[k] - x[k];
            for (int k = 0; k < r.length; k++) tmp[k] = r[k] * r[k];
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double rowSse = sum(tmp, i * inputDim, inputDim);
                sse += rowSse;
                if (!bernoulli) recPerRow[i] = rowSse / (2 * sigma * sigma);
            }
            if (bernoulli) bernoulliNll(recPerRow);
            return sse;
        }

        @Override
        void outputDelta(double plain, double curved, Buffer dLogits, long gradBiasOffset) {
            if (curved == 0) {
                for (int k = 0; k < r.length; k++) tmp[k] = plain * r[k];
            } else {
                for (int k = 0; k < r.length; k++) {
                    double mk = m[k];
                    tmp[k] = r[k] * (plain + curved * mk * (1 - mk));
                }
            }
            ((DoubleBuffer) dLogits).put(0, tmp, 0, tmp.length);
            writeColumnSums(tmp, tmp.length, inputDim, gradBiasOffset);
        }

        @Override
        void hiddenBackward(boolean encoder, int slot, Buffer deltaBuf, int width, long gradBiasOffset, boolean relu) {
            double[] a = encoder ? enc[slot] : dec[slot];
            int len = a.length;
            DoubleBuffer db = (DoubleBuffer) deltaBuf;
            db.get(0, delta, 0, len);
            if (relu) for (int k = 0; k < len; k++) delta[k] *= Math.min(a[k] * BIG * BIG, 1.0);
            else for (int k = 0; k < len; k++) delta[k] *= 1 - a[k] * a[k];
            db.put(0, delta, 0, len);
            writeColumnSums(delta, len, width, gradBiasOffset);
        }

        @Override
        void headBackward(Buffer dzBuf, double[] klScale, Buffer dHeadBuf, long gradBiasOffset) {
            int d = latentDim;
            ((DoubleBuffer) dzBuf).get(0, dz, 0, dz.length);
            for (int i = 0; i < n; i++) {
                int h = 2 * d * i, row = d * i;
                for (int j = 0; j < d; j++) {
                    int k = row + j;
                    double s = klScale[j], sd = std[k];
                    dHead[h + j] = dz[k] + s * mu[k];
                    dHead[h + d + j] = 0.5 * (dz[k] * eps[k] * sd + s * (sd * sd - 1));
                }
            }
            ((DoubleBuffer) dHeadBuf).put(0, dHead, 0, dHead.length);
            writeColumnSums(dHead, dHead.length, 2 * d, gradBiasOffset);
        }

        private void readBias(long offset, int width) {
            params.get(Math.toIntExact(offset), bias, 0, width);
        }

        private void addRowVector(double[] a, int width) {
            for (int i = 0; i < n; i++) {
                int s = i * width;
                for (int j = 0; j < width; j++) a[s + j] += bias[j];
            }
        }

        private void writeColumnSums(double[] a, int len, int width, long offset) {
            java.util.Arrays.fill(colSums, 0, width, 0.0);
            for (int s = 0; s < len; s += width)
                for (int j = 0; j < width; j++) colSums[j] += a[s + j];
            grad.put(Math.toIntExact(offset), colSums, 0, width);
        }

        static double sum(double[] a, int from, int len) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int k = from, end = from + len;
            for (; k + 8 <= end; k += 8) {
                s0 += a[k];
                s1 += a[k + 1];
                s2 += a[k + 2];
                s3 += a[k + 3];
                s4 += a[k + 4];
                s5 += a[k + 5];
                s6 += a[k + 6];
                s7 += a[k + 7];
            }
            double s = (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7);
            for (; k < end; k++) s += a[k];
            return s;
        }
    }
}
