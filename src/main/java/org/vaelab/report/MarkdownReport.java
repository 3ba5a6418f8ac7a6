package org.vaelab.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.MutualInformationMetric;
import org.vaelab.model.WeightInit;
import org.vaelab.train.RunConfig;

/**
 * Renders {@code reports/<experiment>/report.md} and its figures from finished run records. It reads immutable
 * results only: it never trains or evaluates.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** Writes the report and its figures into {@code dir}; returns the report's path. */
    public static Path write(Path dir, ReportSpec spec, List<RunRecord> runs) throws IOException {
        Map<String, List<RunRecord>> byArm = byArm(runs);
        Map<String, List<RunRecord>> finished = new LinkedHashMap<>();
        byArm.forEach((label, rs) -> {
            List<RunRecord> ok = rs.stream().filter(r -> !r.failed()).toList();
            if (!ok.isEmpty()) finished.put(label, ok);
        });

        Map<String, List<RunRecord>> drawn = new LinkedHashMap<>(finished);
        drawn.keySet().removeIf(label -> !spec.drawn().test(label));
        ReportFigures.Drawn figs = ReportFigures.draw(dir, drawn);
        List<String> figures = figs.figures(), heatmaps = figs.heatmaps();
        String md = render(spec, runs, finished, figures, heatmaps);
        if (!finished.isEmpty())
            AtomicFiles.writeString(dir.resolve("results.tex"), ResultsTable.of(finished).latex(spec.name() + ": "
                    + spec.summary().replaceFirst("\\s*\\(~[^)]*\\)$", "") + ". " + ResultsTable.setupCaption(finished),
                    "tab:" + spec.name()));
        Path report = dir.resolve("report.md");
        AtomicFiles.writeString(report, md);
        ReportIndex.update(dir.getParent());
        return report;
    }

    static String render(ReportSpec spec, List<RunRecord> runs, Map<String, List<RunRecord>> finished, List<String> figures,
                         List<String> heatmaps) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(spec.name()).append(": ").append(spec.summary()).append("\n\n");
        String finding = spec.discussion().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> l.replaceFirst("^[-*] ", "").replace("**", "")).orElse("");
        if (!finding.isEmpty()) md.append(ReportIndex.findingComment(finding)).append('\n');
        md.append(spec.question().strip()).append("\n\n");
        md.append("## Setup\n\n").append(setup(runs)).append('\n');
        md.append("## Results\n\n");
        md.append("Test-set metrics in nats per image, mean ± half-width of the 95% t-interval over N seeds. ")
                .append("ELBO = −(Rec + KL); Rec is the distortion D, KL the rate R (Alemi et al. 2018). ")
                .append("β is the KL weight in force at the end of training, for the mean-reduction recipe its β_eff = w·D/d. ")
                .append("Active units: dimensions whose posterior mean varies across test images with variance > 0.01 (Burda et al. 2016). ")
                .append("MI: mutual information I(x; z), the estimator of Hoffman & Johnson (2016) as in He et al. (2019), with q(z) ")
                .append("estimated against ").append(miBatch(runs)).append("; it is biased low and cannot exceed log B")
                .append(miBound(runs)).append(". ")
                .append(iwText(runs)).append("\n\n");
        md.append(finished.isEmpty() ? "No run finished.\n" : ResultsTable.of(finished).markdown());
        if (!finished.isEmpty()) md.append(saturatedMi(finished));
        if (!finished.isEmpty())
            md.append("\nThe same table for papers, as LaTeX (booktabs): [`results.tex`](results.tex).\n");
        List<RunRecord> failed = runs.stream().filter(RunRecord::failed).toList();
        if (!failed.isEmpty()) {
            md.append("\nRuns that did not finish (left out of the table):\n\n");
            for (RunRecord r : failed) md.append("- `").append(r.runId()).append("`: ").append(r.failure()).append('\n');
        }
        md.append('\n');
        for (String f : figures) {
            if (!f.endsWith(".png")) continue;
            md.append("![").append(ReportFigures.caption(f)).append("](").append(f).append(")\n\n");
        }
        long drawn = finished.keySet().stream().filter(spec.drawn()).count();
        if (!figures.isEmpty() && drawn < finished.size())
            md.append("The figures draw ").append(drawn).append(" of the ").append(finished.size())
                    .append(" configurations (the experiment's choice, to keep them readable), and so do the samples;")
                    .append(" the table lists all, and every run's `samples.png` is in its folder.\n\n");
        if (!figures.isEmpty())
            md.append("Every figure is also saved as SVG and PDF beside the PNG (`figures/`), for papers.\n\n");
        List<String> samples = new ArrayList<>();
        for (var rs : finished.values()) {
            RunRecord r = rs.get(0);
            if (!spec.drawn().test(r.config().label())) continue;
            samples.add("**" + r.config().label() + "** (seed " + r.config().seed() + ")\n\n![samples of " + r.config().label()
                    + "](runs/" + r.runId() + "/" + RunFiles.SAMPLES + ")\n");
        }
        if (!samples.isEmpty())
            md.append("## Samples\n\nFor the first seed of each configuration: test images, their reconstructions (decoder ")
                    .append("mean at z = μ), samples from the prior, and traversals of the three latent dimensions with ")
                    .append("the most KL (from the first test image's μ).\n\n").append(String.join("\n", samples)).append('\n');
        List<String> maps = heatmaps.stream().filter(f -> f.endsWith(".png")).toList();
        if (!maps.isEmpty()) {
            md.append("## Per-dimension KL during training\n\nFor the first seed of each configuration: the batch KL of every ")
                    .append("latent dimension (rows) over optimiser steps (columns), recorded about 200 times per run ")
                    .append("(`kl_per_dim.csv` in the run folder). Dimensions that go dark have collapsed to the prior. ")
                    .append("All maps share one colour scale, from 0 to the largest value in any of them, so the same ")
                    .append("colour is the same KL in every map.\n\n");
            for (String f : maps) md.append("![").append(ReportFigures.caption(f)).append("](").append(f).append(")\n\n");
        }
        if (!spec.discussion().isBlank()) md.append("## What the numbers say\n\n").append(spec.discussion().strip()).append("\n\n");
        md.append(provenance(runs));
        md.append("## How to reproduce\n\n```\n").append(spec.command()).append("\n```\n\n")
                .append("Finished runs are reused when their configuration is unchanged; add `-Dfresh=true` to retrain. ")
                .append("Each run's folder under `runs/` holds `provenance.json`, `metrics.csv`, `steps.csv` and ")
                .append("`posterior.csv.gz` (μ and log σ² of every test image), enough to recompute every latent metric.\n");
        return md.toString();
    }

    private static String setup(List<RunRecord> runs) {
        RunConfig c = runs.get(0).config();
        long seeds = runs.stream().map(r -> r.config().seed()).distinct().count();
        long arms = runs.stream().map(r -> r.config().label()).distinct().count();
        StringBuilder sb = new StringBuilder();
        sb.append("| | |\n|---|---|\n");
        sb.append("| data | ").append(distinct(runs, r -> {
            var d = r.config().data();
            String s = "`" + d.dataset() + "`, binarisation " + d.binarization().name().toLowerCase(Locale.ROOT);
            if (d.trainLimit() > 0 || d.testLimit() > 0)
                s += " (" + (d.trainLimit() > 0 ? "the first " + d.trainLimit() : "all") + " train / "
                        + (d.testLimit() > 0 ? "the first " + d.testLimit() : "all") + " test images)";
            return s;
        })).append(" |\n");
        sb.append("| model | ").append(distinct(runs, r -> "MLP VAE " + r.config().model().describe())).append(" |\n");
        sb.append("| training | ").append(distinct(runs, r -> {
            var t = r.config().train();
            return "Adam, learning rate " + BigDecimal.valueOf(t.learningRate()).stripTrailingZeros().toPlainString()
                    + ", batch " + t.batchSize() + ", " + t.epochs() + " epochs"
                    + (t.init() == WeightInit.DEFAULT ? "" : ", " + t.init().describe() + " initialisation");
        })).append(" |\n");
        sb.append("| runs | ").append(arms).append(" configurations × ").append(seeds).append(seeds == 1 ? " seed = " : " seeds = ").append(runs.size()).append(" runs; ")
                .append("runs with the same seed share initialisation, data order and noise ε |\n");
        sb.append("| evaluation | test set").append(c.data().binarization() == org.vaelab.data.Binarization.NONE ? ""
                : " (binarised once with a fixed seed, the same targets for every run)")
                .append("; Rec with one posterior sample per image, KL analytic |\n");
        return sb.toString();
    }

    /**
     * The value every configuration shares, or, where they differ, each distinct value with the number of
     * configurations that have it ("…; … (3 configurations)"), so that a mixed experiment's setup is not the first
     * row's.
     */
    private static String distinct(List<RunRecord> runs, Function<RunRecord, String> value) {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        for (RunRecord r : runs) labels.computeIfAbsent(value.apply(r), k -> new HashSet<>()).add(r.config().label());
        if (labels.size() == 1) return labels.keySet().iterator().next();
        List<String> parts = new ArrayList<>();
        labels.forEach((v, ls) -> parts.add(v + " (" + ls.size() + (ls.size() == 1 ? " configuration)" : " configurations)")));
        return String.join("; ", parts);
    }

    /** "B = 10000 test images (every image evaluated, by default)", from the runs' MI_BATCH. */
    private static String miBatch(List<RunRecord> runs) {
        Double b = firstMiBatch(runs);
        return b == null ? "B test images" : "B = " + b.intValue() + " test images (the whole evaluation set, by default)";
    }

    private static String miBound(List<RunRecord> runs) {
        Double b = firstMiBatch(runs);
        return b == null ? "" : String.format(Locale.ROOT, " = %.2f nats; a value within %.1f nats of it is saturated: "
                + "the encoder separates the test images about as well as the estimate can show, so such rows are not "
                + "ranked by MI", Math.log(b), MutualInformationMetric.SATURATION_NATS);
    }

    /**
     * What the IW-NLL columns are: the bound of Burda et al. (2016) with the runs' K on every test image, the gap
     * −ELBO − NLL, and the largest Monte-Carlo standard error of any run (computed, so a reader can judge whether K
     * suffices); or how to turn it on.
     */
    private static String iwText(List<RunRecord> runs) {
        List<RunRecord> ok = runs.stream().filter(r -> !r.failed() && r.metrics().containsKey(MetricId.IW_NLL)).toList();
        if (ok.isEmpty())
            return "IW-NLL (the importance-weighted bound of Burda et al. 2016) was not computed: `-DiwK=K` computes it.";
        int k = ok.get(0).metrics().get(MetricId.IW_K).intValue();
        double se = ok.stream().mapToDouble(r -> r.metrics().getOrDefault(MetricId.IW_NLL_MC_SE, Double.NaN)).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "IW-NLL: the importance-weighted bound −log p(x) ≤ IW-NLL of Burda et al. (2016) "
                + "with K = %d samples on every test image (the paper's K = 5000 tightens it further; `-DiwK=5000`); its "
                + "Monte-Carlo standard error is at most %.3f nats in any run. gap = −ELBO − IW-NLL from the same samples: "
                + "how far the ELBO is from the likelihood bound (≥ 0).", k, se);
    }

    private static Double firstMiBatch(List<RunRecord> runs) {
        return runs.stream().filter(r -> !r.failed()).map(r -> r.metrics().get(MetricId.MI_BATCH))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** One sentence naming the rows whose mean MI is saturated (computed, never typed); empty if none. */
    private static String saturatedMi(Map<String, List<RunRecord>> finished) {
        List<String> rows = saturatedMiRows(finished);
        if (rows.isEmpty()) return "";
        return "\nMI is saturated (within " + MutualInformationMetric.SATURATION_NATS + " nats of log B) for "
                + String.join(", ", rows) + ": these rows cannot be ranked by MI.\n";
    }

    /**
     * The labels whose seed-mean MI lies within {@link MutualInformationMetric#SATURATION_NATS} of its bound log B
     * ({@link MutualInformationMetric#saturated}), in the map's order: the rows a report must not rank by MI.
     */
    public static List<String> saturatedMiRows(Map<String, List<RunRecord>> byLabel) {
        List<String> rows = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            List<RunRecord> with = e.getValue().stream()
                    .filter(r -> r.metrics().get(MetricId.MI) != null && r.metrics().get(MetricId.MI_BATCH) != null).toList();
            if (with.isEmpty()) continue;
            double mi = with.stream().mapToDouble(r -> r.metrics().get(MetricId.MI)).average().orElseThrow();
            if (MutualInformationMetric.saturated(mi, with.get(with.size() - 1).metrics().get(MetricId.MI_BATCH))) rows.add(e.getKey());
        }
        return rows;
    }

    private static String provenance(List<RunRecord> runs) {
        var p = runs.get(0).provenance();
        StringBuilder sb = new StringBuilder("## Provenance\n\n");
        sb.append("- code: git commit `").append(p.gitCommit()).append('`').append(p.gitDirty() ? " (with uncommitted changes)" : "").append('\n');
        // Sorted, so that a report re-rendered from stored runs reads exactly like the one written after training.
        new TreeMap<>(p.versions()).forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        new TreeMap<>(p.hardware()).forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        new TreeMap<>(p.dataSha256()).forEach((k, v) -> sb.append("- data ").append(k).append(" SHA-256: `").append(v).append("`\n"));
        sb.append("\n| run | config SHA-256 | train (s) | eval (s) | finished |\n|---|---|---:|---:|---|\n");
        for (RunRecord r : runs) {
            var q = r.provenance();
            sb.append("| `").append(r.runId()).append("` | `").append(q.configSha256(), 0, 12).append("…` | ")
                    .append(String.format(Locale.ROOT, "%.1f", q.trainSeconds())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", q.evalSeconds())).append(" | ")
                    .append(q.endTime()).append(" |\n");
        }
        double total = runs.stream().mapToDouble(r -> r.provenance().trainSeconds() + r.provenance().evalSeconds()).sum();
        sb.append(String.format(Locale.ROOT, "\nTotal training and evaluation time: %.0f s.\n\n", total));
        return sb.toString();
    }

    private static Map<String, List<RunRecord>> byArm(List<RunRecord> runs) {
        Map<String, List<RunRecord>> m = new LinkedHashMap<>();
        for (RunRecord r : runs) m.computeIfAbsent(r.config().label(), k -> new ArrayList<>()).add(r);
        return m;
    }

}
