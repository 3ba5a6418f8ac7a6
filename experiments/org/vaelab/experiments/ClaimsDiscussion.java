package org.vaelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaelab.claims.Assessment;
import org.vaelab.claims.Claim;
import org.vaelab.claims.ClaimReport;
import org.vaelab.claims.Outcome;
import org.vaelab.claims.SeedTable;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.IwNll;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.RdSlopes;
import org.vaelab.metrics.Summary;
import org.vaelab.report.ReportIndex;
import org.vaelab.report.RunRecord;

/**
 * The claims report's discussion, computed from the finished runs: the runs become one {@link SeedTable} per setting
 * (base, PyTorch init, the other learning rate), every claim of {@link ClaimsCatalogue} is judged on each, and the
 * verdicts are written as a table, one index line per claim, and a section per claim.
 */
final class ClaimsDiscussion {

    private final Claims experiment;
    private final Map<String, SeedTable> settings = new LinkedHashMap<>();
    private final List<Assessment> assessments = new ArrayList<>();
    /** Base-setting β sweep: per β, the seed mean of the training batches' KL and Rec over the last epoch. */
    private final Map<Double, double[]> trainRd = new LinkedHashMap<>();

    ClaimsDiscussion(Claims experiment, List<RunRecord> runs) {
        this.experiment = experiment;
        Map<Claims.Setting, SeedTable.Builder> builders = new LinkedHashMap<>();
        for (Claims.Setting s : Claims.Setting.values()) builders.put(s, SeedTable.builder());
        SeedTable.Builder atRerunK = SeedTable.builder();
        for (RunRecord r : runs) {
            String label = r.config().label();
            String arm = Claims.Setting.baseLabel(label);
            long seed = r.config().seed();
            SeedTable.Builder b = builders.get(Claims.Setting.of(label));
            b.putAll(arm, seed, r.metrics());
            if (Claims.Setting.of(label) == Claims.Setting.BASE) atRerunK.putAll(arm, seed, atK(r.metrics(), RERUN_K));
            for (double beta : Claims.BETAS)
                if (label.equals(Claims.beta(beta)) && r.steps() != null && r.steps().size() > 0) addTrainPoint(beta, r.steps());
            // GECO's constraint is a training quantity: its moving average at the last step, relative to κ².
            if (arm.equals(Claims.GECO_L) && r.steps() != null && r.steps().has(TraceKey.CONSTRAINT_MA)) {
                double c = r.steps().last(TraceKey.CONSTRAINT_MA) / (Claims.GECO_KAPPA * Claims.GECO_KAPPA);
                b.put(arm, seed, ClaimsCatalogue.GECO_CONSTRAINT, c);
                if (Claims.Setting.of(label) == Claims.Setting.BASE) atRerunK.put(arm, seed, ClaimsCatalogue.GECO_CONSTRAINT, c);
            }
        }
        builders.forEach((s, b) -> {
            SeedTable t = b.build();
            if (!t.arms().isEmpty()) settings.put(s.title, t);
        });
        if (settings.isEmpty()) return;
        SeedTable baseAtRerunK = atRerunK.build();
        for (Claim c : ClaimsCatalogue.all(experiment.budget())) {
            Assessment a = Assessment.of(c, settings);
            assessments.add(a);
            if (baseAtRerunK.arms().isEmpty()) continue;
            Assessment b = Assessment.of(c, Map.of(a.baseName(), baseAtRerunK));
            // Only the claims whose effect moves with K: those that rest on the likelihood (an effect that happened
            // to be equal at both K would need no check).
            if (!a.base().effects().equals(b.base().effects())) kCheck.put(a, b);
        }
    }

    /** The K of the re-runs' evaluation (every arm's default). */
    static final int RERUN_K = IwNll.REPORT_K;

    /** Base-setting verdicts of the claims that rest on the likelihood: at the arms' own K, and at {@link #RERUN_K}. */
    private final Map<Assessment, Assessment> kCheck = new LinkedHashMap<>();

    /**
     * A run's metrics as an evaluation with {@code k} importance samples would have given them, where the run used
     * more: its IW-NLL is the one from the first {@code k} of its samples (recorded as {@link MetricId#iwNllAt}),
     * and the prefixes beyond {@code k} are dropped. Runs evaluated with at most {@code k} are returned as they are.
     */
    static Map<MetricId, Double> atK(Map<MetricId, Double> metrics, int k) {
        Double runK = metrics.get(MetricId.IW_K), prefix = metrics.get(MetricId.iwNllAt(k));
        if (runK == null || runK <= k || prefix == null) return metrics;
        Map<MetricId, Double> m = new LinkedHashMap<>(metrics);
        for (int p : IwNll.prefixes(runK.intValue())) if (p >= k) m.remove(MetricId.iwNllAt(p));
        m.put(MetricId.IW_NLL, prefix);
        m.put(MetricId.IW_K, (double) k);
        return m;
    }

