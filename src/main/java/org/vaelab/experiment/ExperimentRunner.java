package org.vaelab.experiment;

import java.io.IOException;
import java.io.PrintStream;
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
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.export.ModelExport;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.provenance.CodeVersion;
import org.vaelab.metrics.IwNll;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.provenance.SystemInfo;
import org.vaelab.report.AtomicFiles;
import org.vaelab.report.ImageGrid;
import org.vaelab.report.MarkdownReport;
import org.vaelab.report.ReportSpec;
import org.vaelab.report.RunCheck;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.report.StoreLock;
import org.vaelab.train.ConsoleProgress;
import org.vaelab.train.DataConfig;
import org.vaelab.train.DivergenceException;
import org.vaelab.train.RunConfig;
import org.vaelab.train.Seeds;
import org.vaelab.train.TestCurve;
import org.vaelab.train.Trainer;

/**
 * Runs an experiment end to end: every arm × seed is trained and evaluated (or reused, if it already finished with
 * the same configuration), its run record is written atomically, then the report is rendered from the records.
 * A run that diverges is recorded as failed with its message, and the sweep goes on.
 *
 * <p>Long because the sweep, the reuse of finished runs and {@link #verify} share one run-store context (lock, keys,
 * versions, provenance); re-evaluating a finished run from its model already lives in {@link Reevaluation}.
 */
public final class ExperimentRunner {

    private final PrintStream out;
    private final Trainer trainer;

    public ExperimentRunner(PrintStream out, Trainer trainer) {
        this.out = out;
        this.trainer = trainer;
    }

    /**
     * What a run of an experiment produced.
     *
     * @param folder   the report folder (the canonical one, or a variant's)
     * @param report   the report written, or null if runs of the plan are still missing (a shard)
     * @param planned  runs in the plan
     * @param finished runs that finished
     * @param failed   runs that failed (diverged); the report lists them
     */
    public record Result(Path folder, Path report, int planned, int finished, int failed) {
    }

