package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bench's derived sweep line and its comparison with an earlier bench.md, on hand-worked numbers. */
class BenchTest {

    /** The lines of a bench.md as committed before the sweep line existed. */
    private static final String OLD = """
            # bench: training and IW-NLL speed

            ```
            bench: MLP VAE 784-512-256-32 relu, Bernoulli decoder, batch 128, Adam 1e-03, fashion-mnist: 60000 train / 10000 test images, 3 epochs each
            settings: OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=2, 2 cores, max heap 2048 MiB, ND4J 1.0.0-M2.1
            train: 3.18 s/epoch, 18896 images/s (vaelab NativeMlpEngine, median of 2 epochs after 1 warm-up)
            iw-nll: 6.65 s (K=1000, 1000 images): 150266 decoder samples/s, NLL 243.06 nats (ELBO -247.83)
            dl4j: 11.42 s/epoch, 5252 images/s (DL4J VariationalAutoencoder layer, KL weight 1)
            test ELBO after 3 epochs: vaelab -248.61, dl4j -247.92 nats (difference 0.28%)
            peak RSS: 701 MiB after vaelab's part, 2146 MiB after DL4J's
            ```

            Machine: AMD EPYC, 2 cores; git commit `760892b5137409fd5382bd2b644f0a83343427b6`. Reproduce: `mvn -q compile exec:java -Dexperiment=bench`.
            """;

    @Test
    void sweepThroughputIsTenEpochsPlusOneEvaluation() {
        // 10 × 3.2 s + 8 s = 40 s a run: 90 runs an hour.
        assertEquals("sweep: 90 runs/hour (1 worker with 2 processor(s), the default -Dworkers; a 10-epoch run on 60000"
                + " training images, evaluated with IW-NLL K=100 on 10000 test images: 10 × 3.20 s/epoch + 8.0 s evaluation = 40.0 s)",
                BenchSweep.sweepLine(List.of(new BenchSweep.WorkerTiming(2, 3.2, 8.0)), 60000, 10000));
    }

    @Test
    void workersAtOnceAddTheirRunsPerHour() {
        // 10 × 6 s + 12 s = 72 s: 50 runs an hour; 10 × 5 s + 10 s = 60 s: 60 an hour; together 110.
        assertEquals("sweep: 110 runs/hour (2 workers training at once, 1 processor(s) each, the default -Dworkers; a"
                + " 10-epoch run on 60000 training images, evaluated with IW-NLL K=100 on 10000 test images: 10 × 6.00"
                + " s/epoch + 12.0 s evaluation = 72.0 s; 10 × 5.00 s/epoch + 10.0 s evaluation = 60.0 s)",
                BenchSweep.sweepLine(List.of(new BenchSweep.WorkerTiming(1, 6, 12), new BenchSweep.WorkerTiming(1, 5, 10)), 60000, 10000));
    }

    @Test
    void headlineFiguresAreReadFromABenchMd() {
        Map<String, Double> h = Bench.headline(OLD);
        assertEquals(Map.of("train s/epoch", 3.18, "iw-nll s", 6.65, "dl4j s/epoch", 11.42, "peak RSS MiB", 701.0), h);
        assertEquals("760892b5137409fd5382bd2b644f0a83343427b6", Bench.commit(OLD));
        assertNull(Bench.commit("no commit here"));
        assertEquals(Map.of(), Bench.headline("nothing"));
    }

    @Test
    void ratiosAreNowOverBeforeForTheFiguresBothHave() {
        Map<String, Double> now = new LinkedHashMap<>();
        now.put("train s/epoch", 2.862);
        now.put("iw-nll s", 6.65);
        now.put("sweep runs/hour", 90.0);
        now.put("peak RSS MiB", 750.0);
        assertEquals("vs the previous bench.md (commit 760892b51374), now/before: train s/epoch 0.90× (3.18 → 2.86),"
                + " iw-nll s 1.00× (6.65 → 6.65), peak RSS MiB 1.07× (701 → 750) (below 1 is faster or smaller, but for"
                + " runs/hour above 1 is faster)", Bench.comparison(now, Bench.headline(OLD), Bench.commit(OLD)));
        assertEquals("vs the previous bench.md: no headline figure in common", Bench.comparison(Map.of("x", 1.0), Map.of(), null));
    }

    /** A bench.md from other kernels is not compared: the machine kind has had AVX-512 and AVX2 CPUs of one name. */
    @Test
    void theMachineIsTheCpuItsCoresAndTheKernels() {
        String skylake = OLD.replace("settings: OMP_NUM_THREADS=1,", "settings: OMP_NUM_THREADS=1, OPENBLAS_CORETYPE=SkylakeX,");
        assertEquals("AMD EPYC, 2 cores, OPENBLAS_CORETYPE=SkylakeX", Bench.machine(skylake));
        assertNull(Bench.machine(OLD), "the kernels were not recorded");
        assertEquals("AMD EPYC, 2 cores, OPENBLAS_CORETYPE=Haswell", Bench.machine("AMD EPYC", "2", "Haswell"));
        Map<String, Double> now = Map.of("train s/epoch", 6.36);
        assertEquals("vs the previous bench.md (commit 760892b51374): not compared, it was measured on another machine"
                + " (AMD EPYC, 2 cores, OPENBLAS_CORETYPE=SkylakeX; now AMD EPYC, 2 cores, OPENBLAS_CORETYPE=Haswell)",
                Bench.vsPrevious(skylake, now, "AMD EPYC, 2 cores, OPENBLAS_CORETYPE=Haswell"));
        assertEquals(Bench.comparison(now, Bench.headline(skylake), Bench.commit(skylake)),
                Bench.vsPrevious(skylake, now, "AMD EPYC, 2 cores, OPENBLAS_CORETYPE=SkylakeX"));
        assertEquals(Bench.comparison(now, Bench.headline(OLD), Bench.commit(OLD)),
                Bench.vsPrevious(OLD, now, "AMD EPYC, 2 cores, OPENBLAS_CORETYPE=Haswell"), "no kernels recorded: compared");
    }
}
