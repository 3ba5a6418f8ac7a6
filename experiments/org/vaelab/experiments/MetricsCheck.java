package org.vaelab.experiments;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.nd4j.linalg.factory.Nd4j;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Sprites;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Experiment;
import org.vaelab.experiment.Overrides;
import org.vaelab.metrics.ActiveUnits;
import org.vaelab.metrics.GaussianKl;
import org.vaelab.metrics.IwNll;
import org.vaelab.metrics.LinearGaussianVae;
import org.vaelab.metrics.Mig;
import org.vaelab.metrics.MutualInformation;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.metrics.Reconstruction;
import org.vaelab.model.Posterior;
import org.vaelab.report.ReportIndex;
import org.vaelab.provenance.SystemInfo;
import org.vaelab.report.AtomicFiles;

/**
 * <h2>Metrics check: does every metric give the known answer where one exists?</h2>
 *
 * <p>A metric that is wrong by a constant, a sign or a log B is wrong in every report that uses it, and nothing
 * downstream notices. So before the metrics are trusted on trained VAEs, each is run here on inputs whose answer
 * is known in closed form or by hand, at larger sizes than the unit tests, and the report lists value, estimate,
 * error and tolerance side by side.
 *
 * <p>The known answers:
 * <ul>
 *   <li><b>IW-NLL</b> (Burda et al. 2016): a linear-Gaussian model x = Wz + b + noise (probabilistic PCA, W with
 *       orthogonal columns) has log p(x) = log N(x; b, WWᵀ + σ²I). Its exact posterior is diagonal; with it every
 *       importance weight equals p(x) and the estimate must match to rounding. With a deliberately wrong encoder
 *       the estimate is an upper bound that tightens as K = 1 … 5000 grows.</li>
 *   <li><b>Mutual information</b> (Hoffman and Johnson 2016, He et al. 2019): for Gaussian posterior means with
 *       covariance C and fixed posterior variances Σ, I(x; z) = ½ log det(C + Σ) − ½ log det Σ. The estimator is
 *       biased (at most about log B), so the error must shrink as the batch B grows.</li>
 *   <li><b>Active units</b>, <b>per-dimension KL</b>, <b>MSE/BCE</b>: constructed posteriors and pixels.</li>
 *   <li><b>MIG</b> (Chen et al. 2018) on factors of 50,000 generated sprites (dSprites design): latents that copy
 *       the factors, pure noise, and one latent holding two factors, each with its answer derived from the
 *       binning.</li>
 *   <li><b>Paired comparison</b>: the paired t-test and Wilcoxon test on differences 1…5, computed by hand.</li>
 * </ul>
 *
 * <p>Nothing is trained, so the experiment runs through {@link Experiment#runStandalone} rather than arms.
 * Run: {@code mvn -q compile exec:java -Dexperiment=metrics-check} (under a minute on two cores); the report is
 * {@code reports/metrics-check/report.md}.
 *
 * <p>Long because it is one notebook page: each known-answer check stands beside the prose that derives its answer,
 * and the report is checked against both together.
 */
public final class MetricsCheck implements Experiment {

    /** One row of the report: a metric on one input, its closed-form (or hand-computed) value, the estimate and whether it is in tolerance. */
    record Check(String metric, String setup, double known, double estimate, String tolerance, boolean pass) {
        double error() {
            return estimate - known;
        }
    }

    @Override
    public String name() {
        return "metrics-check";
    }

    /** After the studies: a check of the estimators they rely on. */
    @Override
    public int listingOrder() {
        return 20;
    }

    @Override
    public String summary() {
        return "every metric against a closed form or hand computation (no training)";
    }

    @Override
    public String question() {
        return """
                **Question.** Does each metric return the known answer on inputs where the answer is known in closed
                form or by hand? Every row below compares an estimate with its exact value; a metric that fails here
                must not be used in any other report.
                """;
    }

    @Override
    public List<Arm> arms() {
        return List.of();
    }

    /** The checks are fixed computations: no option changes them (the reports folder is a -Dvaelab.* setting). */
    @Override
    public List<String> options() {
        return List.of();
    }

