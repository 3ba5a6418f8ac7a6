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
        print(Figures.trainingCurves("β sweep: training curves (seed 7)", SyntheticRuns.rec(seed),
                SyntheticRuns.kl(seed), SyntheticRuns.beta(), dir.resolve("training")));
        print(Figures.trainingCurves("β sweep: training curves (seed 7)", SyntheticRuns.rec(seed),
                SyntheticRuns.kl(seed), SyntheticRuns.beta(), 25, dir.resolve("training-smoothed")));
        print(Figures.trainingCurves("Weighting schemes: training curves (seed 7)",
                SyntheticRuns.schemeCurves(seed, 80, 3, 4), SyntheticRuns.schemeCurves(seed + 9, 12, 2, 1.5),
                SyntheticRuns.schemeBeta(), 15, dir.resolve("training-schemes")));
        print(Figures.rateDistortion("Rate–distortion plane, test set (3 seeds per configuration)",
                SyntheticRuns.rdPoints(seed), List.of("β-VAE"), dir.resolve("rate-distortion")));
        print(Figures.perDimensionKl("KL per latent dimension, test set (seed 7)", SyntheticRuns.sortedKl(seed),
                dir.resolve("kl-per-dim")));
        List<Series> longLabels = SyntheticRuns.sortedKl(seed).stream()
                .map(x -> new Series(x.label() + ", Bernoulli decoder, Adam lr=1e-3, 600 steps", x.x(), x.y()))
                .toList();
        print(Figures.perDimensionKl("Legend below the plot when labels are long", longLabels,
                dir.resolve("kl-per-dim-long-labels")));
        print(Figures.rateDistortion("Weighting shoot-out: rate–distortion plane, test set (3 seeds)",
                SyntheticRuns.shootoutPoints(seed), List.of("β-VAE"), dir.resolve("rate-distortion-18")));
        print(Figures.klHeatmap("KL per dimension during training (β = 1, seed 1)", KlHeatmapTest.synthetic(),
                dir.resolve("kl-heatmap")));
    }

    private static void print(List<Path> paths) {
        paths.forEach(System.out::println);
    }
}
