package org.vaelab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TestCurve;

/** How {@link RunFiles#check} inspects a run folder: every file against the manifest, then each one parsed. */
final class RunInspection {

    private RunInspection() {
    }

    /** Checks a run folder against its manifest and reads it back; see {@link RunFiles#check}. */
    static RunCheck of(Path dir, String expectedName, RunConfig config) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return new RunCheck.Absent();
        if (!Files.isDirectory(dir)) return new RunCheck.Damaged(List.of(dir.getFileName() + " is not a folder"));
        Path manifestFile = dir.resolve(RunFiles.MANIFEST);
        if (!Files.isRegularFile(manifestFile))
            return new RunCheck.Damaged(List.of("no " + RunFiles.MANIFEST + " (written by an older vaelab)"));
        List<String> problems = new ArrayList<>();
        Map<String, String> listed = RunManifest.read(manifestFile, problems);
        for (var e : listed.entrySet()) {
            String file = e.getKey();
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                if (!RunFiles.LOCAL.contains(file)) problems.add(file + " is listed in " + RunFiles.MANIFEST + " but missing");
                continue;
            }
            try {
                String actual = RunManifest.sha256(p);
                if (!actual.equals(e.getValue()))
                    problems.add(file + " was modified since the run finished (SHA-256 " + actual.substring(0, 12)
                            + "… instead of " + e.getValue().substring(0, 12) + "…)");
            } catch (IOException ex) {
                problems.add(file + " cannot be read: " + FileErrors.explain("read", p, ex).getMessage());
            }
        }
        for (String file : RunFiles.RUN_FILES)
            if (!listed.containsKey(file) && Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS))
                problems.add(file + " is not listed in " + RunFiles.MANIFEST + " (added after the run finished?)");
        boolean failed = listed.containsKey(RunFiles.FAILURE);
        for (String file : failed ? List.of(RunFiles.PROVENANCE, RunFiles.METRICS, RunFiles.FAILURE) : List.of(RunFiles.PROVENANCE, RunFiles.METRICS, RunFiles.STEPS, RunFiles.SAMPLES))
            if (!listed.containsKey(file) && !Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS))
                problems.add(file + " is missing: every " + (failed ? "failed" : "finished") + " run has one");

        Provenance provenance = parse(dir, RunFiles.PROVENANCE, problems,
                f -> Json.MAPPER.readValue(f.toFile(), Provenance.class));
        if (provenance != null && !expectedName.equals(provenance.runId()))
            problems.add(RunFiles.PROVENANCE + " is the record of run " + provenance.runId() + ", not of " + expectedName);
        if (provenance != null && provenance.endTime() == null) problems.add(RunFiles.PROVENANCE + " has no endTime");
        Map<MetricId, Double> metrics = parse(dir, RunFiles.METRICS, problems, RunCsv::readMetrics);
        if (metrics != null && !failed) {
            List<String> lacking = new ArrayList<>();
            for (MetricId id : RunFiles.REPORTED_METRICS) if (!metrics.containsKey(id)) lacking.add(id.key());
            for (int j = 0; j < config.model().latentDim(); j++)
                if (!metrics.containsKey(MetricId.klOfDim(j))) lacking.add(MetricId.klOfDim(j).key());
            if (!lacking.isEmpty())
                problems.add(RunFiles.METRICS + " lacks " + String.join(", ", lacking) + ", which the report reads");
        }
        StepLog steps = parse(dir, RunFiles.STEPS, problems, RunCsv::readSteps);
        KlTrace trace = parse(dir, RunFiles.KL_PER_DIM, problems, RunCsv::readKlTrace);
        if (!failed && steps != null && steps.size() > 0 && !listed.containsKey(RunFiles.KL_PER_DIM)
                && !Files.exists(dir.resolve(RunFiles.KL_PER_DIM), LinkOption.NOFOLLOW_LINKS))
            problems.add(RunFiles.KL_PER_DIM + " is missing: training traces the KL of every dimension from its first step");
        TestCurve curve = parse(dir, RunFiles.CURVE, problems, RunCsv::readCurve);
        if (!failed && config.train().curveEvery() > 0 && !listed.containsKey(RunFiles.CURVE)
                && !Files.exists(dir.resolve(RunFiles.CURVE), LinkOption.NOFOLLOW_LINKS))
            problems.add(RunFiles.CURVE + " is missing: the run's config asks for a test curve every "
                    + config.train().curveEvery() + " epoch(s)");
        String failure = parse(dir, RunFiles.FAILURE, problems, f -> Files.readString(f).strip());
        if (failure != null && failure.isEmpty()) problems.add(RunFiles.FAILURE + " is empty: it should say why the run stopped");

        if (!problems.isEmpty()) return new RunCheck.Damaged(problems);
        if (steps != null && trace != null) steps = steps.withKlTrace(trace);
        if (steps != null && curve != null) steps = steps.withCurve(curve);
        RunRecord record = new RunRecord(config, provenance, metrics, steps, failure);
        return failed ? new RunCheck.Failed(record)
                : new RunCheck.Complete(record, Files.isRegularFile(dir.resolve(RunFiles.MODEL)),
                Files.isRegularFile(dir.resolve(RunFiles.POSTERIOR)));
    }

    /** Reads one file of a run with {@code reader}, or records why it cannot be read; null if absent or unreadable. */
    private static <T> T parse(Path dir, String file, List<String> problems, Reader<T> reader) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) return null;
        try {
            return reader.read(p);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            problems.add(file + " cannot be read: " + why);
            return null;
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(Path file) throws IOException;
    }
}
