package org.vaelab.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.export.ModelExport;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.provenance.CodeVersion;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.Posterior;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.provenance.SystemInfo;
import org.vaelab.report.ImageGrid;
import org.vaelab.report.MarkdownReport;
import org.vaelab.report.ReportSpec;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.train.ConsoleProgress;
import org.vaelab.train.DataConfig;
import org.vaelab.train.DivergenceException;
import org.vaelab.train.RunConfig;
import org.vaelab.train.Seeds;
import org.vaelab.train.Trainer;

/**
 * Runs an experiment end to end: every arm × seed is trained and evaluated (or reused, if it already finished with
 * the same configuration), its run record is written atomically, then the report is rendered from the records.
 * A run that diverges is recorded as failed with its message, and the sweep goes on.
 */
public final class ExperimentRunner {

    private final PrintStream out;
    private final Trainer trainer;

    public ExperimentRunner(PrintStream out, Trainer trainer) {
        this.out = out;
        this.trainer = trainer;
    }

    /**
     * Runs the experiment and returns the path of its report. With {@code -Dshard=i/n} only that slice of the runs is
     * trained, and the report is written once every run of the plan is in the store.
     */
    public Path run(Experiment experiment, Overrides overrides) throws IOException {
        Optional<Path> standalone = experiment.runStandalone(overrides, out);
        if (standalone.isPresent()) return standalone.get();
        List<RunConfig> runs = overrides.runs(experiment);
        Path dir = Path.of(overrides.reportsDir(), experiment.name());
        Path runsDir = dir.resolve("runs");
        Overrides.Shard shard = overrides.shard();
        out.printf("vaelab: %s (%d runs%s) -> %s%n", experiment.name(), runs.size(),
                shard == null ? "" : ", shard " + shard + " of them", dir);
        out.printf("threads: %s, %d cores%n", SystemInfo.threadSettings(), Runtime.getRuntime().availableProcessors());

        Context ctx = new Context();
        List<RunRecord> records = new ArrayList<>();
        Set<String> planned = new HashSet<>();
        int missing = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs.size(); i++) {
            RunConfig c = runs.get(i);
            String key = ctx.runKey(c);
            planned.add(RunFiles.folderName(c, key));
            String tag = String.format("[%d/%d] %s seed %d", i + 1, runs.size(), c.label(), c.seed());
            Optional<RunRecord> done = overrides.fresh() ? Optional.empty()
                    : reuse(runsDir, c, key, ctx, tag, shard == null || shard.includes(i));
            if (done.isPresent()) {
                records.add(done.get());
                continue;
            }
            if (shard != null && !shard.includes(i)) {
                missing++;
                continue;
            }
            Outcome r = runOne(c, key, ctx, tag);
            RunFiles.write(runsDir, r.record, r.posterior, r.model,
                    r.samples == null ? Map.of() : Map.of(RunFiles.SAMPLES, r.samples::writePng));
            // The report is rendered from the stored record (steps.csv keeps 7 digits), so a later re-render from
            // the run store gives the same report byte for byte.
            records.add(RunFiles.readIfCurrent(runsDir, c, key).orElse(r.record));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (missing > 0) {
            out.printf("shard %s done in %s; %d of %d runs of the plan are in %s. Once every shard has finished, run the "
                            + "same command without -Dshard to gather them into the report.%n", shard,
                    ConsoleProgress.clock(seconds), runs.size() - missing, runs.size(), runsDir);
            return runsDir;
        }
        // Only a complete plan prunes: shards sharing the store may still be writing other runs.
        int pruned = shard == null ? RunFiles.prune(runsDir, planned) : 0;
        if (pruned > 0) out.printf("removed %d run folder(s) of configurations or code no longer in the plan%n", pruned);
        List<RunRecord> finished = records.stream().filter(r -> !r.failed()).toList();
        String discussion = finished.isEmpty() ? "" : experiment.discussion(finished);
        String command = "mvn -q compile exec:java -Dexperiment=" + experiment.name() + overrides.asFlags();
        Path report = MarkdownReport.write(dir, new ReportSpec(experiment.name(), experiment.summary(),
                experiment.question(), discussion, command), records);
        out.printf("done in %s; %d of %d runs finished.%nreport: %s%n", ConsoleProgress.clock(seconds),
                finished.size(), records.size(), report);
        return report;
    }

