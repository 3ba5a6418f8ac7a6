package org.vaelab.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.Overrides;
import org.vaelab.metrics.MetricId;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.LossConvention;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.LossConvention.Reduction;

/**
 * <h2>Translate: which β does your loss really use?</h2>
 *
 * <p>VAE code writes the same objective many ways: reconstruction summed or averaged over pixels, the KL summed or
 * averaged over latents, a likelihood or a squared error, then a KL weight w. Each way is a β-VAE against the summed
 * likelihood with β = w·b/a (a = 1/D for a mean over D pixels, b = 1/d for a mean over d latents), and a squared error
 * is a Gaussian decoder with σ² = β/2 (docs/theory.md §1, {@link LossConvention}). This page prints that β for your
 * code, the w that would give β = 1 (the ELBO) written the same way, and what that β did in vaelab's own β sweep.
 *
 * <p>Run, e.g. for PyTorch-VAE's default (MSE averaged over 64×64×3 values, KL summed over 128 latents, weight
 * 0.00025):
 * <pre>
 * mvn -q compile exec:java -Dexperiment=translate -Dloss=squared-error -Drec=mean -Dkl=sum -Dw=0.00025 -Dpixels=12288 -Dlatents=128
 * </pre>
 * Nothing is trained; the measured part reads the committed shootout's β-sweep runs (Fashion-MNIST, 784 pixels, 32
 * latents) and, when they exist, the loss-conventions report's runs: its Bernoulli β-VAE rows for a likelihood, its
 * fixed-σ Gaussian sweep on continuous pixels for a squared error (placed by σ = √(β/2)). A β moves a model the same
 * way on other data, but the rates and distortions are those of these runs.
 */
public final class Translate implements Experiment {

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public String summary() {
        return "the β (and Gaussian σ) your loss's reductions and KL weight really choose (no training)";
    }

    @Override
    public String question() {
        return "Which β-VAE does a loss written with mean or sum reductions and a KL weight w equal?";
    }

    @Override
    public List<Arm> arms() {
        return List.of();
    }

    @Override
    public int listingOrder() {
        return 25;
    }

    @Override
    public List<String> options() {
        return Overrides.TOOL_KEYS;
    }

