/*
 * Same-process A/B timing of two builds of vaelab's engine (README, Performance: "Same-process comparisons").
 *
 * This VM's speed drifts by ±30% within an hour, so timings of separate runs cannot show a 15% change. Here both
 * builds are loaded into one JVM through two class loaders (ND4J is shared), and the harness alternates: 'per'
 * calls of A, then 'per' calls of B (order swapped every round), for 'rounds' rounds, and prints the total time of
 * each and the median of the per-round ratios B/A.
 *
 * Workloads (tools/ab/Runner.java): "step" (training steps on random batches), "real" (training steps on shuffled
 * Fashion-MNIST batches), "nll" (reconstructionNll of 4,096 rows, the IW-NLL's decoder calls); the chunk argument is
 * the engine's batch size, "A,B" to give the two builds different ones.
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q -o compile)
 *   mvn -q -o compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   mkdir -p /tmp/ab && javac -d /tmp/ab tools/ab/AB.java
 *   javac -cp target/classes:$(cat target/cp.txt) -d /tmp/ab/runner tools/ab/Runner.java
 *   OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE ND4J_SKIP_BLAS_THREADS=1 OPENBLAS_NUM_THREADS=2 OPENBLAS_THREAD_TIMEOUT=4 \
 *     OPENBLAS_CORETYPE=SkylakeX java -cp /tmp/ab:$(cat target/cp.txt) AB real 128 24 50 /tmp/before/target/classes target/classes
 */
import java.net.*;
import java.nio.file.*;
import java.util.*;

public class AB {
    public static void main(String[] a) throws Exception {
        String what = a[0]; int chunk = Integer.parseInt(a[1].split(",")[0]); int chunkB = a[1].contains(",") ? Integer.parseInt(a[1].split(",")[1]) : chunk; int rounds = Integer.parseInt(a[2]); int per = Integer.parseInt(a[3]);
        String[] dirs = {a[4], a[5]};
        Runnable[] r = new Runnable[2];
        for (int v = 0; v < 2; v++) {
            URLClassLoader cl = new URLClassLoader(new URL[]{Paths.get(dirs[v]).toUri().toURL(), Paths.get(System.getProperty("ab.runner", "/tmp/ab/runner/")).toUri().toURL()}, AB.class.getClassLoader());
            r[v] = (Runnable) cl.loadClass("Runner").getMethod("make", String.class, int.class).invoke(null, what, v == 0 ? chunk : chunkB);
        }
        for (int v = 0; v < 2; v++) for (int i = 0; i < per * 3; i++) r[v].run();
        double[] tot = new double[2]; List<Double> ratios = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            double[] t = new double[2];
            for (int j = 0; j < 2; j++) { int v = (k + j) % 2; long t0 = System.nanoTime(); for (int i = 0; i < per; i++) r[v].run(); t[v] = (System.nanoTime() - t0) / 1e9; }
            tot[0] += t[0]; tot[1] += t[1]; ratios.add(t[1] / t[0]);
        }
        Collections.sort(ratios);
        double scale = what.equals("nll") ? 1e6 / (4096.0 * per * rounds) : 1e3 / (per * rounds);
        System.out.printf("%s chunk %d/" + chunkB + ": A %.3f  B %.3f  (%s per %s); B/A median %.3f [%.3f..%.3f]%n", what, chunk, tot[0] * scale, tot[1] * scale,
            what.equals("nll") ? "s" : "ms", what.equals("nll") ? "1M rows" : "step", ratios.get(rounds / 2), ratios.get(0), ratios.get(rounds - 1));
    }
}
