package org.vaelab.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.metrics.Summary;
import org.vaelab.model.Likelihood;
import org.vaelab.report.RunRecord;
import org.vaelab.weighting.SigmaVae;

/**
 * The Gaussian part of the loss-conventions discussion, computed from the runs: per row the σ in force, its β on
 * summed squared error (2σ²), rate, reconstruction MSE, the Gaussian ELBO and IW-NLL, and σ̂, the σ the row's own
 * errors call for; which fixed σ scores best; which σ the σ-VAE picks; what the asker's recipe assumes.
 *
 * <p>σ̂ is exact for a fixed σ: the evaluated Rec is {@code SSE/(2σ²) + (D/2)·log 2πσ²} with SSE the squared error at
 * the sampled z, so {@code SSE = 2σ²·(Rec − (D/2)·log 2πσ²)} and {@code σ̂ = √(SSE/D)} maximises the ELBO over σ.
 * For the learned σ-VAE the σ in force is the last step's traced value, one Adam step (≤ 0.1%) from the one evaluated.
 */
final class GaussianEvidence {

    private GaussianEvidence() {
    }

    /** One Gaussian row, over its seeds. */
    record Row(String label, String group, Summary sigma, double rate, double mse, Summary elbo, Summary iwNll,
               double sigmaHat, Map<Long, RunRecord> runs) {
    }

    /** The σ a run's decoder had at evaluation: the σ-VAE's last traced σ, else the architecture's. */
    static double sigmaInForce(RunRecord r) {
        if (r.config().weighting() instanceof SigmaVae && r.steps() != null && r.steps().has(TraceKey.SIGMA))
            return r.steps().last(TraceKey.SIGMA);
        return r.config().model().sigma();
    }

    /** √(SSE/D) of the sampled reconstructions, from the evaluated Gaussian Rec at σ. */
    static double sigmaHat(double rec, double sigma, int pixels) {
        double sse = 2 * sigma * sigma * (rec - 0.5 * pixels * Math.log(2 * Math.PI * sigma * sigma));
        return Math.sqrt(Math.max(0, sse) / pixels);
    }

    static List<Row> rows(Map<String, Map<Long, RunRecord>> byLabel) {
        List<Row> rows = new ArrayList<>();
        byLabel.forEach((label, runs) -> {
            RunRecord first = runs.values().iterator().next();
            if (first.config().model().likelihood() != Likelihood.GAUSSIAN) return;
            int pixels = first.config().model().inputDim();
            double[] sigmas = runs.values().stream().mapToDouble(GaussianEvidence::sigmaInForce).toArray();
            // σ̂ of the seeds' mean squared error (not the mean of their σ̂).
            double hat = Math.sqrt(runs.values().stream().filter(r -> r.metrics().containsKey(MetricId.REC))
                    .mapToDouble(r -> Math.pow(sigmaHat(r.metrics().get(MetricId.REC), sigmaInForce(r), pixels), 2))
                    .average().orElse(Double.NaN));
            rows.add(new Row(label, first.config().group(), Summary.of(sigmas),
                    ConventionEvidence.mean(runs, MetricId.KL), ConventionEvidence.mean(runs, MetricId.MSE),
                    ConventionEvidence.summary(runs, MetricId.ELBO), ConventionEvidence.summary(runs, MetricId.IW_NLL),
                    hat, runs));
        });
        return rows;
    }

