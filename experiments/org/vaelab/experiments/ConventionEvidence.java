package org.vaelab.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vaelab.experiments.LossConventions.Pair;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.metrics.Summary;
import org.vaelab.model.Likelihood;
import org.vaelab.report.RunRecord;
import org.vaelab.train.StepLog;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.LossConvention.Reconstruction;
import org.vaelab.weighting.LossConvention.Reduction;
import org.vaelab.weighting.WrittenLoss;

/**
 * The loss-conventions report's discussion, computed from its finished runs: each convention against the plain model
 * it translates to (paired over seeds), their training trajectories step by step, what the asker's recipe costs, and
 * the Gaussian case. Nothing here is decided in advance.
 *
 * <p>The rule, fixed before any run: a convention and its plain model "land on the same point" when the 95% interval
 * of the per-seed difference contains 0 for every compared metric (rate, distortion, ELBO and, when computed,
 * IW-NLL); the interval's farthest end then bounds the difference the seeds can rule out. When an interval excludes 0
 * but lies within ± the plain model's seed-to-seed standard deviation of that metric, the difference is real (Adam's
 * ε, float rounding) but smaller than what changing the seed does: "the same point up to a shift below the seed
 * spread". Otherwise they "differ". Fewer than two shared seeds give no interval and no verdict.
 */
final class ConventionEvidence {

    /** The metrics a pair is compared on, in table order, with their column names. */
    private static final Map<MetricId, String> COMPARED = new LinkedHashMap<>();

    static {
        COMPARED.put(MetricId.KL, "Δ rate");
        COMPARED.put(MetricId.REC, "Δ distortion");
        COMPARED.put(MetricId.ELBO, "Δ ELBO");
        COMPARED.put(MetricId.IW_NLL, "Δ IW-NLL");
    }

    /**
     * Relative tolerance for "the written loss's β is the plain model's": steps.csv keeps 7 significant digits, so
     * 1.6725333 is read back as 1.672533 (a relative 2e-7).
     */
    private static final double BETA_TOLERANCE = 1e-6;

    private final Map<String, Map<Long, RunRecord>> byLabel = new LinkedHashMap<>();
    private final List<Pair> pairs;
    private final String budget;

    /**
     * @param runs   the report's runs; failed ones are left out
     * @param pairs  the conventions and their plain models, by label
     * @param budget "" for the default budget, else its name (the discussion then says its numbers mean nothing)
     */
    ConventionEvidence(List<RunRecord> runs, List<Pair> pairs, String budget) {
        for (RunRecord r : runs)
            if (!r.failed()) byLabel.computeIfAbsent(r.config().label(), k -> new TreeMap<>()).put(r.config().seed(), r);
        this.pairs = pairs;
        this.budget = budget;
    }

    /**
     * One pair's comparison: per metric the paired difference written − plain, the plain row's seed-to-seed standard
     * deviation of that metric, or why there is no comparison.
     */
    record PairResult(Pair pair, Map<MetricId, PairedComparison> deltas, Map<MetricId, Double> spread, String problem) {
        /** Every interval contains 0. */
        boolean samePoint() {
            return problem.isEmpty() && !deltas.isEmpty()
                    && deltas.values().stream().allMatch(d -> d.ciLow() <= 0 && d.ciHigh() >= 0);
        }

        /** Some interval excludes 0, but every interval lies within ± the plain row's seed spread. */
        boolean belowSeedSpread() {
            if (!problem.isEmpty() || deltas.isEmpty() || samePoint()) return false;
            for (var e : deltas.entrySet()) {
                double sd = spread.getOrDefault(e.getKey(), Double.NaN);
                if (!(Math.max(Math.abs(e.getValue().ciLow()), Math.abs(e.getValue().ciHigh())) < sd)) return false;
            }
            return true;
        }

        /** The metrics whose interval excludes 0. */
        List<String> differing() {
            List<String> out = new ArrayList<>();
            deltas.forEach((m, d) -> {
                if (d.ciLow() > 0 || d.ciHigh() < 0) out.add(COMPARED.get(m).substring(2));
            });
            return out;
        }

        /** The largest distance of any interval end from 0. */
        double bound() {
            return deltas.values().stream().mapToDouble(d -> Math.max(Math.abs(d.ciLow()), Math.abs(d.ciHigh())))
                    .max().orElse(Double.NaN);
        }

        int n() {
            return deltas.values().stream().mapToInt(PairedComparison::n).findFirst().orElse(0);
        }
    }

