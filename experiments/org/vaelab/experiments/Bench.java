package org.vaelab.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.vaelab.cpu.CpuAllocation;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.Launch;
import org.vaelab.experiment.Overrides;
import org.vaelab.metrics.IwNll;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.TestSetEvaluator;
import org.vaelab.model.NativeMlpEngine;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.provenance.SystemInfo;
import org.vaelab.report.AtomicFiles;
import org.vaelab.report.ReportIndex;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.Seeds;
import org.vaelab.train.TrainConfig;
import org.vaelab.train.Trainer;
import org.vaelab.weighting.ConstantBeta;

/**
 * <h2>Bench: how fast does vaelab train and evaluate, and does it agree with DL4J?</h2>
 *
 * <p>Sweeps multiply every second per epoch, so speed is a feature. This page times the reference model of
 * docs/performance.md — an MLP VAE 784-512-256-32 with ReLU, a Bernoulli decoder, batch 128, Adam 1e-3 — on the 60,000
 * Fashion-MNIST training images (continuous targets, as in the notes), with vaelab's engine and with DL4J's own
 * {@code VariationalAutoencoder} layer (KL weight 1) on identical data. The first epoch of each is a warm-up (JIT,
 * buffer allocation); the figure reported is the median of the later epochs. Both models are then scored on the
 * 10,000 test images: the two test ELBOs should agree to within the run-to-run spread of different initialisations.
 * A Bernoulli cross-entropy of grey pixels is not a normalised likelihood (a Bernoulli has no density on [0, 1]; the
 * continuous Bernoulli of Loaiza-Ganem &amp; Cunningham 2019 adds the missing normaliser), so these ELBOs compare the two
 * engines and nothing else; the output says so.
 *
 * <p>Printed lines: {@code train: X s/epoch, Y images/s} (vaelab), {@code iw-nll: Z s (K=1000, 1000 images)} (the
 * importance-weighted NLL of the trained model on the first 1,000 test images), {@code sweep: R runs/hour} (what a
 * sweep of the reference model gets done, derived below), {@code dl4j: …}, the ELBOs, the peak resident memory and the
 * thread/BLAS settings in force. The numbers go to {@code reports/bench/bench.md} too, and when that file already
 * holds an earlier bench, a last line gives each headline number's ratio to the earlier one.
 *
 * <p>Sweep throughput is for the default number of workers ({@code -Dworkers}: one per processor, memory allowing),
 * measured as a sweep runs them but not by training a whole sweep (which would take minutes of every core): a
 * standard run of this model trains {@value BenchSweep#SWEEP_EPOCHS} epochs and is then evaluated as every run of a report is
 * (the standard metrics and the IW-NLL with K = 100 on all 10,000 test images), so one run takes
 * {@value BenchSweep#SWEEP_EPOCHS} × the measured s/epoch plus the measured time of exactly that evaluation of the trained model.
 * With one worker these are the timings above; with W workers, W processes ({@link BenchSweep}) each train the model
 * for two epochs (the second timed) and evaluate it, all at once, each with its worker's share of the processors, so
 * that they compete for cores, caches and memory as a sweep's workers do. runs/hour = Σ over workers of 3600 / that
 * worker's run. It leaves out the JVM start and data loading, which a sweep pays once per worker, and writing the run
 * folder (well under a second).
 *
 * <p>Run: {@code mvn -q compile exec:java -Dexperiment=bench} (about two minutes; {@code -Depochs=N} changes the epochs of each,
 * default 3, at least 2).
 */
public final class Bench implements Experiment {

    static final VaeArchitecture MODEL = VaeArchitecture.bernoulli(784, List.of(512, 256), 32,
            org.vaelab.model.Activation.RELU);
    static final int BATCH = 128;
    static final double LR = 1e-3;
    static final int DEFAULT_EPOCHS = 3;
    /** The importance-weighted NLL timing of docs/performance.md: K = 1000 samples for each of 1,000 test images. */
    static final int IW_K = 1000, IW_IMAGES = 1000;

    @Override
    public String name() {
        return "bench";
    }

    /** Last: timing, not science. */
    @Override
    public int listingOrder() {
        return 30;
    }

    @Override
    public String summary() {
        return "training and IW-NLL speed, memory and ELBO of vaelab vs DL4J's VAE layer, reference model on Fashion-MNIST";
    }

    @Override
    public String question() {
        return "How fast does vaelab train the reference model, and does its ELBO agree with DL4J's VAE layer?";
    }

    @Override
    public List<Arm> arms() {
        return List.of();
    }

    /** Bench times one fixed model: only the epochs and a training subset can change (see {@link #runStandalone}). */
    @Override
    public List<String> options() {
        return List.of("epochs", "trainLimit");
    }