    /**
     * Runs the experiment: trains every run of the plan that has no finished record (or reuses it), then writes the
     * report once every run of the plan is in the store.
     *
     * <p>Any number of processes may run on one report folder at once (the same experiment, shards of it, or a
     * restart while an old process still runs): each run is claimed with a {@link StoreLock} before it is trained,
     * a process that finds a run claimed goes on with the others and comes back to it at the end (waiting for it,
     * unless it is a shard), and the report is written under a lock of its own by whoever completes the plan. A
     * process that dies releases its claims with it. The workers of one launch ({@code -Dworkers}, {@link Launch})
     * are such processes; they try the runs in different orders, and only the first waits and reports. A plan that differs from the experiment's own (any override
     * such as {@code -Depochs}) is a variant and writes to its own folder ({@link ReportFolder}); nothing is deleted
     * unless {@code -Dprune=true} asks for it.
     */
    public Result run(Experiment experiment, Overrides overrides) throws IOException {
        Optional<Path> standalone = experiment.runStandalone(overrides, out);
        if (standalone.isPresent()) return new Result(standalone.get().getParent(), standalone.get(), 0, 0, 0);
        List<RunConfig> runs = overrides.runs(experiment);
        ReportFolder folder = ReportFolder.of(Path.of(overrides.reportsDir()), experiment, overrides);
        Path dir = folder.dir();
        Path runsDir = dir.resolve("runs");
        Shard shard = overrides.shard();
        Launch launch = overrides.launch();
        // Worker 1 speaks for the plan; the other workers of a launch name only the runs they train.
        if (!launch.helper())
            out.printf("vaelab: %s (%d runs%s) -> %s%n", experiment.name(), runs.size(),
                    shard == null ? "" : ", shard " + shard + " of them", dir);
        if (folder.variant() && !launch.helper())
            out.printf("this is a variant of %s (%s): its report and runs go to %s; the %s report is not touched%n",
                    experiment.name(), folder.describe(), dir, experiment.name());
        out.printf("threads: %s of %d cores; products: %s%n", SystemInfo.threadSettings(),
                Runtime.getRuntime().availableProcessors(), NativeMlpEngine.productThreading());

        Context ctx = new Context();
        ctx.siblings = launch.workers() != null && launch.workers() > 1;
        if (folder.variant()) ctx.canonicalRuns = Path.of(overrides.reportsDir(), experiment.name(), "runs");
        // Keys first: they load every data set and check it fits the model, so missing or wrong data fails before
        // anything is written.
        String[] keys = new String[runs.size()];
        Set<String> planned = new HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            keys[i] = ctx.runKey(runs.get(i));
            planned.add(RunFiles.folderName(runs.get(i), keys[i]));
        }
        // A read-only or full disk is found now, not after hours of training. A run writes well under 8 MB
        // (the shootout's largest: 6.6 MB of weights, 1.4 MB of posterior and logs).
        AtomicFiles.checkWritable(runsDir, (long) runs.size() * 8_000_000L);
        Instant invoked = (launch.launched() != null ? launch.launched() : Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        RunRecord[] records = new RunRecord[runs.size()];
        List<Integer> claimedElsewhere = new ArrayList<>();
        int missing = 0;
        long t0 = System.nanoTime();
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Optional<RunRecord> done = reusable(runsDir, runs.get(i), keys[i], ctx, overrides.fresh(), invoked);
            if (done.isPresent()) {
                if (!launch.helper())
                    out.println(tag(i, runs.size(), runs.get(i)) + ": finished earlier with the same config, numerics and"
                            + " data; reused (-Dfresh=true retrains)");
                records[i] = done.get();
            } else if (shard != null && !shard.includes(i)) {
                missing++;
            } else {
                todo.add(i);
            }
        }
        for (int i : launch.order(todo)) {
            RunConfig c = runs.get(i);
            String tag = tag(i, runs.size(), c);
            Optional<StoreLock> claim = StoreLock.tryAcquire(runsDir, RunFiles.folderName(c, keys[i]));
            if (claim.isEmpty()) {
                if (!ctx.siblings)
                    out.println(tag + ": being trained by another process ("
                            + StoreLock.holder(runsDir, RunFiles.folderName(c, keys[i])) + "); going on with the others");
                claimedElsewhere.add(i);
                continue;
            }
            try (StoreLock held = claim.get()) {
                records[i] = trainOrReuse(runsDir, c, keys[i], ctx, tag, overrides.fresh(), invoked);
            }
        }
        if (launch.helper()) return helperDone(launch, records, runs.size(), dir, t0);
        for (int i : claimedElsewhere) {
            RunConfig c = runs.get(i);
            String tag = tag(i, runs.size(), c);
            if (shard != null) {
                // A shard never waits: the process holding the run will finish it, and the gather step reuses it.
                Optional<RunRecord> done = reusable(runsDir, c, keys[i], ctx, false, invoked);
                if (done.isPresent()) records[i] = done.get();
                else missing++;
                continue;
            }
            out.println(tag + ": waiting for the other process ("
                    + StoreLock.holder(runsDir, RunFiles.folderName(c, keys[i])) + ") to finish it");
            try (StoreLock held = StoreLock.acquire(runsDir, RunFiles.folderName(c, keys[i]))) {
                // Whoever held it has finished (or died): reuse its record if it wrote one, else train it here.
                records[i] = trainOrReuse(runsDir, c, keys[i], ctx, tag, false, invoked);
            }
        }
        if (shard != null && missing > 0) {
            // Other shards may have finished while this one trained: look again, so that whichever shard ends last
            // finds the plan complete and writes the report.
            missing = 0;
            for (int i = 0; i < runs.size(); i++) {
                if (records[i] != null) continue;
                Optional<RunRecord> done = reusable(runsDir, runs.get(i), keys[i], ctx, false, invoked);
                if (done.isPresent()) records[i] = done.get();
                else missing++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (missing > 0) {
            out.printf("shard %s done in %s; %d of %d runs of the plan are in %s. Once every shard has finished, run the "
                            + "same command without -Dshard to gather them into the report.%n", shard,
                    ConsoleProgress.clock(seconds), runs.size() - missing, runs.size(), runsDir);
            return new Result(dir, null, runs.size(), runs.size() - missing, 0);
        }
        if (overrides.prune()) {
            List<Path> pruned = RunFiles.prune(runsDir, planned);
            for (Path p : pruned) out.println("pruned (-Dprune=true): " + p);
            out.printf("-Dprune=true removed %d run folder(s) not in the plan%n", pruned.size());
        } else {
            int stale = RunFiles.notInPlan(runsDir, planned).size();
            if (stale > 0)
                out.printf("%d run folder(s) in %s are not in this plan (other code versions or configurations); they are "
                        + "kept. -Dprune=true lists and removes them.%n", stale, runsDir);
        }
        List<RunRecord> all = List.of(records);
        List<RunRecord> finished = all.stream().filter(r -> !r.failed()).toList();
        String discussion = finished.isEmpty() ? "" : unequalSeedsWarning(all) + experiment.discussion(finished);
        String command = "mvn -q compile exec:java -Dexperiment=" + experiment.name() + overrides.asFlags();
        Path report;
        try (StoreLock held = StoreLock.acquire(dir, "report")) {
            report = MarkdownReport.write(dir, new ReportSpec(experiment.name(), folder.summary(experiment),
                    experiment.question(), discussion, command, experiment::drawnInFigures), all);
        }
        int failed = all.size() - finished.size();
        out.printf("done in %s; %d of %d runs finished%s.%nreport: %s%n", ConsoleProgress.clock(seconds),
                finished.size(), all.size(), failed == 0 ? "" : ", " + failed + " failed (listed in the report; the next "
                        + "invocation retries them)", report);
        return new Result(dir, report, all.size(), finished.size(), failed);
    }

    /**
     * The end of a worker other than the first ({@link Launch#helper()}): it has trained what it could claim, and
     * worker 1 waits for the rest and writes the report. Its result counts only the runs it holds a record of.
     */
    private Result helperDone(Launch launch, RunRecord[] records, int planned, Path dir, long t0) {
        int finished = 0, failed = 0;
        for (RunRecord r : records) {
            if (r != null && r.failed()) failed++;
            else if (r != null) finished++;
        }
        out.printf("worker %d of %d done in %s: nothing left to claim; worker 1 writes the report%n", launch.worker(),
                launch.workers(), ConsoleProgress.clock((System.nanoTime() - t0) / 1e9));
        return new Result(dir, null, planned, finished, failed);
    }

    private static String tag(int i, int n, RunConfig c) {
        return String.format("[%d/%d] %s seed %d", i + 1, n, c.label(), c.seed());
    }

    /**
     * The finished record of a run, if the store holds one that may be reused as it is: complete, not failed (a
     * failed run is retried), evaluated as this plan asks (its eval key), and with {@code -Dfresh=true} finished by
     * this invocation (so that processes sharing a fresh sweep do not retrain each other's runs). Warns once per
     * invocation when such a run was trained by other code with the same {@link NumericsVersion}.
     */
    private Optional<RunRecord> reusable(Path runsDir, RunConfig c, String key, Context ctx, boolean fresh,
                                         Instant invoked) {
        return reusable(RunFiles.check(runsDir.resolve(RunFiles.folderName(c, key)), c), c, key, ctx, fresh, invoked);
    }

    /** As {@link #reusable(Path, RunConfig, String, Context, boolean, Instant)}, from a check already made. */
    private Optional<RunRecord> reusable(RunCheck check, RunConfig c, String key, Context ctx, boolean fresh,
                                         Instant invoked) {
        Optional<RunRecord> done = RunFiles.current(check, key)
                .filter(r -> !fresh || !Instant.parse(r.provenance().endTime()).isBefore(invoked))
                .filter(r -> !Reevaluation.needed(r, ctx.evalKey(c, key)));
        done.ifPresent(r -> {
            if (!ctx.warnedCode && CodeVersion.differsFrom(r.provenance().codeSha256())
                    && NumericsVersion.training().equals(trainingVersions(r.provenance()))) {
                ctx.warnedCode = true;
                out.printf("warning: %s (perhaps others too) was trained by other code (codeSha256 %.12s, now %.12s) with"
                                + " the same NumericsVersion; fine after a refactoring, but if numbers can have changed bump"
                                + " NumericsVersion (GoldenRunTest checks) or retrain with -Dfresh=true%n",
                        r.runId(), r.provenance().codeSha256(), ctx.code);
            }
        });
        return done;
    }

    /**
     * With the run's claim held: reuse it if another process finished it meanwhile; re-evaluate its saved model if
     * only the evaluation changed (a new metric, {@code -DiwK}); else train and store it. A damaged folder is named
     * and moved aside first.
     */
    private RunRecord trainOrReuse(Path runsDir, RunConfig c, String key, Context ctx, String tag, boolean fresh,
                                   Instant invoked) throws IOException {
        Path folder = runsDir.resolve(RunFiles.folderName(c, key));
        RunCheck check = RunFiles.check(folder, c);
        Optional<RunRecord> done = reusable(check, c, key, ctx, fresh, invoked);
        if (done.isPresent()) {
            if (!ctx.siblings) out.println(tag + ": finished by another process meanwhile; reused");
            return done.get();
        }
        if (check instanceof RunCheck.Damaged d) {
            Path aside = RunFiles.quarantine(folder);
            out.println(tag + ": " + folder + " is damaged (" + String.join("; ", d.problems()) + "); moved to " + aside
                    + " and trained again");
        } else if (check instanceof RunCheck.Absent && ctx.canonicalRuns != null && !fresh) {
            // A variant that changes only the evaluation (-DiwK, testLimit) trains exactly the canonical plan's run:
            // copy it (with its model) into the variant's store and evaluate it there, leaving the canonical run as is.
            Path canonical = ctx.canonicalRuns.resolve(folder.getFileName());
            if (RunFiles.check(canonical, c) instanceof RunCheck.Complete cc) {
                if (cc.hasModel()) {
                    RunFiles.copyRun(canonical, runsDir);
                    out.println(tag + ": trained already for the " + ctx.canonicalRuns.getParent().getFileName()
                            + " report; copied from " + canonical);
                    check = RunFiles.check(folder, c);
                    Optional<RunRecord> same = reusable(check, c, key, ctx, false, invoked);
                    if (same.isPresent()) return same.get();
                } else {
                    out.println(tag + ": trained already for the " + ctx.canonicalRuns.getParent().getFileName()
                            + " report, but " + canonical + " has no " + RunFiles.MODEL + " to evaluate (model files are"
                            + " not committed); training");
                }
            }
        }
        if (!fresh && check instanceof RunCheck.Complete done2 && key.equals(done2.record().provenance().runKey())) {
            ImageDataset test = ctx.data(c.data())[1];
            if (done2.hasModel()) {
                out.println(tag + ": trained earlier; re-evaluating its " + RunFiles.MODEL + " without retraining ("
                        + Reevaluation.why(done2.record().provenance(), c, test.sha256()) + ")");
                return Reevaluation.of(folder, c, test, Seeds.of(c.seed()).eval()).write(runsDir);
            }
            out.println(tag + ": trained earlier, but its evaluation changed ("
                    + Reevaluation.why(done2.record().provenance(), c, test.sha256()) + ") and " + folder.getFileName()
                    + " has no " + RunFiles.MODEL + " to re-evaluate (model files are not committed); retraining");
        }
        Outcome r = runOne(c, key, ctx, tag);
        Path stored = RunFiles.write(runsDir, r.record, r.posterior, r.model,
                r.samples == null ? Map.of() : Map.of(RunFiles.SAMPLES, r.samples::writePng));
        out.println(tag + (r.record.failed() ? ": failed; recorded in " : ": trained; stored in ") + stored);
        // The report is rendered from the stored record (steps.csv keeps 7 digits), so a later re-render from
        // the run store gives the same report byte for byte.
        return RunFiles.readIfCurrent(runsDir, c, key).orElse(r.record);
    }

    /**
     * A first line for the discussion when rows rest on different numbers of finished seeds, so that no headline
     * compares them silently; empty when every row has all its seeds.
     */
    static String unequalSeedsWarning(List<RunRecord> all) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // label -> {finished, planned}
        for (RunRecord r : all) {
            int[] n = counts.computeIfAbsent(r.config().label(), k -> new int[2]);
            n[1]++;
            if (!r.failed()) n[0]++;
        }
        List<String> short_ = new ArrayList<>();
        counts.forEach((label, n) -> {
            if (n[0] < n[1]) short_.add(label + " (" + n[0] + " of " + n[1] + ")");
        });
        if (short_.isEmpty()) return "";
        return "- **Caution: not every run finished**, so rows rest on different numbers of seeds: "
                + String.join(", ", short_) + ". Comparisons below that involve these rows use fewer seeds than the "
                + "others; the failed runs are listed under Results.\n";
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
        Path runsDir = ReportFolder.of(Path.of(overrides.reportsDir()), experiment, overrides).dir().resolve("runs");
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
                Path folder = runsDir.resolve(RunFiles.folderName(c, ctx.runKey(c)));
                out.println(tag + (RunFiles.check(folder, c) instanceof RunCheck.Damaged d
                        ? ": the recorded run " + folder + " is damaged: " + String.join("; ", d.problems())
                        : ": no recorded run under " + runsDir + " to compare with"));
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
        final Map<String, String> hardware = withProducts(SystemInfo.hardware());
        final String code = CodeVersion.sha256();
        private static Map<String, String> withProducts(Map<String, String> hardware) {
            Map<String, String> h = new java.util.LinkedHashMap<>(hardware);
            h.put("products", NativeMlpEngine.productThreading());
            return h;
        }

        /** Whether the warning about reused runs of other code was printed (once per invocation is enough). */
        boolean warnedCode;
        /**
         * Whether this process is one of several workers of a launch: the processes it meets in the store are then
         * mostly its siblings, whose own lines say what they train, so it does not say that it skips or reuses them.
         */
        boolean siblings;
        /** For a variant, the canonical plan's run store, whose trained runs it may copy; else null. */
        Path canonicalRuns;

        ImageDataset[] data(DataConfig d) {
            return data.computeIfAbsent(d, ExperimentRunner::load);
        }

        /**
         * The run's train key ({@link Json#trainKey}): its folder in the store and what reuse compares. Called for
         * every run of the plan before anything trains, so it also checks that the data fit the model: a user's data
         * set of the wrong D fails here, naming the file, rather than inside the first run.
         */
        String runKey(RunConfig c) {
            ImageDataset[] d = data(c.data());
            String who = "experiment " + c.experiment() + " (arm " + c.label() + ")";
            DataSources.requireDimension(c.data().dataset(), Split.TRAIN, d[0], c.model().inputDim(), who);
            DataSources.requireDimension(c.data().dataset(), Split.TEST, d[1], c.model().inputDim(), who);
            return Json.trainKey(c, d[0].sha256());
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
            Trainer.Result trained = trainer.train(c, train, new ConsoleProgress(out, tag), curveCheckpoint(c, test));
            long e0 = System.nanoTime();
            TestSetEvaluator.Evaluation eval;
            ModelParameters model;
            ImageGrid samples;
            try (var vae = trained.model()) {
                Reevaluation.Evaluated evaluated = Reevaluation.evaluate(vae, c, test, Seeds.of(c.seed()).eval());
                eval = evaluated.eval();
                samples = evaluated.samples();
                model = vae.snapshot();
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

    /** Test images a {@link TestCurve} is measured on: the first of the test set, in its file's order. */
    public static final int CURVE_IMAGES = 1000;

    /**
     * The run's test-curve evaluation, or null when its config asks for none: the IW-NLL at K =
     * {@value IwNll#REPORT_K} of the first {@value #CURVE_IMAGES} test images (binarised as the final evaluation
     * binarises them), with the run's evaluation seed at every point, so that the points differ by the model only
     * (common random numbers).
     */
    private static Trainer.Checkpoint curveCheckpoint(RunConfig c, ImageDataset test) {
        if (c.train().curveEvery() == 0) return null;
        ImageDataset targets = c.data().binarization() == Binarization.NONE ? test
                : Binarization.STATIC.prepare(test, Binarization.STATIC_SEED);
        ImageDataset images = targets.n() > CURVE_IMAGES ? DataSources.subset(targets, CURVE_IMAGES) : targets;
        long seed = Seeds.of(c.seed()).eval();
        return (epochs, steps, model) -> {
            IwNll.Result r = IwNll.of(model, images, IwNll.REPORT_K, seed);
            return new TestCurve.Point(epochs, steps, r.nll(), r.standardError(), r.elbo());
        };
    }

    private static ImageDataset[] load(DataConfig d) {
        ImageDataset train = DataSources.byName(d.dataset(), Split.TRAIN);
        ImageDataset test = DataSources.byName(d.dataset(), Split.TEST);
        // A limit above the size takes everything: a user's data set (-Dvaelab.dataset) may be smaller than the limits
        // an experiment declares for its own data.
        if (d.trainLimit() > 0) train = DataSources.subset(train, Math.min(d.trainLimit(), train.n()));
        if (d.testLimit() > 0) test = DataSources.subset(test, Math.min(d.testLimit(), test.n()));
        return new ImageDataset[] {train, test};
    }
}
