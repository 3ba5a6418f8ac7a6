package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Binarization;
import org.vaelab.model.Activation;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;
import org.vaelab.weighting.ConstantBeta;

/** End to end on a tiny sweep: report, reuse, determinism, shards, interrupted writes and verification. */
class ExperimentRunnerTest {

    /**
     * Two arms (β = 1, 2) × two seeds of a small MLP VAE on the shipped digits. The default is tiny (300 images,
     * 1 epoch: a few seconds in all); process tests use a larger one so that a kill can land inside training.
     */
    static class Tiny implements Experiment {
        private final String name;
        private final int trainLimit, hidden, epochs;

        Tiny() {
            this("tiny", 300, 32, 1);
        }

        Tiny(String name, int trainLimit, int hidden, int epochs) {
            this.name = name;
            this.trainLimit = trainLimit;
            this.hidden = hidden;
            this.epochs = epochs;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return name + " sweep for tests";
        }

        @Override
        public String question() {
            return "Does the runner work?";
        }

        @Override
        public List<Arm> arms() {
            var data = new DataConfig("mnist-digits", Binarization.DYNAMIC, trainLimit, 100);
            var model = VaeArchitecture.bernoulli(784, List.of(hidden), 4, Activation.RELU);
            var train = new TrainConfig(epochs, 50, 1e-3);
            return List.of(new Arm("β=1", "β sweep", data, model, new ConstantBeta(1), train),
                    new Arm("β=2", "β sweep", data, model, new ConstantBeta(2), train));
        }
    }

    private static Overrides overrides(Path dir, String shard, boolean fresh) {
        return new Overrides(null, null, null, null, null, null, fresh, dir.toString(),
                shard == null ? null : Shard.parse(shard), false, null, 1e-6, null, null);
    }

