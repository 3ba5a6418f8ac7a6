package org.vaelab.provenance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.Seeds;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;
import org.vaelab.weighting.ConstantBeta;

/**
 * The golden run: a tiny deterministic run (500 training and 200 test digits, 784-32-4, 2 epochs, β = 1, seed 1)
 * whose numbers are recorded in {@value #FILE} with the {@link NumericsVersion} they were made with. It guards the
 * rule that a run's key changes exactly when its numbers can: if the code moves a number while the versions stay the
 * same, finished runs would be reused with stale numbers, so this test fails.
 *
 * <ul>
 *   <li>Versions equal to the recorded ones, a number differs beyond relative {@value #TOLERANCE}: the test fails
 *       naming each changed number. If the change is intended, bump the {@link NumericsVersion} constant of the
 *       component you changed (training numbers {@code train/...} moved: {@code DATA}, {@code MODEL}, {@code TRAIN}
 *       or {@code WEIGHTING}; only test metrics moved: {@code EVALUATION}), add a changelog line there, and
 *       re-record. If it is not intended, your change altered the numerics: find out why.</li>
 *   <li>Versions differ from the recorded ones (someone bumped one): the test fails until the file is re-recorded.</li>
 * </ul>
 *
 * <p>To re-record (rewrites {@value #FILE}; commit it with the bump):
 * <pre>
 * mvn -q -o -B test -Dtest=GoldenRunTest -Dvaelab.recordGolden=true
 * </pre>
 *
 * <p>The numbers are bit-identical on one machine kind; another CPU or BLAS kernel (the file records the CPU and
 * {@code OPENBLAS_CORETYPE}) may differ by float rounding, which after two epochs can exceed the tolerance. Values
 * below {@value #FLOOR} in magnitude (e.g. the KL of a collapsed dimension) are compared against {@value #FLOOR}.
 */
class GoldenRunTest {

    static final String FILE = "src/test/resources/golden/tiny-run.csv";
    static final double TOLERANCE = 1e-5;
    static final double FLOOR = 1e-3;
    static final String RECORD = "vaelab.recordGolden";
    static final String COMMAND = "mvn -q -o -B test -Dtest=GoldenRunTest -D" + RECORD + "=true";

    static RunConfig config() {
        return new RunConfig("golden", "β=1", "", new DataConfig("mnist-digits", Binarization.DYNAMIC, 500, 200),
                VaeArchitecture.bernoulli(784, List.of(32), 4, Activation.RELU), new ConstantBeta(1),
                new TrainConfig(2, 50, 1e-3), 1);
    }

    /** The run's numbers, by name: training sums of the step log, then the test metrics. */
    static Map<String, Double> numbers() {
        RunConfig c = config();
        ImageDataset train = DataSources.subset(DataSources.byName("mnist-digits", Split.TRAIN), c.data().trainLimit());
        ImageDataset test = DataSources.subset(DataSources.byName("mnist-digits", Split.TEST), c.data().testLimit());
        Map<String, Double> out = new LinkedHashMap<>();
        Trainer.Result r = new Trainer().train(c, train, null);
        try (var engine = r.model()) {
            // Training numbers, so that a failure tells a training change from an evaluation change.
            double rec = 0, kl = 0;
            for (double v : r.steps().rec()) rec += v;
            for (double v : r.steps().kl()) kl += v;
            out.put("train/rec_sum", rec);
            out.put("train/kl_sum", kl);
            out.put("train/last_rec", r.steps().rec()[r.steps().size() - 1]);
            var eval = TestSetEvaluator.evaluate(engine, test, c.data().binarization(), Seeds.of(c.seed()).eval());
            for (MetricId id : List.of(MetricId.ELBO, MetricId.REC, MetricId.KL, MetricId.ACTIVE_UNITS, MetricId.MI,
                    MetricId.MSE, MetricId.BCE))
                out.put(id.key(), eval.metrics().get(id));
            for (int j = 0; j < c.model().latentDim(); j++)
                out.put(MetricId.klOfDim(j).key(), eval.metrics().get(MetricId.klOfDim(j)));
        }
        return out;
    }