    /** Compares one pair over the seeds both finished. */
    PairResult compare(Pair p) {
        Map<Long, RunRecord> w = byLabel.get(p.written()), b = byLabel.get(p.plain());
        if (w == null || b == null) return new PairResult(p, Map.of(), Map.of(), "not run");
        String mismatch = betaMismatch(w.values().iterator().next(), b.values().iterator().next());
        Map<MetricId, PairedComparison> deltas = new LinkedHashMap<>();
        Map<MetricId, Double> spread = new LinkedHashMap<>();
        long shared = w.keySet().stream().filter(b::containsKey).count();
        if (shared < 2) return new PairResult(p, deltas, spread, shared + " shared seed(s): no interval");
        for (MetricId m : COMPARED.keySet()) {
            Map<Long, Double> a = values(w, m), c = values(b, m);
            if (a.keySet().stream().filter(c::containsKey).count() < 2) continue;
            deltas.put(m, PairedComparison.bySeed(a, c));
            spread.put(m, Summary.of(c.values().stream().mapToDouble(Double::doubleValue).toArray()).std());
        }
        return new PairResult(p, deltas, spread, mismatch);
    }

    /**
     * "" if the written run's β (from its step log, against its own model's likelihood) is the plain run's β on the
     * same decoder; otherwise what differs (e.g. an override changed N, and with it the M/N factor).
     */
    static String betaMismatch(RunRecord written, RunRecord plain) {
        if (!(plain.config().weighting() instanceof ConstantBeta cb)) return "the plain row is not a constant β";
        if (written.steps() == null || !written.steps().has(TraceKey.BETA)) return "";
        double beta = written.steps().last(TraceKey.BETA);
        double sigmaW = written.config().model().sigma(), sigmaP = plain.config().model().sigma();
        if (written.config().weighting() instanceof WrittenLoss l && l.reconstruction() == Reconstruction.SQUARED_ERROR)
            beta /= 2 * sigmaW * sigmaW;   // SSE + β·KL is the Gaussian of σ² = β/2 at β = 1
        if (sigmaW != sigmaP) return "decoders differ (σ = " + sigmaW + " vs " + sigmaP + ")";
        if (Math.abs(beta - cb.beta()) > BETA_TOLERANCE * Math.max(1, cb.beta()))
            return String.format(Locale.ROOT, "β differs: %.4g as written (steps.csv) vs %.4g", beta, cb.beta());
        return "";
    }

    /** {@code m} by seed, in seed order (the maps of {@link #byLabel} are sorted). */
    private static Map<Long, Double> values(Map<Long, RunRecord> runs, MetricId m) {
        return RunRecord.bySeed(runs.values(), m);
    }

    /**
     * How closely two runs of one seed followed each other: the batch Rec of both logs step by step.
     *
     * @param startDiff  |ΔRec| at the first logged step (0: the same model measured the same batch)
     * @param firstApart first step whose batch Rec differs by more than 1% (at least 1 nat); −1 if none
     * @param maxEarly   largest |ΔRec| over the first 100 steps, nats
     * @param lastEpoch  mean |ΔRec| over the last epoch's steps, nats
     * @param recLast    the plain run's mean batch Rec over the last epoch, nats
     */
    record Trajectory(double startDiff, long firstApart, double maxEarly, double lastEpoch, double recLast) {
    }

    static Trajectory trajectory(StepLog written, StepLog plain) {
        int n = Math.min(written.size(), plain.size());
        double[] a = written.rec(), b = plain.rec();
        long firstApart = -1;
        double maxEarly = 0, last = 0, recLast = 0;
        int lastEpoch = plain.epoch()[n - 1], inLast = 0;
        for (int t = 0; t < n; t++) {
            double d = Math.abs(a[t] - b[t]);
            if (firstApart < 0 && d > 0.01 * Math.max(1, Math.abs(b[t]))) firstApart = plain.step()[t];
            if (t < 100) maxEarly = Math.max(maxEarly, d);
            if (plain.epoch()[t] == lastEpoch) {
                last += d;
                recLast += b[t];
                inLast++;
            }
        }
        return new Trajectory(Math.abs(a[0] - b[0]), firstApart, maxEarly, last / inLast, recLast / inLast);
    }

