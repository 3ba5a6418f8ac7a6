package org.vaelab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vaelab.data.ImageDataset;
import org.vaelab.export.ModelExport;
import org.vaelab.metrics.GroundTruth;
import org.vaelab.metrics.MetricSet;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.model.Likelihood;
import org.vaelab.model.ModelParameters;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.model.VaeModel;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.report.ImageGrid;
import org.vaelab.report.RunFiles;
import org.vaelab.report.RunRecord;
import org.vaelab.train.RunConfig;

/**
 * Re-evaluates a finished run from its saved model ({@value RunFiles#MODEL}) instead of retraining it, when only its
 * evaluation changed: an evaluation-only field ({@link Json#EVALUATION_FIELDS}, e.g. {@code -DiwK}), the test data,
 * or {@link NumericsVersion#EVALUATION} (a new or changed metric). Its train key, and so its folder, stay the same.
 *
 * <p>The new record keeps everything of training from the old one (train key, step log, KL trace, code hash, git
 * commit, versions, hardware, start time, training time) and replaces what evaluation produced: config (with the new
 * evaluation fields), config SHA-256, eval key, {@code numericsVersion.evaluation}, the test data's checksum, metrics,
 * posterior, samples, end time and evaluation time. Self-contained so that the runner's loop only has to call
 * {@link #needed} and {@link #of}.
 */
public final class Reevaluation {

    /** A re-evaluated run: the record and files to write over the run's folder. */
    public record Outcome(RunRecord record, Posterior posterior, ModelParameters model, ImageGrid samples) {

        /**
         * Writes the run's folder anew (atomically, {@link RunFiles#write}) and returns the record as stored, which is
         * what reports are rendered from.
         */
        public RunRecord write(Path runsDir) throws IOException {
            RunFiles.write(runsDir, record, posterior, model, Map.of(RunFiles.SAMPLES, samples::writePng));
            return RunFiles.readIfCurrent(runsDir, record.config(), record.provenance().runKey()).orElse(record);
        }
    }

    private Reevaluation() {
    }

    /** Whether a reused run must be re-evaluated: it finished (it has a model) and its eval key is not the wanted one. */
    public static boolean needed(RunRecord reused, String wantedEvalKey) {
        return !reused.failed() && !wantedEvalKey.equals(reused.provenance().evalKey());
    }

    /**
     * What changed in the evaluation, for the console: the evaluation fields that differ (e.g.
     * {@code iwSamples 0 → 5000}), the evaluation version, the test data; or that the record predates eval keys.
     */
    @SuppressWarnings("unchecked")
    public static String why(Provenance recorded, RunConfig wanted, String testDataSha256) {
        List<String> changes = new ArrayList<>();
        Map<String, Object> now = Json.evaluationConfig(wanted);
        for (var e : now.entrySet()) {
            Object node = recorded.config();
            for (String part : e.getKey().split("\\.")) node = node instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(part) : null;
            if (!Objects.equals(String.valueOf(node), String.valueOf(e.getValue())))
                changes.add(e.getKey() + " " + node + " → " + e.getValue());
        }
        Integer was = recorded.numericsVersion() == null ? null : recorded.numericsVersion().get("evaluation");
        if (!Objects.equals(was, NumericsVersion.EVALUATION))
            changes.add("evaluation version " + was + " → " + NumericsVersion.EVALUATION);
        if (recorded.dataSha256() != null && !recorded.dataSha256().containsValue(testDataSha256)) changes.add("test data");
        if (recorded.evalKey() == null) changes.add("no eval key recorded");
        return changes.isEmpty() ? "evaluation changed" : String.join(", ", changes);
    }

