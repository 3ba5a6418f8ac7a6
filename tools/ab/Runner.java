/*
 * The workloads of tools/ab/AB.java, compiled against one build of vaelab and loaded by AB once per build (see AB's
 * header for the commands). Uses only API that both builds share: the two-call step (forward, then step with the
 * loss weights) exists from the commit that split the engine's step; compare older builds with the Runner of their day.
 */
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.model.*;
import org.vaelab.loss.*;
import java.util.*;

public class Runner {
    static float[] pixels;
    static synchronized float[] pixels() {
        if (pixels != null) return pixels;
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(new java.util.zip.GZIPInputStream(
                new java.io.FileInputStream("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))))) {
            in.readInt(); int n = in.readInt(); in.readInt(); in.readInt();
            byte[] b = in.readAllBytes(); float[] p = new float[b.length];
            for (int i = 0; i < b.length; i++) p[i] = (b[i] & 0xff) / 255f;
            return pixels = p;
        } catch (java.io.IOException e) { throw new RuntimeException(e); }
    }
    /** Real Fashion-MNIST batches in a fixed shuffled order, fresh noise; like Trainer minus bookkeeping. */
    static Runnable real(VaeArchitecture arch) {
        float[] px = pixels(); int n = px.length / 784;
        NativeMlpEngine eng = new NativeMlpEngine(arch, 128, 1e-3, 1, DataType.FLOAT);
        SplittableRandom rng = new SplittableRandom(3);
        int[] perm = new int[n]; for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) { int j = rng.nextInt(i + 1); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        INDArray x = Nd4j.create(DataType.FLOAT, new long[]{128, 784}, 'c'), eps = Nd4j.create(DataType.FLOAT, new long[]{128, 32}, 'c');
        float[] xb = new float[128 * 784], eb = new float[128 * 32];
        LossWeights w = LossWeights.beta(1, 32);
        int[] t = {0};
        return () -> {
            int s = t[0]++, start = (s % 468) * 128;
            for (int r = 0; r < 128; r++) System.arraycopy(px, perm[start + r] * 784, xb, r * 784, 784);
            for (int i = 0; i < eb.length; i++) eb[i] = (float) rng.nextGaussian();
            x.data().asNioFloat().put(0, xb); eps.data().asNioFloat().put(0, eb);
            eng.forward(x, eps);
            eng.step(w);
        };
    }
    public static Runnable make(String what, int chunk) {
        VaeArchitecture arch = VaeArchitecture.bernoulli(784, List.of(512, 256), 32, Activation.RELU);
        if (what.equals("nll")) {
            NativeMlpEngine eng = new NativeMlpEngine(arch, chunk, 1e-3, 1, DataType.FLOAT);
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, 4096, 784), z = Nd4j.randn(DataType.FLOAT, 4096, 32);
            return () -> eng.reconstructionNll(x, z);
        }
        if (what.equals("real")) return real(arch);
        NativeMlpEngine eng = new NativeMlpEngine(arch, 128, 1e-3, 1, DataType.FLOAT);
        Random rng = new Random(1);
        int pool = 16;
        INDArray[] xs = new INDArray[pool], eps = new INDArray[pool];
        for (int i = 0; i < pool; i++) {
            float[] a = new float[128 * 784]; for (int k = 0; k < a.length; k++) a[k] = rng.nextFloat();
            float[] b = new float[128 * 32]; for (int k = 0; k < b.length; k++) b[k] = (float) rng.nextGaussian();
            xs[i] = Nd4j.create(a, new long[]{128, 784}, 'c'); eps[i] = Nd4j.create(b, new long[]{128, 32}, 'c');
        }
        LossWeights w = LossWeights.beta(1, 32);
        int[] t = {0};
        return () -> { int i = t[0]++; eng.forward(xs[i % pool], eps[i % pool]); eng.step(w); };
    }
}