    /** The convention named by the options; the message of a missing one shows a complete command. */
    static LossConvention convention(Map<String, String> given) {
        for (String key : List.of("rec", "kl", "w", "pixels", "latents"))
            if (!given.containsKey(key))
                throw new IllegalArgumentException("translate needs -D" + key + ", e.g. -Dexperiment=translate"
                        + " -Drec=mean -Dkl=sum -Dw=0.00025 -Dpixels=12288 -Dlatents=128 [-Dloss=squared-error]");
        return new LossConvention(Reconstruction.parse(given.getOrDefault("loss", "likelihood")),
                Reduction.parse("rec", given.get("rec")), Reduction.parse("kl", given.get("kl")),
                number("w", given.get("w")), (int) Math.min(Integer.MAX_VALUE, Math.round(number("pixels", given.get("pixels")))),
                (int) Math.min(Integer.MAX_VALUE, Math.round(number("latents", given.get("latents")))));
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + "=" + value + " is not valid: expected a number");
        }
    }

    @Override
    public Optional<Path> runStandalone(Overrides overrides, PrintStream out) throws IOException {
        LossConvention c = convention(overrides.given());
        String rec = (c.reconstruction() == Reconstruction.SQUARED_ERROR ? "squared error" : "negative log-likelihood")
                + (c.rec() == Reduction.MEAN ? " averaged over " : " summed over ") + c.pixels() + " values";
        String kl = "KL " + (c.kl() == Reduction.MEAN ? "averaged over " : "summed over ") + c.latents() + " latents";
        out.printf(Locale.ROOT, "your loss: %s + %s × %s%n", rec, g(c.w()), kl);
        out.printf(Locale.ROOT, "equals a β-VAE against the summed likelihood with β = %s%n", g(c.beta()));
        if (c.reconstruction() == Reconstruction.SQUARED_ERROR)
            out.printf(Locale.ROOT, "a squared error is a Gaussian decoder: it assumes pixel noise σ² = β/2 = %s (σ = %s on "
                    + "your pixel scale)%n", g(c.sigmaSquared()), g(Math.sqrt(c.sigmaSquared())));
        out.printf(Locale.ROOT, "the ELBO (β = 1) written the same way has w = %s%n", g(c.wForBetaOne()));
        out.println("(averaging over the batch instead of summing changes nothing under Adam; it rescales SGD's step)");
        Path runs = Path.of(overrides.reportsDir(), "weighting-shootout", "runs");
        out.println(measured(c.beta(), sweep(runs), runs));
        out.println(onConventionsCurve(c, Path.of(overrides.reportsDir(), "loss-conventions", "runs")));
        return Optional.of(Path.of(overrides.reportsDir(), name()));
    }

    /**
     * The loss-conventions report's measured curve for a convention, read through the run store's checks: for a
     * likelihood its Bernoulli β-VAE rows by β, for a squared error its fixed-σ Gaussian rows by σ. Each value is
     * {mean rate, mean distortion, mean ELBO, seeds, mean MSE per pixel}.
     */
    static TreeMap<Double, double[]> conventionsCurve(Path runsDir, boolean gaussian) {
        LossConventions conventions = new LossConventions();
        String group = gaussian ? LossConventions.FIXED_SIGMA : LossConventions.BETA_VAE;
        TreeMap<Double, double[]> curve = new TreeMap<>();
        for (Arm arm : conventions.arms()) {
            if (!arm.group().equals(group) || !(arm.weighting() instanceof ConstantBeta beta)) continue;
            double key = gaussian ? arm.model().sigma() : beta.beta();
            for (int seed = 1; seed <= conventions.seeds(); seed++) {
                Optional<RunRecord> r = RunFiles.findLatest(runsDir, arm.run(conventions.name(), seed));
                if (r.isEmpty() || r.get().failed()) continue;
                Map<MetricId, Double> m = r.get().metrics();
                double[] s = curve.computeIfAbsent(key, b -> new double[5]);
                s[0] += m.get(MetricId.KL);
                s[1] += m.get(MetricId.REC);
                s[2] += m.get(MetricId.ELBO);
                s[3]++;
                s[4] += m.getOrDefault(MetricId.MSE, Double.NaN);
            }
        }
        curve.values().forEach(s -> {
            for (int i : new int[] {0, 1, 2, 4}) s[i] /= s[3];
        });
        return curve;
    }

    /** Where the convention's β (or, for a squared error, its σ) falls on the loss-conventions report's curve. */
    static String onConventionsCurve(LossConvention c, Path runsDir) {
        return onConventionsCurve(c, conventionsCurve(runsDir, c.reconstruction() == Reconstruction.SQUARED_ERROR), runsDir);
    }

    /** The same, on a given curve ({@link #conventionsCurve}) read from {@code runsDir}. */
    static String onConventionsCurve(LossConvention c, TreeMap<Double, double[]> curve, Path runsDir) {
        boolean gaussian = c.reconstruction() == Reconstruction.SQUARED_ERROR;
        if (curve.isEmpty())
            return "(no loss-conventions runs under " + runsDir + "; `mvn -q compile exec:java -Dexperiment=loss-conventions`"
                    + " trains them, about 40 minutes on 2 cores, and this page then places your "
                    + (gaussian ? "σ on its Gaussian σ sweep" : "β on its β-VAE rows") + ")";
        double key = gaussian ? Math.sqrt(c.sigmaSquared()) : c.beta();
        List<String> lines = new ArrayList<>();
        lines.add(gaussian
                ? "on the loss-conventions report's fixed-σ sweep (continuous Fashion-MNIST, pixels in [0, 1], Gaussian decoder, β = 1; "
                        + runsDir + "; mean over seeds, nats per image, Gaussian densities):"
                : "on the loss-conventions report's β-VAE rows (binarised Fashion-MNIST, Bernoulli decoder; " + runsDir
                        + "; mean over seeds, nats):");
        var lo = curve.floorEntry(key);
        var hi = curve.ceilingEntry(key);
        for (var e : new java.util.LinkedHashSet<>(java.util.Arrays.asList(lo, hi))) {
            if (e == null) continue;
            double[] s = e.getValue();
            lines.add(gaussian
                    ? String.format(Locale.ROOT, "  σ = %s (SSE + %s·KL): rate %.1f, MSE per pixel %.4f, ELBO %.1f (%d seeds)",
                            g(e.getKey()), g(2 * e.getKey() * e.getKey()), s[0], s[4], s[2], (int) s[3])
                    : String.format(Locale.ROOT, "  β = %s: rate %.1f, distortion %.1f, ELBO %.2f (%d seeds)", g(e.getKey()),
                            s[0], s[1], s[2], (int) s[3]));
        }
        if (lo == null || hi == null)
            lines.add("  your " + (gaussian ? "σ = " + g(key) : "β") + " lies outside the measured range " + g(curve.firstKey())
                    + "–" + g(curve.lastKey()));
        return String.join("\n", lines);
    }

    /**
     * β → {mean rate, mean distortion, mean ELBO, seeds} of the shootout's β-sweep runs stored under {@code runsDir},
     * read through the run store's checks ({@link RunFiles#findLatest}), so a damaged run is left out.
     */
    static TreeMap<Double, double[]> sweep(Path runsDir) {
        WeightingShootout shootout = new WeightingShootout();
        TreeMap<Double, double[]> byBeta = new TreeMap<>();
        for (Arm arm : shootout.arms()) {
            if (!(arm.weighting() instanceof ConstantBeta beta)) continue;
            for (int seed = 1; seed <= shootout.seeds(); seed++) {
                Optional<RunRecord> r = RunFiles.findLatest(runsDir, arm.run(shootout.name(), seed));
                if (r.isEmpty() || r.get().failed()) continue;
                Map<MetricId, Double> m = r.get().metrics();
                double[] s = byBeta.computeIfAbsent(beta.beta(), b -> new double[4]);
                s[0] += m.get(MetricId.KL);
                s[1] += m.get(MetricId.REC);
                s[2] += m.get(MetricId.ELBO);
                s[3]++;
            }
        }
        byBeta.values().forEach(s -> {
            for (int i = 0; i < 3; i++) s[i] /= s[3];
        });
        return byBeta;
    }

    /** Where β falls on the measured sweep: its bracketing β values with their rate, distortion and ELBO. */
    static String measured(double beta, TreeMap<Double, double[]> sweep, Path runs) {
        if (sweep.isEmpty()) return "(no β-sweep runs under " + runs + " to compare with)";
        List<String> lines = new ArrayList<>();
        lines.add("in vaelab's β sweep on Fashion-MNIST (" + runs + "; mean over seeds, nats):");
        var lo = sweep.floorEntry(beta);
        var hi = sweep.ceilingEntry(beta);
        for (var e : new java.util.LinkedHashSet<>(java.util.Arrays.asList(lo, hi))) {
            if (e == null) continue;
            double[] s = e.getValue();
            lines.add(String.format(Locale.ROOT, "  β = %s: rate %.1f, distortion %.1f, ELBO %.2f (%d seeds)", g(e.getKey()),
                    s[0], s[1], s[2], (int) s[3]));
        }
        double[] one = sweep.get(1.0);
        if (one != null)
            lines.add(String.format(Locale.ROOT, "  β = 1 (the ELBO): rate %.1f, distortion %.1f, ELBO %.2f", one[0], one[1], one[2]));
        if (lo == null || hi == null)
            lines.add("  your β lies outside the swept range " + g(sweep.firstKey()) + "–" + g(sweep.lastKey()));
        return String.join("\n", lines);
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