    /**
     * Reads the run in {@code runFolder} (its provenance and {@value RunFiles#MODEL}), evaluates the model on
     * {@code test} as the runner does after training, and returns the new record with its files; nothing is written.
     *
     * @param runFolder the run's folder in the store, {@code <runsDir>/<run-id>-<train key>}
     * @param config    the wanted configuration: its training part must equal the recorded one
     * @param test      the test data of {@code config}
     * @param evalSeed  the run's evaluation seed ({@code Seeds.of(seed).eval()})
     * @throws IOException              if the folder holds no finished run with a model file (train it instead), or the
     *                                  model file is unreadable
     * @throws IllegalArgumentException if the recorded run was trained with another configuration
     */
    public static Outcome of(Path runFolder, RunConfig config, ImageDataset test, long evalSeed) throws IOException {
        Path provFile = runFolder.resolve(RunFiles.PROVENANCE);
        if (!Files.isRegularFile(provFile) || !Files.isRegularFile(runFolder.resolve(RunFiles.MODEL)))
            throw new IOException(runFolder + " holds no finished run with " + RunFiles.MODEL + " to re-evaluate; train it");
        Provenance old = Json.MAPPER.readValue(provFile.toFile(), Provenance.class);
        if (!Json.canonicalTrainingConfig(old.config()).equals(Json.canonicalTrainingConfig(Json.configTree(config))))
            throw new IllegalArgumentException(runFolder + " was trained with another configuration than run "
                    + config.runId() + " (recorded " + old.config() + "); re-evaluation needs the same training config");
        if (!runFolder.getFileName().toString().equals(RunFiles.folderName(config, old.runKey())))
            throw new IllegalArgumentException(runFolder + " is not the folder of run " + config.runId() + " with train key "
                    + old.runKey() + " (expected " + RunFiles.folderName(config, old.runKey()) + ")");
        RunRecord recorded = RunFiles.readIfCurrent(runFolder.getParent(), config, old.runKey())
                .orElseThrow(() -> new IOException(runFolder + " holds an unreadable or incomplete record; train it"));
        if (recorded.failed())
            throw new IllegalArgumentException(runFolder + " is a failed run (" + recorded.failure() + "); nothing to evaluate");

        ModelParameters model = ModelExport.readNpz(runFolder.resolve(RunFiles.MODEL), recordedArchitecture(config, old));
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Evaluated evaluated;
        // Same engine class and batch size as training, so evaluation runs in the same chunks: the numbers equal
        // those the run would have got had it been evaluated so right after training.
        try (NativeMlpEngine engine = NativeMlpEngine.fromParameters(model, config.train().batchSize())) {
            evaluated = evaluate(engine, config, test, evalSeed);
        }
        TestSetEvaluator.Evaluation eval = evaluated.eval();
        ImageGrid samples = evaluated.samples();
        double evalSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Integer> numerics = new LinkedHashMap<>(old.numericsVersion() == null
                ? NumericsVersion.training() : old.numericsVersion());
        numerics.putAll(NumericsVersion.evaluation());
        Provenance p = new Provenance(old.runId(), Json.configTree(config), Json.configSha256(config), old.runKey(),
                old.codeSha256(), old.seed(), old.gitCommit(), old.gitDirty(), old.versions(), old.hardware(),
                withTestData(old.dataSha256(), test), old.startTime(),
                start.plusNanos(System.nanoTime() - t0).truncatedTo(ChronoUnit.SECONDS).toString(), old.trainSeconds(),
                evalSeconds, ModelExport.describe(model.architecture()),
                Json.evalKey(config, old.runKey(), test.sha256()), numerics);
        return new Outcome(new RunRecord(config, p, eval.metrics(), recorded.steps(), null), eval.posterior(), model,
                samples);
    }

    /** A model's test-set metrics and its sample images. */
    record Evaluated(TestSetEvaluator.Evaluation eval, ImageGrid samples) {
    }

    /**
     * Evaluates a model as every run is evaluated, right after training or when re-evaluated from its file: the
     * standard metrics with the run's K and the data set's ground truth, then the sample images. One place, so that a
     * re-evaluation can never drift from what training would have recorded.
     */
    static Evaluated evaluate(VaeModel model, RunConfig config, ImageDataset test, long evalSeed) {
        TestSetEvaluator.Evaluation eval = TestSetEvaluator.evaluate(model, test,
                GroundTruth.ofTestSet(config.data().dataset(), test), config.data().binarization(), evalSeed,
                MetricSet.standard(config.iwSamples()));
        ImageGrid samples = SampleImages.of(config.label() + ", seed " + config.seed(), model, test, eval.posterior(),
                evalSeed);
        return new Evaluated(eval, samples);
    }

    /**
     * The configured architecture with the Gaussian σ recorded in provenance (the σ-VAE calibrates it in training):
     * the model file holds it only as float32, and evaluating with a rounded σ would move Rec and the ELBO.
     */
    private static VaeArchitecture recordedArchitecture(RunConfig config, Provenance old) {
        VaeArchitecture a = config.model();
        if (a.likelihood() != Likelihood.GAUSSIAN || old.model() == null || !(old.model().get("sigma") instanceof Number s))
            return a;
        return new VaeArchitecture(a.inputDim(), a.encoderHidden(), a.latentDim(), a.decoderHidden(), a.activation(),
                a.likelihood(), s.doubleValue());
    }

    /**
     * The recorded data checksums with the test set's entry replaced: entries are keyed by data set name, and a
     * subset's name is its source's plus {@code [:n]} ({@code DataSources.subset}), so the old test entry is the one
     * with the test set's base name.
     */
    private static Map<String, String> withTestData(Map<String, String> recorded, ImageDataset test) {
        String base = test.name().replaceFirst("\\[:\\d+]$", "");
        Map<String, String> out = new LinkedHashMap<>();
        if (recorded != null) recorded.forEach((k, v) -> {
            if (!k.equals(base) && !k.startsWith(base + "[:")) out.put(k, v);
        });
        out.put(test.name(), test.sha256());
        return out;
    }
}
