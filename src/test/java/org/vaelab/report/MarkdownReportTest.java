package org.vaelab.report;

import org.vaelab.loss.TraceKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.Json;
import org.vaelab.provenance.NumericsVersion;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.ConstantBeta;

class MarkdownReportTest {

    private static RunRecord finished(double beta, int seed) {
        RunConfig c = new RunConfig("tiny", "β=" + beta, "β sweep", new DataConfig("mnist-digits", Binarization.DYNAMIC, 0, 0),
                VaeArchitecture.bernoulli(4, List.of(3), 2, Activation.RELU), new ConstantBeta(beta),
                new TrainConfig(1, 2, 1e-3), seed);
        StepLog.Builder b = new StepLog.Builder();
        for (int t = 0; t < 4; t++) {
            b.add(t, 0, 4 - 0.25 * t, 0.5 + 0.125 * t, Map.of(TraceKey.BETA, beta));
            b.klPerDim(t, new double[] {0.25 * t * beta, 0.125});
        }
        Map<MetricId, Double> m = SyntheticRuns.reportedMetrics(-3.5 - beta, 3 + beta);
        String key = Json.trainKey(c, "data");
        Provenance p = new Provenance(RunFiles.folderName(c, key), Json.configTree(c), Json.configSha256(c), key, "code",
                seed, "abc", false, Map.of(), Map.of(), Map.of(), "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 1, 1, null,
                Json.evalKey(c, key, "data"), NumericsVersion.all());
        return new RunRecord(c, p, m, b.build(), null);
    }

    /** report.md, results.tex, the index and the figures are readable by all, as a web server or a colleague needs. */
    @Test
    void reportFilesAreReadableByAll(@TempDir Path root) throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path dir = root.resolve("tiny");
        Path report = MarkdownReport.write(dir, new ReportSpec("tiny", "a test", "Does it render?", "", "mvn ..."),
                List.of(finished(1, 1), finished(1, 2), finished(2, 1), finished(2, 2)));
        assertEquals(dir.resolve("report.md"), report);
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : List.of(report, dir.resolve("results.tex"), root.resolve("README.md")))
            assertTrue(files.contains(f), f + " written");
        for (Path f : files)
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        for (Path d : List.of(dir, dir.resolve("figures")))
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), d.toString());
    }

    /** Every heat map of a report shares one colour scale (the 99.5th percentile of all their values), and says so. */
    @Test
    void heatMapsShareOneColourScale(@TempDir Path root) throws IOException {
        Path dir = root.resolve("tiny");
        MarkdownReport.write(dir, new ReportSpec("tiny", "a test", "Does it render?", "", "mvn ..."),
                List.of(finished(1, 1), finished(2, 1)));
        // β=1's trace reaches 0.75 nats, β=2's 1.5: both maps run from 0 to 1.5.
        for (String run : List.of("beta-1.0-seed1", "beta-2.0-seed1")) {
            String svg = Files.readString(dir.resolve("figures/kl-during-training-" + run + ".svg"));
            assertTrue(svg.contains("One colour scale, 0–1.5 nats, for every heat map"), run + " states the shared scale");
        }
        assertTrue(Files.readString(dir.resolve("figures/kl-during-training-beta-1.0-seed1.svg"))
                .contains("largest: 0.75"), "and its own largest value");
    }

    /** The LaTeX caption says what the numbers are from: data, binarisation, model, optimiser, batch, epochs, seeds. */
    @Test
    void latexCaptionStatesTheSetup(@TempDir Path root) throws IOException {
        Path dir = root.resolve("tiny");
        MarkdownReport.write(dir, new ReportSpec("tiny", "a test", "Does it render?", "", "mvn ..."),
                List.of(finished(1, 1), finished(1, 2), finished(2, 1), finished(2, 2)));
        String tex = Files.readString(dir.resolve("results.tex"));
        String caption = tex.substring(tex.indexOf("\\caption{"), tex.indexOf("\\label{"));
        for (String part : List.of("Data: mnist-digits, dynamically binarised", "Model: MLP VAE 4-3-2 relu, Bernoulli decoder",
                "Adam, learning rate 0.001", "batch $B = 2$", "1 epoch.", "over 2 seeds ($N$)"))
            assertTrue(caption.contains(part), "caption lacks '" + part + "': " + caption);
        assertTrue(!tex.contains("\\_"), tex);
    }

    /** The experiment may leave configurations out of the figures; the table keeps them and the report says so. */
    @Test
    void figuresDrawOnlyTheChosenConfigurations(@TempDir Path root) throws IOException {
        Path dir = root.resolve("tiny");
        Path report = MarkdownReport.write(dir, new ReportSpec("tiny", "a test", "Does it render?", "", "mvn ...",
                label -> !label.startsWith("β=2")), List.of(finished(1, 1), finished(2, 1)));
        assertTrue(Files.exists(dir.resolve("figures/kl-during-training-beta-1.0-seed1.png")));
        assertTrue(!Files.exists(dir.resolve("figures/kl-during-training-beta-2.0-seed1.png")), "β=2 not drawn");
        String md = Files.readString(report);
        assertTrue(md.contains("The figures draw 1 of the 2 configurations"), md);
        assertTrue(md.contains("| β=2"), "the table keeps β=2");
        assertTrue(!md.contains("samples of β=2"), "no samples of a configuration the figures leave out");
    }
}