    @Test
    void theTinyRunGivesTheRecordedNumbers() throws IOException {
        Path file = Path.of(FILE);
        Map<String, Double> now = numbers();
        if (Boolean.getBoolean(RECORD)) {
            write(file, now);
            System.out.println("GoldenRunTest: recorded " + file.toAbsolutePath() + " with NumericsVersion "
                    + NumericsVersion.all() + "; commit it");
            return;
        }
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is missing; record it with: " + COMMAND);
        Golden golden = read(file);
        if (!golden.versions.equals(NumericsVersion.all()))
            fail("NumericsVersion is " + NumericsVersion.all() + " but " + FILE + " was recorded with " + golden.versions
                    + ". After a deliberate bump, re-record the golden run and commit the file: " + COMMAND);
        List<String> changed = new ArrayList<>();
        boolean training = false;
        for (var e : golden.numbers.entrySet()) {
            Double v = now.get(e.getKey());
            double was = e.getValue();
            double rel = v == null ? Double.POSITIVE_INFINITY : Math.abs(v - was) / Math.max(Math.abs(was), FLOOR);
            if (v == null || !(rel <= TOLERANCE)) {
                changed.add(String.format(Locale.ROOT, "  %-18s recorded %.10g, now %s (relative %.2e)", e.getKey(), was,
                        v == null ? "absent" : String.format(Locale.ROOT, "%.10g", v), rel));
                training |= e.getKey().startsWith("train/");
            }
        }
        for (String k : now.keySet())
            if (!golden.numbers.containsKey(k)) changed.add("  " + k + " is new (not in the file)");
        if (!changed.isEmpty())
            fail("The golden run's numbers changed while NumericsVersion stayed " + NumericsVersion.all() + ":\n"
                    + String.join("\n", changed) + "\n"
                    + (training ? "Training numbers moved: if intended, bump NumericsVersion.DATA, MODEL, TRAIN or"
                            + " WEIGHTING (whichever you changed); every run will retrain."
                            : "Only test metrics moved: if intended, bump NumericsVersion.EVALUATION; runs will be"
                            + " re-evaluated from their models, not retrained.")
                    + " Add a changelog line in NumericsVersion, then re-record: " + COMMAND + "\n"
                    + "If not intended, your change altered the numerics. (Recorded on " + golden.machine
                    + "; on another CPU or BLAS kernel float rounding can differ.)");
    }

    private record Golden(Map<String, Integer> versions, Map<String, Double> numbers, String machine) {
    }

    private static void write(Path file, Map<String, Double> numbers) throws IOException {
        var hw = SystemInfo.hardware();
        StringBuilder sb = new StringBuilder();
        sb.append("# Golden run of GoldenRunTest: ").append(Json.MAPPER.writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Json.configTree(config()))).append('\n');
        sb.append("# machine: ").append(hw.getOrDefault("cpu", "?")).append(", OPENBLAS_CORETYPE=")
                .append(hw.getOrDefault("OPENBLAS_CORETYPE", "unset")).append('\n');
        sb.append("# re-record (after bumping NumericsVersion): ").append(COMMAND).append('\n');
        sb.append("kind,name,value\n");
        NumericsVersion.all().forEach((k, v) -> sb.append("version,").append(k).append(',').append(v).append('\n'));
        // Double.toString is the shortest string that reads back to the same double.
        numbers.forEach((k, v) -> sb.append("number,").append(k).append(',').append(v).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString());
    }

    private static Golden read(Path file) throws IOException {
        Map<String, Integer> versions = new LinkedHashMap<>();
        Map<String, Double> numbers = new LinkedHashMap<>();
        String machine = "an unrecorded machine";
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# machine: ")) machine = line.substring("# machine: ".length());
            if (line.isBlank() || line.startsWith("#") || line.equals("kind,name,value")) continue;
            String[] f = line.split(",");
            if (f.length != 3) throw new IOException(file + ": bad line '" + line + "'; re-record with " + COMMAND);
            switch (f[0]) {
                case "version" -> versions.put(f[1], Integer.parseInt(f[2]));
                case "number" -> numbers.put(f[1], Double.parseDouble(f[2]));
                default -> throw new IOException(file + ": unknown kind '" + f[0] + "'; re-record with " + COMMAND);
            }
        }
        return new Golden(versions, numbers, machine);
    }
}
