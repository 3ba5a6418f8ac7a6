package org.vaelab.model;

import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.loss.LossWeights;

/**
 * How long does one training step of the reference model take? A micro-benchmark, not a test.
 *
 * <p>The project's speed goal is ≤ 3.5 s per 60k-image epoch for the MLP VAE 784-512-256-32 (mirror
 * decoder, ReLU, Bernoulli) at batch 128 on two cores, i.e. ≤ 7.5 ms per step. This times, after warm-up,
 * the forward pass alone ({@link NativeMlpEngine#loss}), forward + backward
 * ({@link NativeMlpEngine#lossAndGradient}) and the full {@link NativeMlpEngine#step} (+ Adam), on uniform
 * random pixels and pre-drawn noise so that data generation is not timed.
 *
 * <p>Run with the environment the launcher ({@code Main.childEnvironment}) gives experiments; it must be set before
 * the JVM starts (with {@code OMP_NUM_THREADS=1} alone, ND4J would also limit OpenBLAS to one thread):
 * <pre>
 *   mvn -q -o test-compile
 *   mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE ND4J_SKIP_BLAS_THREADS=1 OPENBLAS_NUM_THREADS=2 OPENBLAS_THREAD_TIMEOUT=4 \
 *     OPENBLAS_CORETYPE=SkylakeX java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     org.vaelab.model.EngineStepTiming [rounds [blasThreads]]
 * </pre>
 *
 * <p>OpenBLAS picks its kernels from the CPU model. On this project's VMs the model reads "Intel Xeon
 * Processor", which OpenBLAS 0.3.19 does not recognise, so it falls back to its SSE3 "Prescott" kernels
 * ({@code OPENBLAS_VERBOSE=2} prints "Core: Prescott") and gemm runs 4-5x slower than it can. On a CPU with
 * AVX-512, {@code OPENBLAS_CORETYPE=SkylakeX} in the environment selects the right kernels (Haswell for
 * AVX2-only CPUs); a core type the CPU cannot execute crashes, so a launcher must check the CPU flags first.
 */
public final class EngineStepTiming {

    private static final int BATCH = 128, STEPS_PER_EPOCH = (60_000 + BATCH - 1) / BATCH, POOL = 16;

    private EngineStepTiming() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7, steps = 60;
        // Optionally let OpenBLAS use more threads than ND4J's own OpenMP ops (which follow OMP_NUM_THREADS).
        if (args.length > 1) Nd4j.factory().blas().setMaxThreads(Integer.parseInt(args[1]));
        VaeArchitecture arch = VaeArchitecture.bernoulli(784, List.of(512, 256), 32, Activation.RELU);
        NativeMlpEngine engine = new NativeMlpEngine(arch, BATCH, 1e-3, 1, DataType.FLOAT);
        Random rng = new Random(1);
        INDArray[] xs = new INDArray[POOL], eps = new INDArray[POOL];
        for (int i = 0; i < POOL; i++) {
            xs[i] = EngineFixtures.uniform(rng, BATCH, 784, DataType.FLOAT);
            eps[i] = EngineFixtures.normal(rng, BATCH, 32, DataType.FLOAT);
        }
        var beta = LossWeights.beta(1, 32);
        LossWeights w = LossWeights.beta(1, 32);

        System.out.printf("%s, batch %d, %d parameters; OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s OPENBLAS_CORETYPE=%s,"
                        + " BLAS threads %d%n", arch.describe(), BATCH, engine.parameterCount(),
                System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"), System.getenv("OPENBLAS_CORETYPE"),
                Nd4j.factory().blas().getMaxThreads());
        for (int t = 0; t < 300; t++) EngineFixtures.step(engine, xs[t % POOL], eps[t % POOL], beta);