    /** The Gaussian section of the discussion; empty if no Gaussian row finished. */
    static String section(Map<String, Map<Long, RunRecord>> byLabel) {
        List<Row> rows = rows(byLabel);
        if (rows.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("**The Gaussian case** (continuous pixels). ELBO and IW-NLL are Gaussian"
                + " densities in nats per image, normaliser (D/2)·log 2πσ² included; they compare the rows of this table"
                + " with each other, never with the Bernoulli rows. σ̂ = √(SSE/D) of the row's own test errors (sampled z)"
                + " is the σ that would maximise its ELBO: a calibrated model has σ ≈ σ̂.\n\n"
                + "| row | σ | β on SSE = 2σ² | rate | MSE per pixel | ELBO | IW-NLL | σ̂ |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double s = r.sigma().mean();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.1f | %.4f | %s | %s | %.3f |%n", r.label(),
                    r.sigma().n() > 1 && r.sigma().std() > 0 ? String.format(Locale.ROOT, "%.3f ± %.3f", s, r.sigma().halfWidth())
                            : String.format(Locale.ROOT, "%.3g", s),
                    2 * s * s, r.rate(), r.mse(), r.elbo() == null ? "–" : r.elbo().format(1),
                    r.iwNll() == null ? "–" : r.iwNll().format(1), r.sigmaHat()));
        }
        sb.append('\n');
        List<Row> sweep = rows.stream().filter(r -> r.group().equals(LossConventions.FIXED_SIGMA) && r.elbo() != null).toList();
        Row bestElbo = null;
        if (!sweep.isEmpty()) {
            bestElbo = sweep.stream().max(Comparator.comparingDouble(r -> r.elbo().mean())).orElseThrow();
            sb.append("- **Best fixed σ by test ELBO: ").append(bestElbo.label()).append("**")
                    .append(runnerUp(sweep, bestElbo, MetricId.ELBO, r -> -r.elbo().mean()));
            List<Row> withIw = sweep.stream().filter(r -> r.iwNll() != null).toList();
            if (!withIw.isEmpty()) {
                Row bestIw = withIw.stream().min(Comparator.comparingDouble(r -> r.iwNll().mean())).orElseThrow();
                sb.append("; by IW-NLL: **").append(bestIw.label()).append("**")
                        .append(runnerUp(withIw, bestIw, MetricId.IW_NLL, r -> r.iwNll().mean()));
            }
            sb.append(String.format(Locale.ROOT, ". Its own errors call for σ̂ = %.3f.%n", bestElbo.sigmaHat()));
        }
        for (Row r : rows) {
            if (!r.group().equals(LossConventions.SIGMA_VAE)) continue;
            sb.append(String.format(Locale.ROOT, "- *%s* picks σ = %s with nothing to tune (σ̂ of its errors %.3f)", r.label(),
                    r.sigma().n() > 1 ? r.sigma().format(3) : String.format(Locale.ROOT, "%.3f", r.sigma().mean()), r.sigmaHat()));
            if (bestElbo != null && r.elbo() != null) {
                sb.append(String.format(Locale.ROOT, "; test ELBO %s against %s's %s", r.elbo().format(1), bestElbo.label(),
                        bestElbo.elbo().format(1)));
                PairedComparison d = paired(r, bestElbo, MetricId.ELBO);
                if (d != null) sb.append(" (paired: ").append(d.format(1)).append(")");
            }
            sb.append(".\n");
        }
        Row recipe = rows.stream().filter(r -> r.label().equals(LossConventions.GAUSSIAN_RECIPE)).findFirst().orElse(null);
        if (recipe != null) {
            double s = recipe.sigma().mean();
            sb.append(String.format(Locale.ROOT, "- *The asker's recipe* (%s) is SSE + %.3g·KL: a Gaussian decoder with σ = %.3f"
                            + " (σ² = w·D/(2d) = %.3f), pixel noise %.0f× the σ̂ = %.3f its own errors call for. Rate %.1f nats,"
                            + " MSE %.4f", recipe.label(), 2 * s * s, s, s * s, s / recipe.sigmaHat(), recipe.sigmaHat(),
                    recipe.rate(), recipe.mse()));
            Row calibrated = rows.stream().filter(r -> r.group().equals(LossConventions.SIGMA_VAE)).findFirst().orElse(null);
            if (calibrated != null)
                sb.append(String.format(Locale.ROOT, ", against %s's %.1f nats and %.4f", calibrated.label(),
                        calibrated.rate(), calibrated.mse()));
            sb.append(".\n");
        }
        return sb.append('\n').toString();
    }

    /** "; the runner-up σ=…, paired Δ …" for the best row of a list, or "" without a runner-up or shared seeds. */
    private static String runnerUp(List<Row> rows, Row best, MetricId m, java.util.function.ToDoubleFunction<Row> rank) {
        Row second = rows.stream().filter(r -> r != best).min(Comparator.comparingDouble(rank)).orElse(null);
        if (second == null) return "";
        PairedComparison d = paired(best, second, m);
        return d == null ? " (runner-up " + second.label() + ")"
                : " (against the runner-up " + second.label() + ": " + d.format(1) + ")";
    }

    /** Paired comparison of a metric between two rows over their shared seeds; null with fewer than two. */
    static PairedComparison paired(Row a, Row b, MetricId m) {
        Map<Long, Double> x = ConventionEvidence.perSeed(a.runs(), m), y = ConventionEvidence.perSeed(b.runs(), m);
        Map<Long, Double> shared = new TreeMap<>(x);
        shared.keySet().retainAll(y.keySet());
        return shared.size() < 2 ? null : PairedComparison.bySeed(x, y);
    }
}