    /** The report's "What the numbers say". */
    String discussion() {
        List<PairResult> results = pairs.stream().map(this::compare).toList();
        StringBuilder sb = new StringBuilder();
        sb.append(headline(results));
        if (!budget.isEmpty())
            sb.append("\n*Budget `").append(budget).append("`: far too short for any of this to mean anything; the")
                    .append(" sentences below only show what the report computes.*\n");
        sb.append(pairTable(results));
        sb.append(trajectories());
        sb.append(recipe());
        sb.append(GaussianEvidence.section(byLabel));
        sb.append(notTested());
        return sb.toString();
    }

    private static String headline(List<PairResult> results) {
        List<PairResult> judged = results.stream().filter(r -> r.problem().isEmpty() && !r.deltas().isEmpty()).toList();
        if (judged.isEmpty()) return "- No convention could be compared with its β-VAE (fewer than two shared seeds).\n";
        List<PairResult> same = judged.stream().filter(r -> r.samePoint() || r.belowSeedSpread()).toList();
        int n = judged.stream().mapToInt(PairResult::n).min().orElse(0);
        String metrics = String.join(", ", judged.get(0).deltas().keySet().stream()
                .map(m -> COMPARED.get(m).substring(2)).toList());
        List<PairResult> shifted = same.stream().filter(PairResult::belowSeedSpread).toList();
        long zero = judged.stream().filter(PairResult::samePoint).count();
        String detail = zero == judged.size()
                ? String.format(Locale.ROOT, "every paired 95%% interval of %s over %d seeds contains 0", metrics, n)
                : String.format(Locale.ROOT, "for %d the paired 95%% intervals of %s over %d seeds all contain 0", zero,
                        metrics, n);
        if (!shifted.isEmpty())
            detail += "; " + String.join(", ", shifted.stream().map(r -> r.pair().written()).toList())
                    + (shifted.size() == 1 ? " shows" : " show") + " a real shift smaller than the seed-to-seed spread";
        if (same.size() == judged.size())
            return String.format(Locale.ROOT, "- **Every loss convention tested lands on the β-VAE it translates to** (%d of"
                    + " %d, each trained as written next to the plain model on the same seeds): %s. The reductions choose"
                    + " β; they do not balance anything.%n", same.size(), judged.size(), detail);
        List<String> differ = judged.stream().filter(r -> !same.contains(r))
                .map(r -> r.pair().written() + " (" + String.join(", ", r.differing()) + ")").toList();
        // Many intervals at 95% each: some exclude 0 by chance even where every pair is equal.
        int intervals = judged.stream().mapToInt(r -> r.deltas().size()).sum();
        long excluding = judged.stream().mapToLong(r -> r.differing().size()).sum();
        return String.format(Locale.ROOT, "- **%d of %d loss conventions land on the β-VAE they translate to** (%s); these"
                + " differ: %s. Of the %d paired intervals, %d exclude 0; if every pair were equal, about %.1f would by"
                + " chance (5%% each), so a single excluded interval is weak evidence of a real difference.%n", same.size(),
                judged.size(), detail, String.join("; ", differ), intervals, excluding, 0.05 * intervals);
    }

    private String pairTable(List<PairResult> results) {
        List<MetricId> cols = results.stream().flatMap(r -> r.deltas().keySet().stream()).distinct()
                .sorted(Comparator.comparingInt(m -> new ArrayList<>(COMPARED.keySet()).indexOf(m))).toList();
        StringBuilder sb = new StringBuilder("\n**Each convention against the β-VAE it translates to** (written − plain,"
                + " per seed, then mean ± half-width of the 95% t-interval; nats per image):\n\n| loss as written | equals |");
        for (MetricId m : cols) sb.append(' ').append(COMPARED.get(m)).append(" |");
        sb.append(" verdict |\n|---|---|").append("---:|".repeat(cols.size())).append("---|\n");
        for (PairResult r : results) {
            sb.append("| ").append(r.pair().written()).append(" | ").append(equals(r.pair())).append(" |");
            for (MetricId m : cols) {
                PairedComparison d = r.deltas().get(m);
                sb.append(' ').append(d == null ? "–" : delta(d)).append(" |");
            }
            sb.append(' ').append(verdict(r)).append(" |\n");
        }
        return sb.append('\n').toString();
    }

    /** Three significant digits, 0 for exactly 0. */
    private static String nats(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }

    /** {@code +0.12 ± 0.34}, or in scientific notation when two decimals would show only zeros. */
    static String delta(PairedComparison d) {
        String f = Math.max(Math.abs(d.meanDifference()), d.halfWidth()) < 0.005 ? "%+.1e ± %.1e" : "%+.2f ± %.2f";
        return String.format(Locale.ROOT, f, d.meanDifference(), d.halfWidth());
    }

