package org.vaelab.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.Provenance;
import org.vaelab.provenance.SystemInfo;
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

    /** Runs the experiment and returns the path of its report. */
    public Path run(Experiment experiment, Overrides overrides) throws IOException {
        if (experiment.custom()) return experiment.runCustom(overrides, out);
        List<RunConfig> runs = overrides.runs(experiment);
        Path dir = Path.of(overrides.reportsDir(), experiment.name());
        Path runsDir = dir.resolve("runs");
        out.printf("vaelab: %s (%d runs) -> %s%n", experiment.name(), runs.size(), dir);
        out.printf("threads: OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %d cores%n", System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                Runtime.getRuntime().availableProcessors());

        String[] git = SystemInfo.git();
        Map<String, String> versions = SystemInfo.versions();
        Map<String, String> hardware = SystemInfo.hardware();
        Map<DataConfig, ImageDataset[]> data = new HashMap<>();
        List<RunRecord> records = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs.size(); i++) {
            RunConfig c = runs.get(i);
            String tag = String.format("[%d/%d] %s seed %d", i + 1, runs.size(), c.label(), c.seed());
            Optional<RunRecord> done = overrides.fresh() ? Optional.empty() : RunFiles.readIfCurrent(runsDir, c);
            if (done.isPresent()) {
                out.println(tag + ": finished earlier with the same config, reused (-Dfresh=true retrains)");
                records.add(done.get());
                continue;
            }
            ImageDataset[] trainTest = data.computeIfAbsent(c.data(), ExperimentRunner::load);
            Outcome r = runOne(c, trainTest[0], trainTest[1], tag, git, versions, hardware);
            RunFiles.write(runsDir, r.record, r.posterior);
            records.add(r.record);
        }
        List<RunRecord> finished = records.stream().filter(r -> !r.failed()).toList();
        String discussion = finished.isEmpty() ? "" : experiment.discussion(finished);
        String command = "mvn -q exec:java -Dexperiment=" + experiment.name() + overrides.asFlags();
        Path report = MarkdownReport.write(dir, new ReportSpec(experiment.name(), experiment.summary(),
                experiment.question(), discussion, command), records);
        out.printf("done in %s; %d of %d runs finished.%nreport: %s%n", ConsoleProgress.clock((System.nanoTime() - t0) / 1e9),
                finished.size(), records.size(), report);
        return report;
    }

    private record Outcome(RunRecord record, org.vaelab.model.Posterior posterior) {
    }

    private Outcome runOne(RunConfig c, ImageDataset train, ImageDataset test, String tag, String[] git,
                           Map<String, String> versions, Map<String, String> hardware) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> dataSha = new LinkedHashMap<>();
        dataSha.put(train.name(), train.sha256());
        dataSha.put(test.name(), test.sha256());
        Map<String, Object> tree = Json.configTree(c);
        String sha = Json.configSha256(c);
        try {
            Trainer.Result trained = trainer.train(c, train, new ConsoleProgress(out, tag));
            long e0 = System.nanoTime();
            TestSetEvaluator.Evaluation eval;
            try (var engine = trained.engine()) {
                eval = TestSetEvaluator.evaluate(engine, test, c.data().binarization(), Seeds.of(c.seed()).eval());
            }
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            Provenance p = new Provenance(c.runId(), tree, sha, c.seed(), git[0], Boolean.parseBoolean(git[1]), versions,
                    hardware, dataSha, start.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    trained.trainSeconds(), evalSeconds);
            return new Outcome(new RunRecord(c, p, eval.metrics(), trained.steps(), null), eval.posterior());
        } catch (DivergenceException d) {
            out.println(tag + ": " + d.getMessage() + " Recorded as failed; the sweep goes on.");
            Provenance p = new Provenance(c.runId(), tree, sha, c.seed(), git[0], Boolean.parseBoolean(git[1]), versions,
                    hardware, dataSha, start.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), 0, 0);
            return new Outcome(new RunRecord(c, p, Map.of(), null, d.getMessage()), null);
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