    @Override
    public Optional<Path> runStandalone(Overrides o, PrintStream out) throws IOException {
        int epochs = o.epochs() != null ? o.epochs() : DEFAULT_EPOCHS;
        if (epochs < 2) throw new IllegalArgumentException("-Depochs=" + epochs + " is too few for bench: one warm-up epoch plus at least one timed, so ≥ 2");
        ImageDataset train = DataSources.byName("fashion-mnist", Split.TRAIN);
        ImageDataset test = DataSources.byName("fashion-mnist", Split.TEST);
        if (o.trainLimit() != null && o.trainLimit() > 0) train = DataSources.subset(train, o.trainLimit());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "bench: MLP VAE %s, batch %d, Adam %.0e, %s: %d train / %d test images, %d epochs each",
                MODEL.describe(), BATCH, LR, "fashion-mnist (continuous targets)", train.n(), test.n(), epochs));
        lines.add("settings: " + settings());
        lines.add("objective: Bernoulli cross-entropy on continuous pixels, which is not a normalised likelihood (its ELBOs compare"
                + " vaelab with DL4J, not with likelihoods of binarised data); the continuous Bernoulli (Loaiza-Ganem & Cunningham 2019) is the fix");
        lines.forEach(out::println);

        // 1. vaelab's engine, through the same Trainer every experiment uses.
        Timed timed = trainAndEvaluate(train, test, epochs);
        double ours = timed.secondsPerEpoch(), evalSeconds = timed.evalSeconds(), elboOurs = timed.elbo();
        String trainLine = String.format(Locale.ROOT, "train: %.2f s/epoch, %.0f images/s (vaelab NativeMlpEngine, median of %d epochs after 1 warm-up)",
                ours, train.n() / ours, epochs - 1);
        out.println(trainLine);
        lines.add(trainLine);
        String iwLine;
        try (var model = timed.result().model()) {
            // 3. Importance-weighted NLL on the trained model: K samples for each of the first IW_IMAGES test images.
            ImageDataset iwImages = DataSources.subset(test, IW_IMAGES);
            long t0 = System.nanoTime();
            IwNll.Result iw = IwNll.of(model, iwImages, IW_K, Seeds.of(1).eval());
            double s = (System.nanoTime() - t0) / 1e9;
            iwLine = String.format(Locale.ROOT, "iw-nll: %.2f s (K=%d, %d images): %.0f decoder samples/s, NLL %.2f nats (ELBO %.2f)",
                    s, IW_K, iwImages.n(), (double) IW_K * iwImages.n() / s, iw.nll(), iw.elbo());
        }
        out.println(iwLine);
        lines.add(iwLine);
        CpuAllocation cpus = CpuAllocation.current();
        int workers = Launch.DEFAULTS.sweepWorkers(cpus);
        List<BenchSweep.WorkerTiming> timings = workers == 1
                ? List.of(new BenchSweep.WorkerTiming(cpus.cpus(), ours, evalSeconds))
                : BenchSweep.runAll(workers, cpus, o.trainLimit(), out);
        String sweepLine = BenchSweep.sweepLine(timings, train.n(), test.n());
        out.println(sweepLine);
        lines.add(sweepLine);
        long rssOurs = SystemInfo.peakRssMiB();

        // 2. DL4J's built-in VAE layer on the same data, batch order fixed per epoch.
        // vaelab's products may have set OpenBLAS to one thread (under kernels other than SkylakeX they thread
        // themselves, model.Gemm); DL4J's layer gets OpenBLAS's threads on every processor of this process, as alone.
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(cpus.cpus());
        Dl4jResult dl4j = trainDl4j(train, test, epochs);
        String dl4jLine = String.format(Locale.ROOT, "dl4j: %.2f s/epoch, %.0f images/s (DL4J VariationalAutoencoder layer, KL weight 1)",
                dl4j.secondsPerEpoch, train.n() / dl4j.secondsPerEpoch);
        out.println(dl4jLine);
        lines.add(dl4jLine);
        String elboLine = String.format(Locale.ROOT, "test ELBO after %d epochs: vaelab %.2f, dl4j %.2f nats (difference %.2f%%)",
                epochs, elboOurs, dl4j.elbo, 100 * Math.abs(elboOurs - dl4j.elbo) / Math.abs(dl4j.elbo));
        String memLine = String.format(Locale.ROOT, "peak RSS: %d MiB after vaelab's part, %d MiB after DL4J's", rssOurs, SystemInfo.peakRssMiB());
        for (String l : List.of(elboLine, memLine)) {
            out.println(l);
            lines.add(l);
        }
        Path report = Path.of(o.reportsDir(), name(), "bench.md");
        var machine = SystemInfo.hardware();
        String machineNow = machine(machine.get("cpu"), machine.get("cores"), machine.get("OPENBLAS_CORETYPE"));
        if (Files.isRegularFile(report)) {
            String ratios = vsPrevious(Files.readString(report), headline(String.join("\n", lines)), machineNow);
            out.println(ratios);
            lines.add(ratios);
        }
        AtomicFiles.writeString(report, "# bench: " + summary() + "\n\n" + ReportIndex.findingComment(trainLine + "; " + iwLine + "; " + sweepLine + "; " + dl4jLine)
                + "\n" + question() + "\n\n```\n" + String.join("\n", lines) + "\n```\n\n"
                + "Machine: " + machine.get("cpu") + ", " + machine.get("cores") + " cores; "
                + "git commit `" + SystemInfo.git()[0] + "`. Reproduce: `mvn -q compile exec:java -Dexperiment=bench" + o.asFlags() + "`.\n");
        ReportIndex.update(report.getParent().getParent());
        out.println("report: " + report);
        return Optional.of(report);
    }

    private record Dl4jResult(double secondsPerEpoch, double elbo) {
    }

    private static Dl4jResult trainDl4j(ImageDataset train, ImageDataset test, int epochs) {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(1).updater(new Adam(LR)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .activation(Activation.RELU)
                        .encoderLayerSizes(512, 256).decoderLayerSizes(256, 512)
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
                        .nIn(MODEL.inputDim()).nOut(MODEL.latentDim()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        var layer = (org.deeplearning4j.nn.layers.variational.VariationalAutoencoder) net.getLayer(0);
        INDArray x = Nd4j.create(train.pixels(), new long[] {train.n(), train.dim()}, 'c');
        int n = train.n();
        double[] seconds = new double[epochs];
        var mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            for (int s = 0; s < n; s += BATCH) {
                INDArray batch = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, Math.min(n, s + BATCH)),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
                net.pretrainLayer(0, batch);
            }
            seconds[e] = (System.nanoTime() - t0) / 1e9;
        }
        // DL4J's pretraining score is the minibatch-mean negative ELBO (one z sample), which is what we report.
        INDArray xt = Nd4j.create(test.pixels(), new long[] {test.n(), test.dim()}, 'c');
        double negElbo = 0;
        int chunk = 1000;
        for (int s = 0; s < test.n(); s += chunk) {
            int b = Math.min(chunk, test.n() - s);
            layer.setInput(xt.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, s + b),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), mgr);
            layer.computeGradientAndScore(mgr);
            negElbo += layer.score() * b;
        }
        double[] timed = Arrays.copyOfRange(seconds, 1, epochs);
        Arrays.sort(timed);
        return new Dl4jResult(timed[timed.length / 2], -negElbo / test.n());
    }

    /** Training time per epoch (median after one warm-up epoch) and the timed evaluation of a report's run. */
    record Timed(double secondsPerEpoch, double evalSeconds, double elbo, Trainer.Result result) {
    }

    /** Trains the reference model for {@code epochs} and evaluates it as a run of a report is, timing both. */
    static Timed trainAndEvaluate(ImageDataset train, ImageDataset test, int epochs) {
        RunConfig c = new RunConfig("bench", "β=1", "", new DataConfig("fashion-mnist", Binarization.NONE, 0, 0), MODEL,
                new ConstantBeta(1), new TrainConfig(epochs, BATCH, LR), 1);
        int stepsPerEpoch = (train.n() + BATCH - 1) / BATCH;
        List<Long> epochEnds = new ArrayList<>();
        Trainer.Result r = new Trainer().train(c, train, (step, total) -> {
            if (step % stepsPerEpoch == 0) epochEnds.add(System.nanoTime());
        });
        // Evaluated as a run of a report is (RunConfig's K = 100 on every test image).
        long e0 = System.nanoTime();
        double elbo = TestSetEvaluator.evaluate(r.model(), test, Binarization.NONE, Seeds.of(1).eval(), IwNll.REPORT_K)
                .metrics().get(MetricId.ELBO);
        return new Timed(medianEpochSeconds(epochEnds), (System.nanoTime() - e0) / 1e9, elbo, r);
    }

    /** The headline figures a bench prints, each with the pattern of its line; the first number after it is the figure. */
    private static final Map<String, Pattern> HEADLINES = headlinePatterns();

    private static Map<String, Pattern> headlinePatterns() {
        Map<String, Pattern> m = new LinkedHashMap<>();
        m.put("train s/epoch", Pattern.compile("(?m)^train: ([0-9.]+) s/epoch"));
        m.put("iw-nll s", Pattern.compile("(?m)^iw-nll: ([0-9.]+) s"));
        m.put("sweep runs/hour", Pattern.compile("(?m)^sweep: ([0-9.]+) runs/hour"));
        m.put("dl4j s/epoch", Pattern.compile("(?m)^dl4j: ([0-9.]+) s/epoch"));
        m.put("peak RSS MiB", Pattern.compile("(?m)^peak RSS: ([0-9]+) MiB after vaelab's part"));
        return Collections.unmodifiableMap(m);
    }

    /** The headline figures found in a bench's lines or its bench.md, by name, in {@link #HEADLINES}' order. */
    static Map<String, Double> headline(String text) {
        Map<String, Double> found = new LinkedHashMap<>();
        HEADLINES.forEach((name, pattern) -> {
            var m = pattern.matcher(text);
            if (m.find()) found.put(name, Double.parseDouble(m.group(1)));
        });
        return found;
    }

    /**
     * What a bench's speed depends on besides the code, in one line: the CPU model, its cores and the OpenBLAS kernels
     * ({@code AMD EPYC, 2 cores, OPENBLAS_CORETYPE=SkylakeX}). Why the kernels: this machine kind has been an AVX-512
     * EPYC and an AVX2 one under the same model name, and their products differ 2.5-fold in speed.
     */
    static String machine(String cpu, String cores, String coreType) {
        return cpu + ", " + cores + " cores, OPENBLAS_CORETYPE=" + coreType;
    }

    /**
     * The {@link #machine} a bench.md was measured on, from its {@code Machine:} and {@code settings:} lines, or null
     * when it does not name its kernels (bench.md files written before they were recorded).
     */
    static String machine(String benchMd) {
        var cpu = Pattern.compile("(?m)^Machine: (.*), (\\d+) cores;").matcher(benchMd);
        var kernels = Pattern.compile("(?m)^settings: .*OPENBLAS_CORETYPE=([^,\\s]+)").matcher(benchMd);
        if (!cpu.find() || !kernels.find()) return null;
        return machine(cpu.group(1), cpu.group(2), kernels.group(1));
    }

    /**
     * The line comparing this bench's headline figures ({@code now}) with an earlier bench.md's: their ratios
     * ({@link #comparison}) when it was measured on the same {@link #machine} (or does not say), else why not.
     */
    static String vsPrevious(String before, Map<String, Double> now, String machineNow) {
        String machineBefore = machine(before);
        if (machineBefore != null && !machineBefore.equals(machineNow))
            return "vs the previous bench.md" + commitNote(commit(before)) + ": not compared, it was measured on another"
                    + " machine (" + machineBefore + "; now " + machineNow + ")";
        return comparison(now, headline(before), commit(before));
    }

    private static String commitNote(String commit) {
        return commit == null ? "" : " (commit " + commit.substring(0, Math.min(12, commit.length())) + ")";
    }

    /** The git commit a bench.md names, or null. */
    static String commit(String benchMd) {
        var m = Pattern.compile("git commit `([0-9a-f]+)`").matcher(benchMd);
        return m.find() ? m.group(1) : null;
    }

    /**
     * One line with each headline figure's ratio now / before, for the figures both benches have: below 1 is
     * faster or smaller, except runs/hour, where above 1 is faster.
     */
    static String comparison(Map<String, Double> now, Map<String, Double> before, String beforeCommit) {
        List<String> parts = new ArrayList<>();
        now.forEach((name, v) -> {
            Double b = before.get(name);
            if (b != null && b > 0) parts.add(String.format(Locale.ROOT, "%s %.2f× (%s → %s)", name, v / b, plain(b), plain(v)));
        });
        String which = "the previous bench.md" + commitNote(beforeCommit);
        if (parts.isEmpty()) return "vs " + which + ": no headline figure in common";
        return "vs " + which + ", now/before: " + String.join(", ", parts)
                + " (below 1 is faster or smaller, but for runs/hour above 1 is faster)";
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double medianEpochSeconds(List<Long> ends) {
        // ends[0] closes the warm-up epoch; each later epoch is the gap to the previous end.
        double[] s = new double[ends.size() - 1];
        for (int i = 1; i < ends.size(); i++) s[i - 1] = (ends.get(i) - ends.get(i - 1)) / 1e9;
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String settings() {
        var h = SystemInfo.hardware();
        return String.format("%s of %s cores, max heap %s MiB, ND4J %s; products: %s", SystemInfo.threadSettings(), h.get("cores"),
                h.get("maxHeapMiB"), SystemInfo.versions().get("nd4j"), NativeMlpEngine.productThreading());
    }
}