    /** The plain row, and for a Gaussian one the β on summed squared error it stands for. */
    private String equals(Pair p) {
        Map<Long, RunRecord> plain = byLabel.get(p.plain());
        if (plain == null || plain.isEmpty()) return p.plain();
        var model = plain.values().iterator().next().config().model();
        if (model.likelihood() != Likelihood.GAUSSIAN) return p.plain();
        return p.plain() + " (β = 1; 2σ² = " + LossConventions.beta(2 * model.sigma() * model.sigma()) + ")";
    }

    private static String verdict(PairResult r) {
        if (r.deltas().isEmpty()) return r.problem();
        if (!r.problem().isEmpty()) return "not comparable: " + r.problem();
        if (r.samePoint()) return String.format(Locale.ROOT, "same point (every \\|Δ\\| < %.2g)", r.bound());
        if (r.belowSeedSpread())
            return String.format(Locale.ROOT, "same point up to a shift in %s (every \\|Δ\\| < %.2g, below the seed spread)",
                    String.join(", ", r.differing()), r.bound());
        return "**differ** in " + String.join(", ", r.differing());
    }

    private String trajectories() {
        StringBuilder sb = new StringBuilder("**Step by step** (batch Rec in `steps.csv`, 7 significant digits, of the two runs of each seed; same"
                + " initialisation, batches and ε, so the first batch is measured by the same model; after that the two"
                + " part only through Adam's ε and float rounding, which training then amplifies like any perturbation;"
                + " a sum over the batch also weighs each epoch's short last batch by its rows, where Adam's moments"
                + " expect a full one):\n\n"
                + "| loss as written | vs | step 0 | max \\|ΔRec\\| in steps 0–99 | first step > 1% apart (median over seeds)"
                + " | mean \\|ΔRec\\| in the last epoch (of a batch Rec of) |\n|---|---|---|---:|---:|---:|\n");
        int rows = 0;
        for (Pair p : pairs) {
            Map<Long, RunRecord> w = byLabel.get(p.written()), b = byLabel.get(p.plain());
            if (w == null || b == null) continue;
            List<Trajectory> ts = new ArrayList<>();
            for (var e : w.entrySet()) {
                RunRecord other = b.get(e.getKey());
                if (other == null || e.getValue().steps() == null || other.steps() == null || other.steps().size() == 0)
                    continue;
                ts.add(trajectory(e.getValue().steps(), other.steps()));
            }
            if (ts.isEmpty()) continue;
            long[] apart = ts.stream().mapToLong(Trajectory::firstApart).map(t -> t < 0 ? Long.MAX_VALUE : t).sorted().toArray();
            long median = apart[(apart.length - 1) / 2];
            double start = ts.stream().mapToDouble(Trajectory::startDiff).max().orElse(0);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s (%.1f) |%n", p.written(), p.plain(),
                    start == 0 ? "identical" : "\\|ΔRec\\| ≤ " + nats(start), nats(ts.stream()
                            .mapToDouble(Trajectory::maxEarly).max().orElse(0)),
                    median == Long.MAX_VALUE ? "never" : Long.toString(median),
                    nats(ts.stream().mapToDouble(Trajectory::lastEpoch).average().orElse(0)),
                    ts.stream().mapToDouble(Trajectory::recLast).average().orElse(0)));
            rows++;
        }
        return rows == 0 ? "" : sb.append('\n').toString();
    }

    private String recipe() {
        StringBuilder sb = new StringBuilder();
        Map<Long, RunRecord> recipe = byLabel.get(LossConventions.RECIPE), elbo = byLabel.get("β=1");
        if (recipe != null && elbo != null && recipe.keySet().stream().filter(elbo::containsKey).count() >= 2) {
            PairedComparison rate = PairedComparison.bySeed(values(recipe, MetricId.KL), values(elbo, MetricId.KL));
            PairedComparison e = PairedComparison.bySeed(values(recipe, MetricId.ELBO), values(elbo, MetricId.ELBO));
            double beta = recipe.values().iterator().next().steps() == null ? Double.NaN
                    : recipe.values().iterator().next().steps().last(TraceKey.BETA);
            sb.append(String.format(Locale.ROOT, "- **The asker's recipe** (%s) is a β-VAE with β = %.3g. Against the ELBO"
                    + " (β = 1) on the same seeds (recipe − β=1, nats): rate %s; test ELBO %s", LossConventions.RECIPE,
                    beta, rate.format(2), e.format(2)));
            Map<Long, Double> iwR = values(recipe, MetricId.IW_NLL), iwE = values(elbo, MetricId.IW_NLL);
            if (iwR.size() >= 2 && iwE.size() >= 2)
                sb.append("; IW-NLL ").append(PairedComparison.bySeed(iwR, iwE).format(2));
            PairResult atOne = pairs.stream().filter(p -> p.written().equals(LossConventions.RECIPE_ELBO)).findFirst()
                    .map(this::compare).orElse(null);
            sb.append(". ");
            if (atOne != null && (atOne.samePoint() || atOne.belowSeedSpread()))
                sb.append("Written the same way with w = d/D it is the ELBO (its row above lands on β = 1): the recipe is")
                        .append(" not wrong in itself, its default w is.");
            else if (atOne != null && !atOne.deltas().isEmpty())
                sb.append("At w = d/D the same code did not land on β = 1 here (see its row above).");
            sb.append('\n');
        }
        Map<Long, RunRecord> mn = byLabel.get("NLL mean + (M/N)·KL sum");
        if (mn != null) {
            RunRecord r = mn.values().iterator().next();
            if (r.steps() != null && r.steps().has(TraceKey.BETA)) {
                // β = D·M/N is inversely proportional to N.
                double beta = r.steps().last(TraceKey.BETA);
                sb.append(String.format(Locale.ROOT, "- **The M/N factor** (`kld_weight` = batch size / training images, with"
                        + " the reconstruction averaged over pixels) is β = D·M/N = %.3g here: the same code on a tenth of"
                        + " the data would train at β = %.3g. It scales a whole data set's KL, not β per example.%n", beta,
                        10 * beta));
            }
        }
        return sb.length() == 0 ? "" : sb.append('\n').toString();
    }

    /**
     * What the runs cannot say, with the scale c of each written row's loss against its plain model's: c = B for a
     * batch sum, 1/D for a mean over pixels, and 2σ² more for a squared error (SSE + 2σ²·KL = 2σ²·(−ELBO) + const).
     */
    private String notTested() {
        Map<String, Double> scales = new LinkedHashMap<>();
        for (Pair p : pairs) {
            Map<Long, RunRecord> w = byLabel.get(p.written());
            if (w == null) continue;
            RunRecord r = w.values().iterator().next();
            if (!(r.config().weighting() instanceof WrittenLoss l)) continue;
            double sigma = r.config().model().sigma();
            double c = (l.rec() == Reduction.MEAN ? 1.0 / r.config().model().inputDim() : 1)
                    * (l.batch() == Reduction.SUM ? r.config().train().batchSize() : 1)
                    * (l.reconstruction() == Reconstruction.SQUARED_ERROR ? 2 * sigma * sigma : 1);
            scales.put(p.written(), c);
        }
        StringBuilder sb = new StringBuilder("- *Not tested here.* The engine trains with Adam only. A written loss is c times"
                + " its plain model's loss (c = B for a batch sum, 1/D for a mean over pixels, 2σ² for a squared error);"
                + " Adam's step depends on c only through its ε = 10⁻⁸, which acts as ε/c");
        if (!scales.isEmpty()) {
            List<String> parts = new ArrayList<>();
            scales.forEach((k, c) -> parts.add(String.format(Locale.ROOT, "%.2g for %s", 1e-8 / c, k)));
            sb.append(" (").append(String.join(", ", parts)).append("); the pairs above measure whether that matters");
        }
        sb.append(". SGD's step is proportional to c: the mean/mean recipe at the same learning rate takes steps 1/D = 1/")
                .append(LossConventions.PIXELS).append(" the size of the summed loss's, so under SGD a convention changes")
                .append(" the effective learning rate as well as β (not run).\n");
        return sb.toString();
    }

    /** Values of one metric of a row, mean over seeds; NaN if absent. */
    static double mean(Map<Long, RunRecord> runs, MetricId m) {
        return values(runs, m).values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** A row's metric summarised over seeds, or null if no seed has it. */
    static Summary summary(Map<Long, RunRecord> runs, MetricId m) {
        double[] v = values(runs, m).values().stream().mapToDouble(Double::doubleValue).toArray();
        return v.length == 0 ? null : Summary.of(v);
    }

    /** The per-seed values of a row's metric (ascending seed). */
    static Map<Long, Double> perSeed(Map<Long, RunRecord> runs, MetricId m) {
        return values(runs, m);
    }
}
