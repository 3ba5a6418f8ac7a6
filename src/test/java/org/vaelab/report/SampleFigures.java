package org.vaelab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes every figure from {@link SyntheticRuns} into a folder, to look at them. Run with the test class path:
 * {@code java -cp target/classes:target/test-classes:<deps> org.vaelab.report.SampleFigures /tmp/figs-sample}.
 */
public final class SampleFigures {

    private SampleFigures() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/figs-sample");
        long seed = 7;
        print(TrainingCurvesChart.write("β sweep: training curves (seed 7)", SyntheticRuns.rec(seed),
                SyntheticRuns.kl(seed), SyntheticRuns.beta(), dir.resolve("training")));
        print(TrainingCurvesChart.write("β sweep: training curves (seed 7)", SyntheticRuns.rec(seed),
                SyntheticRuns.kl(seed), SyntheticRuns.beta(), 25, null, null, dir.resolve("training-smoothed")));
        print(TrainingCurvesChart.write("Weighting schemes: training curves (seed 7)",
                SyntheticRuns.schemeCurves(seed, 80, 3, 4), SyntheticRuns.schemeCurves(seed + 9, 12, 2, 1.5),
                SyntheticRuns.schemeBeta(), 15, null, null, dir.resolve("training-schemes")));
        print(RateDistortionChart.write("Rate–distortion plane, test set (3 seeds per configuration)",
                SyntheticRuns.rdPoints(seed), List.of("β-VAE"), dir.resolve("rate-distortion")));
        print(PerDimensionKlChart.write("KL per latent dimension, test set (seed 7)", SyntheticRuns.sortedKl(seed),
                dir.resolve("kl-per-dim")));
        List<Series> longLabels = SyntheticRuns.sortedKl(seed).stream()
                .map(x -> new Series(x.label() + ", Bernoulli decoder, Adam lr=1e-3, 600 steps", x.x(), x.y()))
                .toList();
        print(PerDimensionKlChart.write("Legend below the plot when labels are long", longLabels,
                dir.resolve("kl-per-dim-long-labels")));
        print(RateDistortionChart.write("Weighting shoot-out: rate–distortion plane, test set (3 seeds)",
                SyntheticRuns.shootoutPoints(seed), List.of("β-VAE"), dir.resolve("rate-distortion-18")));
        print(KlHeatmapChart.write("KL per dimension during training (β = 1, seed 1)", KlHeatmapTest.synthetic(),
                dir.resolve("kl-heatmap")));
        // A shoot-out's 18 configurations of mixed likelihood, drawn with one palette as a report draws them.
        Palette palette = SyntheticRuns.shootoutPalette();
        print(TrainingCurvesChart.write("Shoot-out: training curves (mean over seeds)",
                SyntheticRuns.shootoutCurves(seed, 200, 3, 6), SyntheticRuns.shootoutCurves(seed + 9, 10, 2, 1.5),
                SyntheticRuns.shootoutBeta(), 15, palette, "β=1", dir.resolve("training-18")));
        print(RateDistortionChart.write("Shoot-out: rate–distortion plane (test set)", SyntheticRuns.shootoutPoints(seed),
                List.of("β-VAE", "σ-VAE"), true, palette, dir.resolve("rate-distortion-18-mixed")));
        print(PerDimensionKlChart.write("Shoot-out: KL per latent dimension (test set)",
                SyntheticRuns.shootoutSortedKl(seed), palette, "β=1", dir.resolve("kl-per-dim-18")));
        print(KlHeatmapChart.write("KL per dimension, 32 dimensions, shared scale", KlHeatmapTest.synthetic(32),
                8.0, dir.resolve("kl-heatmap-32-shared")));
    }

    private static void print(List<Path> paths) {
        paths.forEach(System.out::println);
    }
}
