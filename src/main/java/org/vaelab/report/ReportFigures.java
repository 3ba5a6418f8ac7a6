package org.vaelab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.MetricId;
import org.vaelab.train.StepLog;
import org.vaelab.weighting.ConstantBeta;

/**
 * The figures every report draws from its finished runs ({@link MarkdownReport} places them): training curves, the
 * scheduled schemes again on their own, the test curve when runs recorded one, the rate–distortion plane, the KL per
 * latent dimension and a heat map of the KL during training per configuration. One palette for all of them, so a
 * configuration keeps its colour, marker and dash in every figure.
 */
final class ReportFigures {

    private ReportFigures() {
    }

    /** Paths of the written figures relative to the report's folder (PNG, SVG and PDF of each). */
    record Drawn(List<String> figures, List<String> heatmaps) {
    }

    /** Draws the figures of {@code finished} (label → its finished runs) into {@code dir/figures}. */
    static Drawn draw(Path dir, Map<String, List<RunRecord>> finished) throws IOException {
        Path figDir = dir.resolve("figures");
        List<String> figures = new ArrayList<>();
        List<String> heatmaps = new ArrayList<>();
        if (!finished.isEmpty()) {
            // One palette for the whole report: every configuration keeps its colour, marker and dash in every figure.
            Palette palette = palette(finished);
            String reference = reference(finished);
            List<Series> rec = curves(finished, StepLog::rec);
            // Per-step batch values are noisy: smooth over ~1/40 of the run, never less than one step.
            int window = Math.max(1, rec.get(0).x().length / 40);
            figures.addAll(rel(dir, TrainingCurvesChart.write("Training curves (mean over seeds)", rec,
                    curves(finished, StepLog::kl), curves(finished, ReportFigures::beta), window, palette, reference,
                    figDir.resolve("training-curves"))));
            // With many rows the schedules drown among the constant β's: draw the arms whose weights change during
            // training (schedules and controllers) again on their own, with the reference β = 1.
            Map<String, List<RunRecord>> changing = new LinkedHashMap<>();
            finished.forEach((label, rs) -> {
                if (label.equals(reference) || weightsChange(rs.get(0))) changing.put(label, rs);
            });
            List<Series> changingBeta = curves(changing, ReportFigures::beta);
            if (changing.size() > 1 && changing.size() < finished.size() && !changingBeta.isEmpty())
                figures.addAll(rel(dir, TrainingCurvesChart.write("Scheduled and controlled schemes (mean over seeds)",
                        curves(changing, StepLog::rec), curves(changing, StepLog::kl), changingBeta, window, palette,
                        reference, figDir.resolve("training-curves-schedules"))));
            figures.addAll(rel(dir, TestCurveChart.writeIfAny(finished, palette, figDir.resolve("test-curve"))));
            List<RdPoint> points = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            for (var rs : finished.values())
                for (RunRecord r : rs) {
                    points.add(new RdPoint(r.config().label(), r.config().group(), r.metrics().get(MetricId.KL),
                            r.metrics().get(MetricId.REC), ResultsTable.decoder(r)));
                    if (!r.config().group().isEmpty() && !groups.contains(r.config().group())) groups.add(r.config().group());
                }
            figures.addAll(rel(dir, RateDistortionChart.write("Rate–distortion plane (test set)", points, groups, true,
                    palette, figDir.resolve("rate-distortion"))));
            figures.addAll(rel(dir, PerDimensionKlChart.write("KL per latent dimension (test set, mean over seeds)",
                    sortedKl(finished), palette, reference, figDir.resolve("kl-per-dimension"))));
            // One colour scale for every heat map of the report, so that the same colour is the same KL in each.
            List<org.vaelab.metrics.KlTrace> traces = new ArrayList<>();
            for (var rs : finished.values())
                if (rs.get(0).steps() != null) traces.add(rs.get(0).steps().klTrace());
            double sharedMax = KlHeatmapChart.sharedScale(traces);
            for (var rs : finished.values()) {
                RunRecord r = rs.get(0);
                if (r.steps() == null || r.steps().klTrace().isEmpty()) continue;
                heatmaps.addAll(rel(dir, KlHeatmapChart.write("Batch KL per latent dimension during training: "
                        + r.config().label() + ", seed " + r.config().seed(), r.steps().klTrace(), sharedMax,
                        figDir.resolve("kl-during-training-" + r.config().runId()))));
            }
        }
        return new Drawn(figures, heatmaps);
    }