    @Override
    public Optional<Path> runStandalone(Overrides overrides, PrintStream out) throws IOException {
        Path dir = Path.of(overrides.reportsDir(), name());
        out.printf("vaelab: %s -> %s%n", name(), dir);
        long t0 = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        checks.addAll(iwNll());
        checks.addAll(mutualInformation());
        checks.addAll(activeUnitsAndKl());
        checks.addAll(reconstruction());
        checks.addAll(mig());
        checks.addAll(pairedComparison());
        double seconds = (System.nanoTime() - t0) / 1e9;

        String table = table(checks);
        out.println(table);
        long failed = checks.stream().filter(c -> !c.pass()).count();
        out.printf("%d of %d checks pass (%.1f s).%n", checks.size() - failed, checks.size(), seconds);
        Path figure = spriteGrid(dir.resolve("figures").resolve("sprites.png"));
        Path report = dir.resolve("report.md");
        AtomicFiles.writeString(report, report(checks, table, seconds, dir.relativize(figure).toString()));
        ReportIndex.update(dir.getParent());
        out.println("report: " + report);
        return Optional.of(report);
    }

    // -------------------------------------------------------------------------------------------------------------
    // IW-NLL on a linear-Gaussian model

    /** D = 12 pixels, d = 4 latents, σ = 0.6; 400 images drawn from the model. */
    static final LinearGaussianVae LG = LinearGaussianVae.random(12, new double[]{2.0, 1.5, 1.0, 0.5}, 0.6, 2024);

