package org.vaelab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.ExperimentRegistry;
import org.vaelab.experiment.Overrides;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;

/**
 * Re-renders a committed report from its stored runs into another folder, to look at its figures without
 * touching {@code reports/}. Reads each run's files directly, without {@link RunFiles#check}: runs committed before
 * manifests existed have no {@code manifest.sha256}, which the check calls damage. For looking only.
 *
 * <p>{@code java -cp target/classes:target/test-classes:<deps> org.vaelab.report.RenderReport
 * weighting-shootout reports/weighting-shootout/runs /tmp/render-shootout}: writes
 * {@code /tmp/render-shootout/weighting-shootout/report.md}, its figures and {@code results.tex}.
 */
public final class RenderReport {

    private RenderReport() {
    }

    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "weighting-shootout";
        Path runsDir = Path.of(args.length > 1 ? args[1] : "reports/" + name + "/runs");
        Path out = Path.of(args.length > 2 ? args[2] : "/tmp/render-shootout").resolve(name);
        Experiment e = ExperimentRegistry.standard().get(name);
        List<RunRecord> runs = new ArrayList<>();
        for (RunConfig c : Overrides.none().runs(e)) {
            Path dir = latest(runsDir, c);
            if (dir == null) {
                System.out.println("no stored run for " + c.runId() + "; left out");
                continue;
            }
            Provenance p = Json.MAPPER.readValue(dir.resolve(RunFiles.PROVENANCE).toFile(), Provenance.class);
            if (!p.configSha256().equals(Json.configSha256(c)))
                System.out.println(dir.getFileName() + ": stored config differs from this plan's (older code); drawn anyway");
            Map<MetricId, Double> metrics = RunCsv.readMetrics(dir.resolve(RunFiles.METRICS));
            Path failure = dir.resolve(RunFiles.FAILURE);
            StepLog steps = Files.isRegularFile(dir.resolve(RunFiles.STEPS)) ? RunCsv.readSteps(dir.resolve(RunFiles.STEPS)) : null;
            if (steps != null && Files.isRegularFile(dir.resolve(RunFiles.KL_PER_DIM))) {
                KlTrace trace = RunCsv.readKlTrace(dir.resolve(RunFiles.KL_PER_DIM));
                steps = steps.withKlTrace(trace);
            }
            runs.add(new RunRecord(c, p, metrics, steps,
                    Files.isRegularFile(failure) ? Files.readString(failure).strip() : null));
        }
        List<RunRecord> finished = runs.stream().filter(r -> !r.failed()).toList();
        ReportSpec spec = new ReportSpec(e.name(), e.summary(), e.question(), finished.isEmpty() ? "" : e.discussion(finished),
                "mvn -q compile exec:java -Dexperiment=" + name);
        System.out.println(MarkdownReport.write(out, spec, runs));
    }

    /** The newest folder of the run {@code c} (its run id, then a key), or null. */
    private static Path latest(Path runsDir, RunConfig c) throws IOException {
        try (Stream<Path> s = Files.list(runsDir)) {
            return s.filter(d -> d.getFileName().toString().startsWith(c.runId() + "-"))
                    .filter(d -> Files.isRegularFile(d.resolve(RunFiles.PROVENANCE)))
                    .max(Comparator.comparing(d -> d.resolve(RunFiles.PROVENANCE).toFile().lastModified()))
                    .orElse(null);
        }
    }
}