    /**
     * The configuration other rows are drawn against: the first with a constant β = 1 (the plain ELBO), null if
     * there is none.
     */
    static String reference(Map<String, List<RunRecord>> finished) {
        for (var e : finished.entrySet())
            if (e.getValue().get(0).config().weighting() instanceof ConstantBeta b && b.beta() == 1) return e.getKey();
        return null;
    }

    /** The report's palette: every configuration in plan order, its group deciding its marker and dash. */
    static Palette palette(Map<String, List<RunRecord>> finished) {
        List<String> labels = new ArrayList<>(), groups = new ArrayList<>(), likelihoods = new ArrayList<>();
        finished.forEach((label, rs) -> {
            labels.add(label);
            groups.add(rs.get(0).config().group());
            likelihoods.add(ResultsTable.decoder(rs.get(0)));
        });
        return Palette.of(labels, groups, likelihoods);
    }

    /** Whether a run's β, λ or C_t ({@link TraceKey#MOVING_WEIGHTS}) changed during training. */
    static boolean weightsChange(RunRecord r) {
        StepLog log = r.steps();
        if (log == null || log.size() == 0) return false;
        for (TraceKey key : TraceKey.MOVING_WEIGHTS) {
            if (!log.has(key)) continue;
            double[] w = log.weight(key);
            for (double v : w) if (v != w[0]) return true;
        }
        return false;
    }

    /** The β column of a log, or null if the scheme applies no single β (capacity, GECO, free bits). */
    static double[] beta(StepLog log) {
        return log.has(TraceKey.BETA) ? log.weight(TraceKey.BETA) : null;
    }

    /** Per arm, the seed-mean of a step-log column (Rec, KL or a weight such as β); arms without it are left out. */
    static List<Series> curves(Map<String, List<RunRecord>> finished, Function<StepLog, double[]> column) {
        List<Series> out = new ArrayList<>();
        for (var e : finished.entrySet()) {
            List<double[]> cols = new ArrayList<>();
            double[] x = null;
            for (RunRecord r : e.getValue()) {
                StepLog log = r.steps();
                if (log == null) continue;
                double[] c = column.apply(log);
                if (c == null) continue;
                cols.add(c);
                x = log.stepsAsDouble();
            }
            if (cols.isEmpty()) continue;
            int n = cols.stream().mapToInt(c -> c.length).min().orElse(0);
            double[] mean = new double[n];
            for (double[] c : cols) for (int i = 0; i < n; i++) mean[i] += c[i] / cols.size();
            out.add(new Series(e.getKey(), Arrays.copyOf(x, n), mean));
        }
        return out;
    }

    /** Per arm, the per-dimension KL sorted descending within each run, then averaged over seeds. */
    static List<Series> sortedKl(Map<String, List<RunRecord>> finished) {
        List<Series> out = new ArrayList<>();
        for (var e : finished.entrySet()) {
            double[] mean = null;
            for (RunRecord r : e.getValue()) {
                TreeMap<Integer, Double> dims = new TreeMap<>();
                r.metrics().forEach((id, v) -> {
                    if (id.target() instanceof org.vaelab.metrics.MetricTarget.Latent l && id.name().equals("kl")) dims.put(l.dim(), v);
                });
                double[] sorted = dims.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
                for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
                    double t = sorted[i];
                    sorted[i] = sorted[j];
                    sorted[j] = t;
                }
                if (mean == null) mean = new double[sorted.length];
                for (int i = 0; i < sorted.length; i++) mean[i] += sorted[i] / e.getValue().size();
            }
            double[] x = new double[mean.length];
            for (int i = 0; i < x.length; i++) x[i] = i + 1;
            out.add(new Series(e.getKey(), x, mean));
        }
        return out;
    }

    static List<String> rel(Path dir, List<Path> files) {
        return files.stream().map(f -> dir.relativize(f).toString().replace('\\', '/')).toList();
    }

    static String caption(String file) {
        String name = Path.of(file).getFileName().toString().replace(".png", "");
        if (name.startsWith("training-curves-schedules"))
            return "Scheduled and controlled schemes: Rec, KL and β per step (GECO's λ and the capacity C_t are in steps.csv)";
        if (name.startsWith("training-curves")) return "Training curves: Rec, KL and β per step";
        if (name.startsWith("rate-distortion")) return "Rate–distortion plane";
        if (name.startsWith("test-curve")) return "Test IW-NLL during training, mean over seeds";
        if (name.startsWith("kl-per-dimension")) return "KL per latent dimension";
        if (name.startsWith("kl-during-training-")) return "KL per dimension during training, " + name.substring("kl-during-training-".length());
        return name;
    }
}
