package org.vaelab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.experiment.ExperimentRegistry;
import org.vaelab.experiment.Overrides;

class TranslateTest {

    private static String run(Path reports, String... kv) throws IOException {
        Properties p = new Properties();
        p.setProperty("vaelab.reports", reports.toString());
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        Overrides o = Overrides.from(p);
        var buf = new ByteArrayOutputStream();
        o.configure(new Translate()).runStandalone(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The example: PyTorch-VAE's MSE-mean + kld_weight 0.00025 on 64×64×3 images with 128 latents. */
    @Test
    void printsBetaSigmaAndTheWeightForTheElbo(@TempDir Path reports) throws IOException {
        String out = run(reports, "loss", "squared-error", "rec", "mean", "kl", "sum", "w", "0.00025", "pixels", "12288",
                "latents", "128");
        assertTrue(out.contains("with β = 3.072\n"), out);
        assertTrue(out.contains("σ² = β/2 = 1.536"), out);
        assertTrue(out.contains("has w = 8.138e-05"), out);
        assertTrue(out.contains("no β-sweep runs under"), "an empty reports folder has nothing to compare with: " + out);
        assertTrue(out.contains("no loss-conventions runs under") && out.contains("-Dexperiment=loss-conventions")
                && out.contains("places your σ on its Gaussian σ sweep"), "and it says how to make them: " + out);
    }

    /** A squared error is placed by σ = √(β/2) on the Gaussian sweep, a likelihood by β on the Bernoulli rows. */
    @Test
    void placesTheConventionOnTheLossConventionsCurves() {
        var mse = Translate.convention(Map.of("loss", "mse", "rec", "mean", "kl", "sum", "w", "0.00025", "pixels", "784",
                "latents", "32"));
        var sigmas = new java.util.TreeMap<Double, double[]>(Map.of(0.3, new double[] {24, -150, 126, 5, 0.011},
                0.5, new double[] {11, 220, -231, 5, 0.016}));
        // β = 0.00025·784 = 0.196, σ = √0.098 = 0.313: between the sweep's σ = 0.3 and 0.5.
        String where = Translate.onConventionsCurve(mse, sigmas, Path.of("runs"));
        assertTrue(where.contains("fixed-σ sweep") && where.contains("σ = 0.3 (SSE + 0.18·KL): rate 24.0, MSE per pixel 0.0110")
                && where.contains("σ = 0.5 (SSE + 0.5·KL)"), where);
        var nll = Translate.convention(Map.of("rec", "mean", "kl", "mean", "w", "0.1", "pixels", "784", "latents", "32"));
        var betas = new java.util.TreeMap<Double, double[]>(Map.of(1.0, new double[] {14, 230, -244, 5, 0.02}));
        String beyond = Translate.onConventionsCurve(nll, betas, Path.of("runs"));
        assertTrue(beyond.contains("β = 1: rate 14.0, distortion 230.0") && beyond.contains("outside the measured range 1–1"),
                beyond);
    }

    @Test
    void placesTheBetaOnTheCommittedSweep() throws IOException {
        var sweep = Translate.sweep(Path.of("reports/weighting-shootout/runs"));
        assertEquals(7, sweep.size(), "the shootout's β sweep 0.1 … 8");
        sweep.values().forEach(s -> assertEquals(5, s[3], "five seeds each"));
        String where = Translate.measured(2.45, sweep, Path.of("runs"));
        assertTrue(where.contains("β = 2: rate") && where.contains("β = 4: rate") && where.contains("β = 1 (the ELBO)"), where);
    }

    @Test
    void missingOrBadOptionsSayWhatToType(@TempDir Path reports) {
        var e = assertThrows(IllegalArgumentException.class, () -> Translate.convention(Map.of("rec", "mean")));
        assertTrue(e.getMessage().contains("translate needs -Dkl") && e.getMessage().contains("-Dlatents=128"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(reports, "rec", "mean", "kl", "sum", "w", "x",
                "pixels", "784", "latents", "16"));
        // The translator's options are refused by the sweeps, and it is registered.
        Properties p = new Properties();
        p.setProperty("w", "0.1");
        var quickstart = ExperimentRegistry.standard().get("quickstart");
        assertThrows(IllegalArgumentException.class, () -> Overrides.from(p).configure(quickstart));
        assertEquals("translate", ExperimentRegistry.standard().get("translate").name());
    }
}