    /** The discussion: headline, index items, verdict table, what was varied, the K curve, one section per claim. */
    String markdown() {
        if (assessments.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        long reRun = assessments.stream().filter(Assessment::reRun).count();
        long fragile = assessments.stream().filter(Assessment::fragile).count();
        sb.append(String.format(Locale.ROOT, "- **%d published claims, base setting: %s.** %s%n%n", assessments.size(),
                ClaimReport.counts(assessments), reRun == 0 ? "No claim was re-run under other settings."
                        : fragile + " of " + reRun + " re-run claims are fragile: their verdict changes with the weight"
                        + " initialisation or the learning rate."));
        if (experiment.budget() != Claims.DEFAULT)
            sb.append("*Budget `").append(experiment.budget().name()).append("`: ").append(experiment.budget().seeds())
                    .append(" seed(s) and one epoch on a subset, so every verdict is inconclusive by rule; the sections")
                    .append(" below only show what the report computes.*\n\n");
        for (Assessment a : assessments) sb.append(ReportIndex.itemComment(ClaimReport.indexLine(a)));
        sb.append('\n');

        sb.append("### Verdicts\n\n")
                .append("Effect: the mean over seeds of the per-seed effect, with its 95% Student-t interval (the ± of every")
                .append(" number here is a 95% interval half-width, never a spread). Robustness: the verdicts under the")
                .append(" base setting, PyTorch's default initialisation and learning rate ").append(Claims.fmt(Claims.LR_ALT))
                .append(". Each claim's section below gives its setting, its deviation from the paper, the rule and the")
                .append(" per-seed values.\n\n");
        sb.append(ClaimReport.table(assessments)).append('\n');

        List<Assessment> contradicted = assessments.stream().filter(a -> a.base().outcome() == Outcome.NOT_REPRODUCED).toList();
        if (!contradicted.isEmpty()) {
            sb.append("**Not reproduced in the base setting:** ");
            List<String> ids = contradicted.stream().map(a -> a.claim().id() + " (" + a.base().formatEffect(a.claim().decimals())
                    + (a.claim().unit().isEmpty() ? "" : " " + a.claim().unit()) + ")").toList();
            sb.append(String.join(", ", ids)).append(". Each section gives the deviations from the paper that may explain it;")
                    .append(" the short budget is common to all.\n\n");
        }

        sb.append("### What was varied, and what was not\n\n")
                .append("- *Varied:* the weight initialisation (vaelab's He/Glorot-uniform, biases 0, against PyTorch's")
                .append(" `nn.Linear` default U(±1/√fan_in) for weights and biases, √6 ≈ 2.4 times narrower for a ReLU layer)")
                .append(" and Adam's learning rate (").append(Claims.fmt(Claims.LR)).append(" against ")
                .append(Claims.fmt(Claims.LR_ALT)).append("; with the number of epochs fixed, the lower rate is also a less")
                .append(" converged model). Each re-run keeps everything else, including the seeds.\n")
                .append("- *Not varied:* data, architecture, batch size (100), number of epochs, the schemes' own settings")
                .append(" (warm-up length, cycles, λ, set points, κ), the evaluation (MI against the whole test set; IW-NLL with K = 100, and K = 5,000 for the base-setting arms")
                .append(" whose claims rest on the likelihood: the re-runs' likelihood claims are judged at K = 100).\n")
                .append("- *Not checked here:* absolute numbers such as Burda et al.'s 86.76 nats (60,000 MNIST images, 3,280")
                .append(" passes, K = 5,000): these runs are too short and the data set too small to compare with them.\n\n");

        sb.append(chords());
        sb.append(kCurve());
        sb.append(kCheck());
        sb.append("### The claims one by one\n\n");
        for (Assessment a : assessments) sb.append(ClaimReport.details(a));
        return sb.toString();
    }

    /** Adds one run's last-epoch training-batch (R, D) to its β's running sum (rate, distortion, runs). */
    private void addTrainPoint(double beta, org.vaelab.train.StepLog log) {
        int last = log.epoch()[log.size() - 1];
        double r = 0, d = 0;
        int n = 0;
        for (int i = 0; i < log.size(); i++)
            if (log.epoch()[i] == last) {
                r += log.kl()[i];
                d += log.rec()[i];
                n++;
            }
        double[] sum = trainRd.computeIfAbsent(beta, b -> new double[3]);
        sum[0] += r / n;
        sum[1] += d / n;
        sum[2]++;
    }

    /** The β sweep's chord slopes from seed means (base setting), next to the βs they should lie between. */
    private String chords() {
        SeedTable t = settings.values().iterator().next();
        List<RdSlopes.Point> points = new ArrayList<>();
        for (double b : Claims.BETAS) {
            Summary r = summary(t, Claims.beta(b), MetricId.KL), d = summary(t, Claims.beta(b), MetricId.REC);
            if (r != null && d != null) points.add(new RdSlopes.Point(b, r.mean(), d.mean()));
        }
        if (points.size() < 2) return "";
        String text = "### The β sweep's chords\n\nChord slopes −ΔD/ΔR between neighbouring β of the sweep, from seed means (base"
                + " setting); if each model minimises its own D + β·R, each lies between its two β (alemi18-slope judges"
                + " the same per seed): " + RdSlopes.describe(RdSlopes.of(points)) + ".";
        List<RdSlopes.Point> train = new ArrayList<>();
        trainRd.forEach((b, sum) -> train.add(new RdSlopes.Point(b, sum[0] / sum[2], sum[1] / sum[2])));
        if (train.size() < 2) return text + "\n\n";
        List<RdSlopes.Chord> chords = RdSlopes.of(train);
        long above = chords.stream().filter(c -> c.slope() > c.to().beta()).count();
        text += " On the training batches of the last epoch (the objective the models were trained on): "
                + RdSlopes.describe(chords) + ".";
        if (above > 0)
            text += " For " + above + " of these pairs the slope exceeds the larger β: the smaller β's model reaches a lower"
                    + " D + β·R *for the larger β* than the model trained on that objective, so the latter stopped short"
                    + " of its objective's minimum in this budget, and the claim (a property of the minimisers) cannot show"
                    + " on these points.";
        return text + "\n\n";
    }

    /** How the IW-NLL of β = 1 (base setting) moves with the number of importance samples: K' = 1, 10, …, K. */
    private String kCurve() {
        SeedTable t = settings.values().iterator().next();
        String arm = Claims.beta(1);
        if (!t.has(arm) || t.seeds(arm).isEmpty()) return "";
        long first = t.seeds(arm).first();
        var k = t.value(arm, first, MetricId.IW_K);
        if (k.isEmpty()) return "";
        int[] prefixes = IwNll.prefixes((int) k.getAsDouble());
        StringBuilder sb = new StringBuilder("### How the likelihood estimate moves with K\n\n")
                .append("Test IW-NLL of β = 1 (base setting) from the first K' importance samples of each test image, mean")
                .append(" ± 95% interval half-width over seeds. K' = 1 is the one-sample ELBO; the estimate can only fall")
                .append(" with K (in expectation); what it still moves between the last two columns suggests how much a")
                .append(" larger K would add.\n\n| K | ");
        List<Summary> cols = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        for (int p : prefixes) {
            heads.add(Integer.toString(p));
            cols.add(summary(t, arm, MetricId.iwNllAt(p)));
        }
        heads.add((int) k.getAsDouble() + " (all)");
        cols.add(summary(t, arm, MetricId.IW_NLL));
        sb.append(String.join(" | ", heads)).append(" |\n|---|").append("---:|".repeat(heads.size())).append("\n| IW-NLL (nats) | ");
        List<String> cells = new ArrayList<>();
        for (Summary s : cols) cells.add(s == null ? "–" : s.format(2));
        return sb.append(String.join(" | ", cells)).append(" |\n\n").toString();
    }

    /**
     * The likelihood claims judged in the base setting at the K of the re-runs, from the first K of the same
     * importance samples: if every verdict is the same as at the arms' own K, the robustness column compares like
     * with like; where one differs, the K and not the setting may be what changes a verdict.
     */
    private String kCheck() {
        if (kCheck.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("### The likelihood claims at the re-runs' K\n\n")
                .append("The re-runs are evaluated with K = ").append(RERUN_K).append(". The claims that rest on the")
                .append(" likelihood, judged in the base setting at the K of their arms and again from the first ")
                .append(RERUN_K).append(" of the same importance samples (effect, 95% interval):\n\n")
                .append("| claim | at the arms' K | at K = ").append(RERUN_K).append(" | same verdict? |\n|---|---|---|---|\n");
        List<String> differ = new ArrayList<>();
        kCheck.forEach((full, atRerun) -> {
            int d = full.claim().decimals();
            boolean same = full.base().outcome() == atRerun.base().outcome();
            if (!same) differ.add(full.claim().id());
            sb.append("| ").append(full.claim().id()).append(" | ").append(full.base().formatEffect(d)).append(", ")
                    .append(full.base().outcome().text()).append(" | ").append(atRerun.base().formatEffect(d)).append(", ")
                    .append(atRerun.base().outcome().text()).append(" | ").append(same ? "yes" : "**no**").append(" |\n");
        });
        sb.append('\n').append(differ.isEmpty()
                ? "Every one of these " + kCheck.size() + " verdicts is the same at K = " + RERUN_K + ", so judging the"
                + " re-runs at K = " + RERUN_K + " does not by itself change a verdict: the robustness column compares"
                + " like with like. The effects do move with K (the bound tightens unevenly across arms), which is why"
                + " the base verdicts use the larger K."
                : "The verdict changes with K for " + String.join(", ", differ) + ": for these claims a re-run's"
                + " different verdict may come from its K = " + RERUN_K + " rather than from its setting.");
        return sb.append("\n\n").toString();
    }

    private static Summary summary(SeedTable t, String arm, MetricId id) {
        double[] v = t.seeds(arm).stream().map(s -> t.value(arm, s, id)).filter(o -> o.isPresent())
                .mapToDouble(o -> o.getAsDouble()).toArray();
        return v.length == 0 ? null : Summary.of(v);
    }
}