    private static List<Check> iwNll() {
        List<Check> rows = new ArrayList<>();
        double[][] x = LG.sample(400, new SplittableRandom(1));
        double truth = 0;
        for (double[] row : x) truth -= LG.logLikelihood(row);
        truth /= x.length;

        IwNll.Result exact = IwNll.of(LG, Nd4j.createFromArray(x), IwNll.DEFAULT_K, 2);
        rows.add(new Check("IW-NLL, exact posterior", "400 images, K = 5000, double path", truth, exact.nll(),
                "1e-9 (zero-variance weights)", Math.abs(exact.nll() - truth) < 1e-9));

        // The same through an ImageDataset (float pixels, float z): the exact posterior still gives every weight p(x).
        float[] px = new float[x.length * 12];
        double truthF = 0;
        for (int i = 0; i < x.length; i++) {
            double[] xf = new double[12];
            for (int j = 0; j < 12; j++) {
                px[i * 12 + j] = (float) x[i][j];
                xf[j] = px[i * 12 + j];
            }
            truthF -= LG.logLikelihood(xf);
        }
        truthF /= x.length;
        IwNll.Result viaImages = IwNll.of(LG, new ImageDataset("linear-gaussian", px, x.length, 4, 3, new int[x.length], "none"),
                1000, 3);
        rows.add(new Check("IW-NLL, exact posterior", "same images as float ImageDataset, K = 1000", truthF,
                viaImages.nll(), "1e-9", Math.abs(viaImages.nll() - truthF) < 1e-9));

        LinearGaussianVae wrong = LG.withEncoderError(0.3, Math.log(2));
        double negElbo = 0;
        for (double[] row : x) negElbo -= wrong.elbo(row);
        negElbo /= x.length;
        int[] ks = {1, 10, 100, 1000, 5000};
        double previous = Double.POSITIVE_INFINITY;
        IwNll.Result last = null;
        for (int i = 0; i < ks.length; i++) {
            IwNll.Result r = IwNll.of(wrong, Nd4j.createFromArray(x), ks[i], 10 + i);
            double mc = r.monteCarloError();
            boolean bound = r.nll() >= truth - 3 * mc - 1e-9;
            boolean tighter = r.nll() < previous;
            boolean pass = bound && tighter;
            // With one sample the delta-method error is 0 by construction: K = 1 is −ELBO in expectation.
            String tol = i == 0 ? "≥ truth (upper bound)"
                    : String.format(Locale.ROOT, "≥ truth − 3·SE_MC (SE_MC = %.4f); below K = %d", mc, ks[i - 1]);
            if (ks[i] == 5000) {
                pass &= Math.abs(r.nll() - truth) <= 3 * mc + 0.005;
                tol = String.format(Locale.ROOT, "error within ±(3·SE_MC + 0.005) = ±%.4f; below K = %d", 3 * mc + 0.005, ks[i - 1]);
            }
            rows.add(new Check("IW-NLL, wrong encoder (μ + 0.3, σ² × 2)", String.format(Locale.ROOT,
                    "K = %d, mean ESS %.0f", ks[i], r.meanEss()), truth, r.nll(), tol, pass));
            previous = r.nll();
            last = r;
        }
        rows.add(new Check("ELBO (mean log-weight), wrong encoder", "2,000,000 log-weights of the K = 5000 run",
                -negElbo, last.elbo(), "0.01", Math.abs(last.elbo() + negElbo) < 0.01));
        return rows;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Mutual information

    static final double[][] COV = {{2.0, 0.8, 0.0, 0.3}, {0.8, 1.0, 0.3, 0.0}, {0.0, 0.3, 0.5, 0.1}, {0.3, 0.0, 0.1, 0.8}};
    static final double[] VAR = {0.3, 0.5, 0.2, 0.6};

    private static List<Check> mutualInformation() {
        List<Check> rows = new ArrayList<>();
        double truth = MutualInformation.gaussianClosedForm(COV, VAR);
        Posterior q = correlatedGaussian(10_000, 5);
        int[] batches = {10, 100, 1000, 10_000};
        double previousError = Double.POSITIVE_INFINITY, previousEstimate = Double.NEGATIVE_INFINITY;
        for (int b : batches) {
            double est = MutualInformation.of(q, b, new SplittableRandom(6));
            double err = Math.abs(est - truth);
            boolean pass = est <= Math.log(b) + 1e-9 && est > previousEstimate;
            String tol;
            if (b == 10_000) {
                pass &= err <= 0.03;
                tol = "0.03 (Monte-Carlo error ≈ 0.01)";
            } else {
                pass &= err < previousError;
                tol = "≤ log B; error below smaller B; estimate rises with B";
            }
            rows.add(new Check("MI, Gaussian-linear encoder (d = 4, correlated means)",
                    "10,000 examples, B = " + String.format(Locale.ROOT, "%,d", b), truth, est, tol, pass));
            previousError = err;
            previousEstimate = est;
        }
        Posterior exact = LG.encode(Nd4j.createFromArray(LG.sample(10_000, new SplittableRandom(7))));
        double est = MutualInformation.of(exact, 10_000, new SplittableRandom(8));
        rows.add(new Check("MI, exact posterior of the linear-Gaussian model", "10,000 images, B = 10,000",
                LG.exactMutualInformation(), est, "0.03", Math.abs(est - LG.exactMutualInformation()) <= 0.03));
        return rows;
    }

    /** n posteriors with means drawn from N(0, COV) and variances VAR. */
    private static Posterior correlatedGaussian(int n, long seed) {
        return MutualInformation.sampleGaussianLinear(COV, VAR, n, seed);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Active units and per-dimension KL

    private static List<Check> activeUnitsAndKl() {
        List<Check> rows = new ArrayList<>();
        // Posterior means N(0, c_u) over 100,000 examples: A_u ≈ c_u; active iff c_u > 0.01.
        double[] c = {0.5, 0.005, 0.02, 5e-5, 0.125, 0, 1.5, 0.0095};
        double[] lvU = {-2, -1, 0, 0, -3, 0, -0.5, 0};
        int n = 100_000, d = c.length;
        SplittableRandom rng = new SplittableRandom(9);
        double[] mu = new double[n * d], lv = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int u = 0; u < d; u++) {
                mu[i * d + u] = Math.sqrt(c[u]) * rng.nextGaussian();
                lv[i * d + u] = lvU[u];
            }
        Posterior q = new Posterior(n, d, mu, lv);
        List<Integer> active = ActiveUnits.activeDimensions(q);
        List<Integer> expected = List.of(0, 2, 4, 6);
        rows.add(new Check("Active units (A_u > 0.01)", "8 units, A = " + fmtList(c) + ", n = 100,000; active " + active,
                expected.size(), active.size(), "same units: " + expected, active.equals(expected)));

        // E_x KL_u = ½(c_u + σ_u² − log σ_u² − 1); standard error of the mean of ½μ² is c_u/√(2n).
        double[] kl = GaussianKl.perDimension(q);
        double worst = 0, worstZ = 0;
        int at = 0;
        for (int u = 0; u < d; u++) {
            double exact = 0.5 * (c[u] + Math.exp(lvU[u]) - lvU[u] - 1);
            double se = c[u] / Math.sqrt(2.0 * n);
            double z = se == 0 ? Math.abs(kl[u] - exact) / 1e-12 : Math.abs(kl[u] - exact) / se;
            if (z > worstZ) {
                worstZ = z;
                worst = kl[u] - exact;
                at = u;
            }
        }
        double exactAt = 0.5 * (c[at] + Math.exp(lvU[at]) - lvU[at] - 1);
        rows.add(new Check("Per-dimension KL", "8 dimensions, n = 100,000; the worst dimension (z" + at + ")", exactAt,
                exactAt + worst, "4 standard errors (" + String.format(Locale.ROOT, "%.4f", 4 * c[at] / Math.sqrt(2.0 * n)) + ")",
                worstZ <= 4));
        return rows;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Reconstruction

    private static List<Check> reconstruction() {
        float[] x = {0f, 1f, 0.5f, 0.25f};
        float[] xHat = {0.125f, 0.75f, 0f, 0.25f};
        double mse = (1 / 64.0 + 1 / 16.0 + 1 / 4.0) / 4;
        float[] t = {1f, 0f, 0.5f, 1f};
        float[] p = {0.5f, 0.25f, 0.5f, 0.5f};
        double bce = (Math.log(2) - Math.log(0.75) + 2 * Math.log(2)) / 2;
        double m = Reconstruction.mse(x, xHat), b = Reconstruction.bce(t, p, 2);
        return List.of(
                new Check("MSE per pixel", "2 images × 2 pixels, by hand", mse, m, "1e-12", Math.abs(m - mse) < 1e-12),
                new Check("BCE per image (nats, summed over pixels)", "2 images × 2 pixels, by hand", bce, b, "1e-12",
                        Math.abs(b - bce) < 1e-12));
    }

    // -------------------------------------------------------------------------------------------------------------
    // MIG on sprite factors

    private static List<Check> mig() {
        List<Check> rows = new ArrayList<>();
        int n = 50_000;
        int[][] f = Sprites.sampleFactors(n, 11);
        // A copy of a factor keeps H(binned v) of its H(v) = log m nats: all of it for shape (3 values), scale (6)
        // and the 18-valued shape-and-scale code, 0.812 for orientation (40 values, two per bin), 0.850 for the
        // positions (32 values, 8 bins with one and 12 with two).
        double[] keep = new double[5];
        for (int k = 0; k < 5; k++) keep[k] = binnedShare(Sprites.FACTOR_SIZES.get(k), Mig.DEFAULT_BINS);

        double[][] copies = new double[n][5];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < 5; k++) copies[i][k] = 0.5 * f[i][k] - 3;
        double known = (keep[0] + keep[1] + keep[2] + keep[3] + keep[4]) / 5;
        double est = Mig.of(copies, f, Mig.DEFAULT_BINS);
        rows.add(new Check("MIG, one latent per factor", String.format(Locale.ROOT,
                "50,000 sprites; binning keeps %.3f, %.3f, %.3f, %.3f, %.3f of H(v)", keep[0], keep[1], keep[2], keep[3],
                keep[4]), known, est, "0.01 (plug-in bias)", Math.abs(est - known) <= 0.01));

        SplittableRandom rng = new SplittableRandom(12);
        double[][] noise = new double[n][10];
        for (double[] row : noise) for (int j = 0; j < 10; j++) row[j] = rng.nextGaussian();
        est = Mig.of(noise, f, Mig.DEFAULT_BINS);
        rows.add(new Check("MIG, independent noise latents", "50,000 sprites, 10 Gaussian latents", 0, est, "0.01",
                est >= 0 && est <= 0.01));

        double[][] shared = new double[n][5];
        for (int i = 0; i < n; i++) {
            shared[i][0] = 6 * f[i][0] + f[i][1];   // shape and scale in one latent (18 distinct values)
            shared[i][1] = f[i][1];                 // scale again
            shared[i][2] = f[i][2];
            shared[i][3] = f[i][3];
            shared[i][4] = f[i][4];
        }
        known = (1 + 0 + keep[2] + keep[3] + keep[4]) / 5;
        est = Mig.of(shared, f, Mig.DEFAULT_BINS);
        rows.add(new Check("MIG, one latent holds shape and scale, another scale", String.format(Locale.ROOT,
                "gaps 1, 0, %.3f, %.3f, %.3f", keep[2], keep[3], keep[4]), known, est, "0.01", Math.abs(est - known) <= 0.01));
        return rows;
    }

    /**
     * The share H(bin(v))/H(v) of a uniform factor with m equally spaced values that survives equal-width binning
     * into {@code bins} bins over [0, m − 1] (value k goes to bin ⌊k·bins/(m − 1)⌋, the last value into the last bin).
     */
    static double binnedShare(int m, int bins) {
        int[] count = new int[bins];
        for (int k = 0; k < m; k++) count[Math.min(bins - 1, (int) ((double) k * bins / (m - 1)))]++;
        double h = 0;
        for (int c : count) if (c > 0) h -= (double) c / m * Math.log((double) c / m);
        return h / Math.log(m);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Paired comparison

    private static List<Check> pairedComparison() {
        PairedComparison c = PairedComparison.of(new double[]{11, 22, 33, 44, 55}, new double[]{10, 20, 30, 40, 50});
        return List.of(
                new Check("Paired t-test p-value", "differences 1…5 (R: t.test(1:5))", 0.01324, c.pValue(), "1e-5",
                        Math.abs(c.pValue() - 0.01324) < 1e-5),
                new Check("Paired t 95% CI, lower end", "differences 1…5", 1.036757, c.ciLow(), "1e-6",
                        Math.abs(c.ciLow() - 1.036757) < 1e-6),
                new Check("Wilcoxon signed-rank p-value", "differences 1…5: 2/2⁵", 0.0625, c.wilcoxonPValue(), "1e-12",
                        Math.abs(c.wilcoxonPValue() - 0.0625) < 1e-12));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Report

    static String table(List<Check> checks) {
        StringBuilder sb = new StringBuilder();
        sb.append("| metric | setup | closed-form value | estimate | error | tolerance | result |\n");
        sb.append("|---|---|---:|---:|---:|---|---|\n");
        for (Check c : checks)
            sb.append("| ").append(c.metric()).append(" | ").append(c.setup()).append(" | ").append(num(c.known()))
                    .append(" | ").append(num(c.estimate())).append(" | ").append(sci(c.error())).append(" | ")
                    .append(c.tolerance()).append(" | ").append(c.pass() ? "pass" : "**FAIL**").append(" |\n");
        return sb.toString();
    }

    private static String report(List<Check> checks, String table, double seconds, String figure) {
        long failed = checks.stream().filter(c -> !c.pass()).count();
        String[] git = SystemInfo.git();
        StringBuilder sb = new StringBuilder();
        sb.append("# metrics-check: ").append("every metric against a known answer\n\n");
        sb.append(ReportIndex.findingComment(String.format(Locale.ROOT, "%d of %d estimator checks against closed forms pass.",
                checks.size() - failed, checks.size()))).append('\n');
        sb.append(new MetricsCheck().question()).append('\n');
        sb.append(String.format(Locale.ROOT, "**Result: %d of %d checks pass.** Error = estimate − closed-form (or hand-computed) value.%n%n",
                checks.size() - failed, checks.size()));
        sb.append(table).append('\n');
        sb.append("""
                ## What each block checks

                - **IW-NLL** (Burda et al. 2016, K = 5000 as in the paper): a linear-Gaussian model with 12 pixels and
                  4 latents (`LinearGaussianVae`: W with orthogonal columns of lengths 2, 1.5, 1, 0.5, σ = 0.6) gives
                  log p(x) = log N(x; b, WWᵀ + σ²I) in closed form (Cholesky of the full covariance). The exact posterior
                  makes every importance weight equal to p(x), so the estimate matches to rounding, also through the
                  float `ImageDataset` path. With the means shifted by 0.3 and the variances doubled the estimate is an
                  upper bound that falls with K; SE_MC is the delta-method Monte-Carlo standard error reported by
                  `IwNll.Result` (from the effective sample size ESS of the weights). The mean log-weight is an
                  unbiased ELBO estimate, checked against the closed-form ELBO.
                - **MI** (He et al. 2019's estimator): posterior means drawn from N(0, C) with a correlated 4 × 4 C and
                  fixed variances Σ; I = ½ log det(C + Σ) − ½ log det Σ. The batch estimate of log q(z) includes the
                  example's own term, so it underestimates at small B (it cannot exceed log B) and the error shrinks
                  as B grows; beyond B ≈ 1000 the Monte-Carlo error of 10,000 single-sample terms dominates. The last
                  row encodes data from the linear-Gaussian model with its exact posterior, whose aggregate posterior is
                  the prior: I = ½ Σ_j log(1 + ‖w_j‖²/σ²).
                - **Active units** (threshold 0.01 on the variance of posterior means) and **per-dimension KL**
                  (E_x KL_j = ½(c_j + σ_j² − log σ_j² − 1) for means of variance c_j): 100,000 constructed posteriors.
                  The unit with variance 0.0095 sits just below the threshold.
                - **MSE / BCE**: hand computations (BCE per image, summed over pixels, in nats).
                - **MIG** (Chen et al. 2018; 20 equal-width bins; plug-in MI) on the factors of 50,000 sprites
                  (`org.vaelab.data.Sprites`, the dSprites design generated here). Binning caps a perfect copy: a latent
                  that copies orientation (40 values) keeps only log 20 of its log 40 nats in 20 bins (0.812), one that
                  copies a position (32 values) keeps 0.850; shape and scale fit their bins (1). When one latent holds
                  shape and scale and another repeats scale, scale has two equally informative latents (gap 0) while
                  shape keeps gap 1. Independent noise latents score about 0.
                - **Paired comparison**: `PairedComparison.of` on differences 1, 2, 3, 4, 5, the values R's `t.test(1:5)`
                  prints, and the exact Wilcoxon p-value 2/32.

                """);
        sb.append("![A sample of the generated sprites](").append(figure).append(")\n\n");
        sb.append("*Generated sprites: rows are square, ellipse, heart at scale 1 and again at scale 0.5; columns vary "
                + "orientation and position.*\n\n");
        sb.append("## Reproduce\n\n```\nmvn -q compile exec:java -Dexperiment=metrics-check\n```\n\n");
        sb.append(String.format(Locale.ROOT, "Took %.1f s; git %s%s; %s; written %s.%n", seconds, git[0],
                Boolean.parseBoolean(git[1]) ? " (dirty)" : "", "Java " + System.getProperty("java.version"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return sb.toString();
    }

    /** Twelve columns of sprites: shapes in rows, at scale 1 then 0.5; orientation and position vary by column. */
    private static Path spriteGrid(Path png) throws IOException {
        int cols = 12, rows = 6, s = Sprites.SIZE, pad = 2, zoom = 2;
        BufferedImage img = new BufferedImage(cols * (s + pad) * zoom, rows * (s + pad) * zoom, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int xx = 0; xx < img.getWidth(); xx++) img.setRGB(xx, y, 0xFFFFFF);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                float[] p = Sprites.render(r % 3, r < 3 ? 5 : 0, (c * 7) % 40, (c * 3 + r * 5) % 32, (c * 11 + r * 7) % 32);
                for (int i = 0; i < s * zoom; i++)
                    for (int j = 0; j < s * zoom; j++)
                        img.setRGB(c * (s + pad) * zoom + j, r * (s + pad) * zoom + i,
                                p[(i / zoom) * s + j / zoom] > 0 ? 0xFFFFFF : 0x1B1B3A);
            }
        Files.createDirectories(png.getParent());
        Path tmp = Files.createTempFile(png.getParent(), ".sprites", ".png");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return png;
    }

    private static String num(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%+.2e", v);
    }

    private static String fmtList(double[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3g", v[i]));
        return sb.append(')').toString();
    }
}