    private static String run(Path dir, String shard, boolean fresh) throws IOException {
        var buf = new ByteArrayOutputStream();
        new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), new Trainer())
                .run(new Tiny(), overrides(dir, shard, fresh));
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** metrics.csv of every run folder, by folder name. */
    private static Map<String, String> metrics(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> runs = Files.list(dir.resolve("tiny/runs"))) {
            for (Path r : runs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) m.put(r.getFileName().toString(), Files.readString(r.resolve("metrics.csv")));
        }
        return m;
    }

    @Test
    void sweepReuseDeterminismAndVerification(@TempDir Path a, @TempDir Path b) throws IOException {
        String first = run(a, null, false);
        assertTrue(Files.isRegularFile(a.resolve("tiny/report.md")), first);
        Map<String, String> runsA = metrics(a);
        assertEquals(4, runsA.size());

        String again = run(a, null, false);
        assertEquals(4, again.lines().filter(l -> l.contains("reused")).count(), again);
        assertEquals(runsA, metrics(a));

        // The same runs in another folder give identical numbers (same machine).
        run(b, null, false);
        assertEquals(runsA, metrics(b));

        // Verification re-runs and agrees; a tampered number is caught: its run no longer matches its manifest, so
        // there is no trustworthy record to compare with.
        var out = new ByteArrayOutputStream();
        var runner = new ExperimentRunner(new PrintStream(out, true, StandardCharsets.UTF_8), new Trainer());
        assertEquals(0, runner.verify(new Tiny(), overrides(a, null, false)), out.toString(StandardCharsets.UTF_8));
        Path victim;
        try (Stream<Path> runs = Files.list(a.resolve("tiny/runs"))) {
            victim = runs.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow().resolve("metrics.csv");
        }
        String text = Files.readString(victim);
        String elboLine = text.lines().filter(l -> l.startsWith("model/elbo,")).findFirst().orElseThrow();
        Files.writeString(victim, text.replace(elboLine, "model/elbo,-1.0"));
        var out2 = new ByteArrayOutputStream();
        var runner2 = new ExperimentRunner(new PrintStream(out2, true, StandardCharsets.UTF_8), new Trainer());
        assertEquals(1, runner2.verify(new Tiny(), overrides(a, null, false)));
        assertTrue(out2.toString(StandardCharsets.UTF_8).contains("verify: 3 of 4 runs reproduce"),
                out2.toString(StandardCharsets.UTF_8));
        assertEquals(3, run(a, null, false).lines().filter(l -> l.contains("reused")).count(), "the tampered run is retrained");
    }

    @Test
    void shardsSplitTheRunsAndTheGatherStepReusesThem(@TempDir Path dir) throws IOException {
        String s1 = run(dir, "1/2", false);
        assertTrue(s1.contains("2 of 4 runs of the plan"), s1);
        assertFalse(Files.exists(dir.resolve("tiny/report.md")), "no report before every shard has finished");
        String s2 = run(dir, "2/2", false);
        assertTrue(Files.isRegularFile(dir.resolve("tiny/report.md")), "the shard that completes the plan writes the report:\n" + s2);
        String gather = run(dir, null, false);
        assertEquals(4, gather.lines().filter(l -> l.contains("reused")).count(), gather);
        assertTrue(Files.isRegularFile(dir.resolve("tiny/report.md")));
    }

    @Test
    void interruptedWritesAreNeverTakenAsFinished(@TempDir Path dir) throws IOException {
        run(dir, null, false);
        Path runs = dir.resolve("tiny/runs");
        Path one;
        try (Stream<Path> s = Files.list(runs)) {
            one = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
        }
        // A kill -9 mid-write leaves a hidden partial folder; a lost provenance.json means unfinished.
        Files.createDirectories(runs.resolve("." + one.getFileName() + ".partial-123"));
        Files.delete(one.resolve("provenance.json"));
        String resumed = run(dir, null, false);
        assertEquals(3, resumed.lines().filter(l -> l.contains("reused")).count(), resumed);
        assertTrue(Files.isRegularFile(one.resolve("provenance.json")), "the unfinished run was trained again");
        assertTrue(Files.isDirectory(runs.resolve("." + one.getFileName() + ".partial-123")),
                "nothing is deleted unless -Dprune=true asks for it");
        assertTrue(resumed.contains("not in this plan"), resumed);
        var props = new java.util.Properties();
        props.setProperty("vaelab.reports", dir.toString());
        props.setProperty("prune", "true");
        var buf = new ByteArrayOutputStream();
        new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), new Trainer()).run(new Tiny(), Overrides.from(props));
        String pruned = buf.toString(StandardCharsets.UTF_8);
        assertTrue(pruned.contains("pruned (-Dprune=true): " + runs.resolve("." + one.getFileName() + ".partial-123")), pruned);
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(4, s.filter(p -> !p.getFileName().toString().startsWith(".")).count());
        }
        try (Stream<Path> s = Files.list(runs.resolve(".damaged"))) {
            List<Path> kept = s.toList();
            assertEquals(1, kept.size(), kept.toString());
            assertTrue(kept.get(0).getFileName().toString().startsWith(one.getFileName() + "-"),
                    "the damaged run was moved aside, not deleted");
        }
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(List.of(".damaged", ".locks"), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .sorted().toList(), "besides the runs, only the claims' lock files and the damaged run are left");
        }
    }

    /**
     * A sweep with a diverging run (β=2, seed 2, made to diverge at step 7 by its engine factory, so the test does
     * not hang on finding a learning rate that diverges): the failure is recorded and listed, counted in the result,
     * flagged in the headline, and retried next time.
     */
    @Test
    void divergedRunsAreRecordedCountedAndRetried(@TempDir Path dir) throws IOException {
        var props = new java.util.Properties();
        props.setProperty("vaelab.reports", dir.toString());
        var buf = new ByteArrayOutputStream();
        Trainer diverging = new Trainer((c, seed) -> {
            if (c.label().equals("β=2") && c.seed() == 2)
                throw new org.vaelab.train.DivergenceException(c.runId(), 7, "batch Rec = NaN, KL = 3.1");
            return Trainer.DEFAULT_ENGINE.create(c, seed);
        });
        var runner = new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), diverging);
        ExperimentRunner.Result first = runner.run(new Tiny(), Overrides.from(props));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, first.failed(), out);
        assertEquals(3, first.finished(), out);
        String report = Files.readString(first.report());
        assertTrue(report.contains("Runs that did not finish"), report);
        assertTrue(report.contains("diverged at step 7: batch Rec = NaN, KL = 3.1"), report);
        assertTrue(report.contains("<!-- finding: Caution: not every run finished"), report);
        assertTrue(report.contains("β=2 (1 of 2)"), report);

        buf.reset();
        ExperimentRunner.Result again = runner.run(new Tiny(), Overrides.from(props));
        String retried = buf.toString(StandardCharsets.UTF_8);
        assertEquals(first.finished(), retried.lines().filter(l -> l.contains("reused")).count(), retried);
        assertEquals(first.failed(), again.failed(), "the same seeds diverge again: " + retried);
    }

    /** Runs the tiny sweep with {@code -DiwK} (null = off), counting the engines the trainer creates. */
    private static String runCounting(Path dir, Integer iwK, AtomicInteger trained) throws IOException {
        var buf = new ByteArrayOutputStream();
        var o = new Overrides(null, null, null, null, null, null, false, dir.toString(), null, false, null, 1e-6, null, iwK);
        Trainer counting = new Trainer((c, seed) -> {
            trained.incrementAndGet();
            return Trainer.DEFAULT_ENGINE.create(c, seed);
        });
        new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), counting).run(new Tiny(), o);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static long count(String out, String text) {
        return out.lines().filter(l -> l.contains(text)).count();
    }

    /**
     * -DiwK changes only the eval key: every run is re-evaluated from its model.npz in its own folder (no training,
     * same step log and model file), gains the IW-NLL and keeps every other metric bit for bit. A run without a model
     * file is retrained, saying why.
     */
    @Test
    void anEvaluationChangeReevaluatesFromTheModelWithoutRetraining(@TempDir Path dir) throws Exception {
        AtomicInteger trained = new AtomicInteger();
        runCounting(dir, null, trained);
        assertEquals(4, trained.get());
        Path runs = dir.resolve("tiny/runs");
        Path variantRuns = dir.resolve("tiny.iwK-10/runs");
        Map<String, String> before = metrics(dir);
        Map<String, String> steps = new TreeMap<>(), models = new TreeMap<>(), provenance = new TreeMap<>();
        for (String run : before.keySet()) {
            steps.put(run, Files.readString(runs.resolve(run).resolve("steps.csv")));
            models.put(run, sha256(runs.resolve(run).resolve("model.npz")));
            provenance.put(run, Files.readString(runs.resolve(run).resolve("provenance.json")));
        }

        // -DiwK=10 is a variant with its own folder, whose training equals the canonical plan's: its runs are copied
        // from the canonical store and re-evaluated there; the canonical runs are not touched.
        trained.set(0);
        String out = runCounting(dir, 10, trained);
        assertEquals(0, trained.get(), "re-evaluation must not train:\n" + out);
        assertEquals(4, count(out, "copied from"), out);
        assertEquals(4, count(out, "re-evaluating"), out);
        assertEquals(4, count(out, "iwSamples 100 → 10"), out);
        assertEquals(before, metrics(dir), "the canonical runs are untouched");
        for (String run : before.keySet()) {
            String after = Files.readString(variantRuns.resolve(run).resolve("metrics.csv"));
            assertTrue(after.contains("model/iw_nll,"), after);
            for (String line : before.get(run).lines().filter(l -> !l.startsWith("model/iw_")).toList())
                assertTrue(after.contains(line + "\n"), run + ": " + line + " changed:\n" + after);
            assertTrue(after.contains("model/iw_k,10.0\n") && before.get(run).contains("model/iw_k,100.0\n"), after);
            assertEquals(steps.get(run), Files.readString(variantRuns.resolve(run).resolve("steps.csv")));
            assertEquals(models.get(run), sha256(variantRuns.resolve(run).resolve("model.npz")), "model file unchanged");
            var old = org.vaelab.provenance.Json.MAPPER.readTree(provenance.get(run));
            var now = org.vaelab.provenance.Json.MAPPER.readTree(variantRuns.resolve(run).resolve("provenance.json").toFile());
            assertEquals(old.get("runKey"), now.get("runKey"));
            assertEquals(old.get("trainSeconds"), now.get("trainSeconds"));
            assertEquals(old.get("startTime"), now.get("startTime"));
            assertFalse(old.get("evalKey").equals(now.get("evalKey")));
            assertEquals(10, now.get("config").get("iwSamples").asInt());
            assertTrue(Files.isRegularFile(variantRuns.resolve(run).resolve("samples.png")));
        }

        // Asked again with the same K: plain reuse.
        out = runCounting(dir, 10, trained);
        assertEquals(4, count(out, "reused"), out);
        assertEquals(0, trained.get());

        // Without a model file there is nothing to re-evaluate: that run trains, and says why.
        Files.delete(runs.resolve(before.keySet().iterator().next()).resolve("model.npz"));
        out = runCounting(dir, 5, trained);
        assertEquals(1, trained.get(), out);
        assertEquals(1, count(out, "has no model.npz"), out);
        assertEquals(3, count(out, "re-evaluating"), out);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * Damage as users cause it: an edited number, a deleted file, a truncated CSV. Each damaged run is named with its
     * problem, moved to runs/.damaged/ and trained again to the same numbers; the intact run is reused.
     */
    @Test
    void damagedRunsAreNamedSetAsideAndRetrainedToTheSameNumbers(@TempDir Path dir) throws IOException {
        run(dir, null, false);
        Map<String, String> original = metrics(dir);
        Path runs = dir.resolve("tiny/runs");
        List<String> names = List.copyOf(original.keySet());
        Path edited = runs.resolve(names.get(0)).resolve("metrics.csv");
        Files.writeString(edited, Files.readString(edited).replaceFirst("model/elbo,[^\n]*", "model/elbo,-1.0"));
        Files.delete(runs.resolve(names.get(1)).resolve("steps.csv"));
        Path truncated = runs.resolve(names.get(2)).resolve("kl_per_dim.csv");
        String kl = Files.readString(truncated);
        Files.writeString(truncated, kl.substring(0, kl.length() / 2));

        String out = run(dir, null, false);
        assertEquals(1, out.lines().filter(l -> l.contains("reused")).count(), out);
        assertTrue(out.contains(names.get(0) + " is damaged (") && out.contains("metrics.csv"), out);
        assertTrue(out.contains(names.get(1) + " is damaged (") && out.contains("steps.csv"), out);
        assertTrue(out.contains(names.get(2) + " is damaged (") && out.contains("kl_per_dim.csv"), out);
        assertEquals(original, metrics(dir), "retrained to the numbers of the first sweep");
        try (Stream<Path> s = Files.list(runs.resolve(".damaged"))) {
            assertEquals(3, s.count(), "the damaged folders are kept aside, not deleted");
        }
    }

    /** A report folder that cannot be written is found before any training, and the message names it. */
    @Test
    void anUnwritableReportFolderFailsBeforeTraining(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        AtomicInteger trained = new AtomicInteger();
        var o = new Overrides(null, null, null, null, null, null, false, file.resolve("reports").toString(), null, false,
                null, 1e-6, null, null);
        Trainer counting = new Trainer((c, seed) -> {
            trained.incrementAndGet();
            return Trainer.DEFAULT_ENGINE.create(c, seed);
        });
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new ExperimentRunner(new PrintStream(OutputStream.nullOutputStream()), counting).run(new Tiny(), o));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(0, trained.get());
    }
}