    /**
     * Re-runs the experiment's runs (all, or an evenly spaced sample of {@code -DverifySample=k}) in a scratch folder
     * and compares their metrics with the recorded ones under {@code reports/<experiment>/runs/}. Prints one row per
     * run and metric that differs, and a summary.
     *
     * @return the number of runs whose numbers differ beyond the relative tolerance or that have no record
     */
    public int verify(Experiment experiment, Overrides overrides) throws IOException {
        List<RunConfig> runs = overrides.runs(experiment);
        Path runsDir = Path.of(overrides.reportsDir(), experiment.name(), "runs");
        int k = overrides.verifySample() == null ? runs.size() : Math.min(overrides.verifySample(), runs.size());
        List<RunConfig> sample = new ArrayList<>();
        for (int j = 0; j < k; j++) sample.add(runs.get((int) ((long) j * runs.size() / k)));
        out.printf("verify: %s, re-running %d of %d runs, relative tolerance %.1e%n", experiment.name(), k, runs.size(),
                overrides.tolerance());
        Context ctx = new Context();
        int bad = 0;
        StringBuilder table = new StringBuilder(String.format("%-40s %-16s %16s %16s %12s%n", "run", "metric", "recorded", "re-run", "rel. diff"));
        for (int i = 0; i < sample.size(); i++) {
            RunConfig c = sample.get(i);
            String tag = String.format("[%d/%d] %s seed %d", i + 1, sample.size(), c.label(), c.seed());
            Optional<RunRecord> recorded = RunFiles.findLatest(runsDir, c);
            if (recorded.isEmpty()) {
                out.println(tag + ": no recorded run under " + runsDir + " to compare with");
                bad++;
                continue;
            }
            RunRecord fresh = runOne(c, ctx.runKey(c), ctx, tag).record;
            double worst = 0;
            for (var e : recorded.get().metrics().entrySet()) {
                Double now = fresh.metrics().get(e.getKey());
                double rel = now == null ? Double.POSITIVE_INFINITY
                        : Math.abs(now - e.getValue()) / Math.max(1e-12, Math.abs(e.getValue()));
                if (e.getValue().equals(now)) rel = 0;
                worst = Math.max(worst, rel);
                if (rel > overrides.tolerance() || e.getKey().target() instanceof org.vaelab.metrics.MetricTarget.Model)
                    table.append(String.format(Locale.ROOT, "%-40s %-16s %16.8g %16.8g %12.2e%s%n", recorded.get().runId(),
                            e.getKey().key(), e.getValue(), now == null ? Double.NaN : now, rel,
                            rel > overrides.tolerance() ? "  DIFFERS" : ""));
            }
            if (worst > overrides.tolerance() || fresh.failed() != recorded.get().failed()) bad++;
        }
        out.print(table);
        out.printf("verify: %d of %d runs reproduce within %.1e%s%n", sample.size() - bad, sample.size(),
                overrides.tolerance(), bad == 0 ? "" : "; see the rows marked DIFFERS");
        return bad;
    }

    /**
     * The finished run of this train key, if training can be skipped: reused as it is when its eval key is the wanted
     * one, else re-evaluated from its model file ({@link Reevaluation}) and written anew, if {@code mine} (this
     * process's shard includes it). Empty means train it; a run that finished without {@value RunFiles#MODEL} is
     * retrained, saying so. Warns once per invocation when a reused run was trained by other code with the same
     * {@link NumericsVersion}.
     */
    private Optional<RunRecord> reuse(Path runsDir, RunConfig c, String key, Context ctx, String tag, boolean mine)
            throws IOException {
        Path folder = runsDir.resolve(RunFiles.folderName(c, key));
        Optional<RunRecord> done = RunFiles.readIfCurrent(runsDir, c, key);
        if (done.isEmpty()) {
            if (mine && Files.isRegularFile(folder.resolve(RunFiles.PROVENANCE)) && !Files.exists(folder.resolve(RunFiles.MODEL)))
                out.println(tag + ": trained earlier, but " + folder.getFileName() + " has no " + RunFiles.MODEL
                        + " to evaluate or keep; retraining");
            return Optional.empty();
        }
        RunRecord r = done.get();
        if (!ctx.warnedCode && CodeVersion.differsFrom(r.provenance().codeSha256())
                && NumericsVersion.training().equals(trainingVersions(r.provenance()))) {
            ctx.warnedCode = true;
            out.printf("warning: %s (perhaps others too) was trained by other code (codeSha256 %.12s, now %.12s) with the"
                            + " same NumericsVersion; fine after a refactoring, but if numbers can have changed bump"
                            + " NumericsVersion (GoldenRunTest checks) or retrain with -Dfresh=true%n",
                    r.runId(), r.provenance().codeSha256(), ctx.code);
        }
        String evalKey = ctx.evalKey(c, key);
        if (!Reevaluation.needed(r, evalKey)) {
            out.println(tag + ": finished earlier with the same config, numerics and data; reused (-Dfresh=true retrains)");
            return done;
        }
        if (!mine) return Optional.empty();
        ImageDataset test = ctx.data(c.data())[1];
        out.println(tag + ": trained earlier; re-evaluating its " + RunFiles.MODEL + " without retraining ("
                + Reevaluation.why(r.provenance(), c, test.sha256()) + ")");
        return Optional.of(Reevaluation.of(folder, c, test, Seeds.of(c.seed()).eval()).write(runsDir));
    }