        // Other processes share the machine: rounds of each phase are interleaved, and the median and the
        // best round are reported. CPU time (this thread's, and the whole process's, which includes OpenBLAS's
        // worker threads) is less disturbed by other processes than wall time and shows the work done.
        StepGemms gemms = stepGemms(engine.snapshot(), BATCH);
        double[] fwd = new double[rounds], grad = new double[rounds], step = new double[rounds], gemm = new double[rounds];
        double[] stepCpu = new double[rounds], stepProcessCpu = new double[rounds];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < rounds; r++) {
            fwd[r] = time(steps, t -> engine.loss(xs[t % POOL], eps[t % POOL], w));
            grad[r] = time(steps, t -> engine.lossAndGradient(xs[t % POOL], eps[t % POOL], w));
            long cpu0 = threads.getCurrentThreadCpuTime(), proc0 = os.getProcessCpuTime();
            step[r] = time(steps, t -> EngineFixtures.step(engine, xs[t % POOL], eps[t % POOL], beta));
            stepCpu[r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / steps;
            stepProcessCpu[r] = (os.getProcessCpuTime() - proc0) / 1e6 / steps;
            gemm[r] = time(steps, t -> gemms.run());
        }
        System.out.printf("median of %d rounds of %d steps: forward %.2f ms, forward+backward %.2f ms, step %.2f ms"
                        + " (CPU: this thread %.2f ms, process %.2f ms)%n",
                rounds, steps, median(fwd), median(grad), median(step), median(stepCpu), median(stepProcessCpu));
        System.out.printf("step: median %.2f ms -> %.2f s per epoch of %d steps; best round %.2f ms -> %.2f s%n",
                median(step), median(step) * STEPS_PER_EPOCH / 1000, STEPS_PER_EPOCH,
                min(step), min(step) * STEPS_PER_EPOCH / 1000);
        System.out.printf("the step's %d matrix products alone (same shapes and layouts, no other work): median %.2f ms"
                        + " -> %.2f s per epoch, %.0f GFLOP/s; the rest of the step: %.2f ms%n",
                gemms.calls().size(), median(gemm), median(gemm) * STEPS_PER_EPOCH / 1000,
                gemms.flops() / median(gemm) / 1e6, median(step) - median(gemm));
    }

    /** The matrix products of one step, and their floating-point operations (2·in·out·n each). */
    private record StepGemms(List<Runnable> calls, double flops) {
        void run() {
            calls.forEach(Runnable::run);
        }
    }

    /**
     * The matrix products of one training step, as {@link NativeMlpEngine} issues them: forward {@code outᵀ = Wᵀ·aᵀ}
     * for every layer, backward {@code ∂W = a·δ} for every layer and {@code ∂aᵀ = W·δᵀ} for all but the first.
     * Timing them alone shows how much of a step is matrix products, i.e. the floor any element-wise tuning leaves.
     * The layer shapes are the engine's own ({@link NativeMlpEngine#snapshot()}).
     */
    private static StepGemms stepGemms(ModelParameters model, int n) {
        List<ModelParameters.Dense> layers = new java.util.ArrayList<>(model.encoder());
        layers.addAll(model.decoder());
        List<Runnable> calls = new java.util.ArrayList<>();
        double flops = 0;
        Random rng = new Random(2);
        for (int i = 0; i < layers.size(); i++) {
            int in = layers.get(i).in(), out = layers.get(i).out();
            INDArray w = EngineFixtures.uniform(rng, in, out, DataType.FLOAT).dup('f');
            INDArray gw = Nd4j.create(DataType.FLOAT, new long[]{in, out}, 'f');
            INDArray a = EngineFixtures.uniform(rng, n, in, DataType.FLOAT), o = Nd4j.create(DataType.FLOAT, n, out);
            INDArray delta = EngineFixtures.uniform(rng, n, out, DataType.FLOAT), dIn = Nd4j.create(DataType.FLOAT, n, in);
            INDArray aT = a.transpose(), oT = o.transpose(), deltaT = delta.transpose(), dInT = dIn.transpose();
            calls.add(() -> Gemm.product(w, true, aT, false, oT));
            calls.add(() -> Gemm.product(aT, false, deltaT, true, gw));
            int products = 2;
            if (i != 0) {
                calls.add(() -> Gemm.product(w, false, deltaT, false, dInT));
                products++;
            }
            flops += products * 2.0 * in * out * n;
        }
        return new StepGemms(calls, flops);
    }

    private static double time(int steps, java.util.function.IntConsumer body) {
        long t0 = System.nanoTime();
        for (int t = 0; t < steps; t++) body.accept(t);
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static double min(double[] xs) {
        return java.util.Arrays.stream(xs).min().orElse(Double.NaN);
    }
}