    private static Map<String, Integer> trainingVersions(Provenance p) {
        if (p.numericsVersion() == null) return Map.of();
        Map<String, Integer> m = new LinkedHashMap<>(p.numericsVersion());
        m.keySet().retainAll(NumericsVersion.training().keySet());
        return m;
    }

    /** Per-invocation state: loaded data sets and the facts every run's provenance shares. */
    private static final class Context {
        final Map<DataConfig, ImageDataset[]> data = new HashMap<>();
        final String[] git = SystemInfo.git();
        final Map<String, String> versions = SystemInfo.versions();
        final Map<String, String> hardware = SystemInfo.hardware();
        final String code = CodeVersion.sha256();
        /** Whether the warning about reused runs of other code was printed (once per invocation is enough). */
        boolean warnedCode;

        ImageDataset[] data(DataConfig d) {
            return data.computeIfAbsent(d, ExperimentRunner::load);
        }

        /** The run's train key ({@link Json#trainKey}): its folder in the store and what reuse compares. */
        String runKey(RunConfig c) {
            return Json.trainKey(c, data(c.data())[0].sha256());
        }

        /** The run's eval key ({@link Json#evalKey}) for its train key. */
        String evalKey(RunConfig c, String trainKey) {
            return Json.evalKey(c, trainKey, data(c.data())[1].sha256());
        }
    }

    private record Outcome(RunRecord record, Posterior posterior, ModelParameters model, ImageGrid samples) {
    }

    private Outcome runOne(RunConfig c, String key, Context ctx, String tag) {
        ImageDataset train = ctx.data(c.data())[0];
        ImageDataset test = ctx.data(c.data())[1];
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> dataSha = new LinkedHashMap<>();
        dataSha.put(train.name(), train.sha256());
        dataSha.put(test.name(), test.sha256());
        Map<String, Object> tree = Json.configTree(c);
        String sha = Json.configSha256(c);
        String folder = RunFiles.folderName(c, key);
        boolean dirty = Boolean.parseBoolean(ctx.git[1]);
        try {
            Trainer.Result trained = trainer.train(c, train, new ConsoleProgress(out, tag));
            long e0 = System.nanoTime();
            TestSetEvaluator.Evaluation eval;
            ModelParameters model;
            ImageGrid samples;
            try (var engine = trained.engine()) {
                eval = TestSetEvaluator.evaluate(engine, test, c.data().binarization(), Seeds.of(c.seed()).eval(),
                        c.iwSamples());
                model = engine.snapshot();
                samples = SampleImages.of(c.label() + ", seed " + c.seed(), engine, test, eval.posterior(), Seeds.of(c.seed()).eval());
            }
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            Provenance p = new Provenance(folder, tree, sha, key, ctx.code, c.seed(), ctx.git[0], dirty, ctx.versions,
                    ctx.hardware, dataSha, start.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    trained.trainSeconds(), evalSeconds, ModelExport.describe(model.architecture()),
                    ctx.evalKey(c, key), NumericsVersion.all());
            return new Outcome(new RunRecord(c, p, eval.metrics(), trained.steps(), null), eval.posterior(), model, samples);
        } catch (DivergenceException d) {
            out.println(tag + ": " + d.getMessage() + " Recorded as failed; the sweep goes on.");
            Provenance p = new Provenance(folder, tree, sha, key, ctx.code, c.seed(), ctx.git[0], dirty, ctx.versions,
                    ctx.hardware, dataSha, start.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), 0, 0, null,
                    ctx.evalKey(c, key), NumericsVersion.all());
            return new Outcome(new RunRecord(c, p, Map.of(), null, d.getMessage()), null, null, null);
        }
    }

    private static ImageDataset[] load(DataConfig d) {
        ImageDataset train = DataSources.byName(d.dataset(), Split.TRAIN);
        ImageDataset test = DataSources.byName(d.dataset(), Split.TEST);
        if (d.trainLimit() > 0) train = DataSources.subset(train, d.trainLimit());
        if (d.testLimit() > 0) test = DataSources.subset(test, d.testLimit());
        return new ImageDataset[] {train, test};
    }
}
