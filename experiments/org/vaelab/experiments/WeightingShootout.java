package org.vaelab.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaelab.data.Binarization;
import org.vaelab.data.DataSources;
import org.vaelab.experiment.Arm;
import org.vaelab.experiment.Budgets;
import org.vaelab.experiment.Experiment;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.PairedComparison;
import org.vaelab.metrics.Ranking;
import org.vaelab.metrics.RdSlopes;
import org.vaelab.metrics.Summary;
import org.vaelab.model.Activation;
import org.vaelab.model.Likelihood;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.report.MarkdownReport;
import org.vaelab.report.RunRecord;
import org.vaelab.train.RunConfig;
import org.vaelab.report.RunFiles;
import org.vaelab.experiment.Overrides;
import org.vaelab.train.DataConfig;
import org.vaelab.train.StepLog;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.CapacityAnnealing;
import org.vaelab.weighting.ConstantBeta;
import org.vaelab.weighting.ControlVae;
import org.vaelab.weighting.CyclicalAnnealing;
import org.vaelab.weighting.FreeBits;
import org.vaelab.weighting.Geco;
import org.vaelab.weighting.LinearWarmup;
import org.vaelab.weighting.MeanReduction;
import org.vaelab.weighting.SigmaVae;
import org.vaelab.weighting.SigmoidAnnealing;
import org.vaelab.weighting.Span;
import org.vaelab.loss.TraceKey;
import org.vaelab.weighting.Weighting;

/**
 * <h2>Weighting shootout: every KL-weighting scheme on one model, one data set, one budget</h2>
 *
 * <p>Warm-up, cyclical annealing, capacity, free bits, GECO, ControlVAE, σ-VAE: each paper compares its scheme with
 * a plain VAE, on its own model, data and budget. This experiment puts all of them side by side on Fashion-MNIST with
 * the same MLP, the same seeds (so the same initialisation, batches and noise ε), the same number of epochs, and each
 * scheme's defaults from its paper (docs/theory.md §2), next to a β sweep that traces the rate–distortion curve they
 * should be read against (Alemi et al. 2018).
 *
 * <p>Setup: Fashion-MNIST, full 60,000/10,000, dynamically binarised (every row sees the same binary targets); MLP
 * 784-512-256-32 ReLU with a Bernoulli decoder in every row but the two σ-VAE rows, which need a Gaussian decoder
 * (their Rec and ELBO are Gaussian densities of the same binary targets, not comparable with the Bernoulli rows';
 * their labels say "Gaussian"). GECO trains the Bernoulli network through the squared error of its mean (its label
 * says "SSE") with κ = 0.32, i.e. a per-pixel mean squared error of 0.102: the binarisation alone leaves
 * E[p(1−p)] = 0.080 on these images (no decoder can predict the coin flips), and β = 1 reached about 0.097–0.10
 * after three epochs in a probe, so GECO is asked for roughly β = 1's reconstruction and chooses its own rate.
 * ControlVAE's set point is 25 nats, the capacity scheme's C_max, so that the two rate-targeting schemes aim at the
 * same rate (β = 1 keeps about 14 nats here). Adam 10⁻³, batch 128, {@value #EPOCHS} epochs, 5 seeds.
 *
 * <p>The two free-bits rows form a group (a λ sweep, joined in the rate–distortion plane) and so do the two σ-VAE
 * rows (Gaussian decoder): besides saying what belongs together, the groups give them their own marker shapes, so
 * that no two of the 19 rows share both colour and marker in the plane (the palette has 8 colours).
 *
 * <p>Budget. The default budget trains 19 configurations × 5 seeds = 95 runs of {@value #EPOCHS} epochs of 469 steps,
 * 445,550 steps in all: five seeds because every "better" or "not separable" in the discussion is a paired interval
 * over seeds, and with three the intervals were too wide to separate rows a nat apart. On an idle 2-core machine a
 * Bernoulli run trains in 30–45 s (100–150 steps/s) and its evaluation, with the importance-weighted NLL at K = 100
 * on all 10,000 test images, takes about 10 s; the 54 three-seed runs took 31 min, so the 95 take about 50–65 min
 * one after another ({@code -Dworkers} shortens that where it is available). A consequence
 * of the paper length: the warm-up keeps its 10 epochs, which is the whole run, so β reaches 1 only at the last step;
 * hence the second warm-up row ({@link #WARMUP_QUARTER}), whose length is a fraction of the run.
 * {@code -Dbudget=smoke} is an end-to-end check of under a minute of training: 1 epoch on the first 5,000 training
 * and 1,000 test images, 1 seed; its numbers say nothing about the schemes.
 * {@code -Dbudget=long} trains the seven leading schemes ({@link #LEADING}) for {@value #LONG_EPOCHS} epochs with a
 * test curve every {@value #CURVE_EVERY} epochs, and its discussion says whether each had stopped improving and whether
 * the default budget's ranking survives ({@link ShootoutConvergence}); its report is
 * {@code reports/weighting-shootout.budget-long/report.md}.
 *
 * <p>Long because it is one notebook page: the setting, the arms and the discussion computed from the runs read
 * top to bottom, and the discussion needs every scheme's own sentence.
 *
 * <p>Run: {@code mvn -q compile exec:java -Dexperiment=weighting-shootout [-Dbudget=smoke]}; the report is
 * {@code reports/weighting-shootout/report.md}. Its "What the numbers say" section is written from the finished runs.
 */
public final class WeightingShootout implements Experiment {

    /** Epochs of the default budget (see the class comment for how it was sized). */
    static final int EPOCHS = 10;

    /**
     * A named compute budget.
     *
     * @param name       as given with {@code -Dbudget=}
     * @param epochs     epochs per run
     * @param trainLimit first n training images (0 = all)
     * @param testLimit  first n test images (0 = all)
     * @param seeds      seeds per configuration
     */
    record Budget(String name, int epochs, int trainLimit, int testLimit, int seeds) {
    }

    static final Budget DEFAULT = new Budget(DEFAULT_BUDGET, EPOCHS, 0, 0, 5);
    static final Budget SMOKE = new Budget("smoke", 1, 5000, 1000, 1);
    /**
     * The leading schemes ({@link #LEADING}) trained {@value #LONG_EPOCHS} epochs, with a test curve every
     * {@value #CURVE_EVERY}: does the default budget's ranking survive longer training? 35 runs, about 2 h on two
     * idle cores (about 3.6 s per epoch, 7 s of curve and 11 s of final evaluation per run). At 20 epochs every row
     * was still improving by about 0.25 nats per epoch, hence 50: the longest that fits a 2-hour session with margin.
     */
    static final int LONG_EPOCHS = 50, CURVE_EVERY = 5, CONVERGENCE_WINDOW = 10;
    static final Budget LONG = new Budget("long", LONG_EPOCHS, 0, 0, 5);

    /** The budget named by {@code value} (null or empty for the default), or an exception listing the names. */
    static Budget budget(String value) {
        return Budgets.named(value, List.of(DEFAULT, SMOKE, LONG), Budget::name);
    }

    /**
     * A warm-up over the first quarter of any run (the claims experiment's choice). The paper's 10 epochs are the whole
     * default run, so that row never trains at β = 1 and does not test warm-up; this one leaves three quarters of every
     * budget at β = 1.
     */
    static final LinearWarmup WARMUP_QUARTER = new LinearWarmup(0, 1, Span.ofRun(0.25));

    /** The β sweep; β = 1 is the plain ELBO. */
    static final double[] BETAS = {0.1, 0.25, 0.5, 1, 2, 4, 8};
    static final String SWEEP = "β sweep", FREE_BITS = "free bits λ", SIGMA_VAE = "σ-VAE (Gaussian)";
    /** GECO's target per-pixel RMS error (see the class comment). */
    static final double GECO_KAPPA = 0.32;
    /** ControlVAE's KL set point: the capacity scheme's C_max. */
    static final double KL_TARGET = CapacityAnnealing.paperDefaults().capacityMax();

    static final VaeArchitecture BERNOULLI = VaeArchitecture.bernoulli(784, List.of(512, 256), 32, Activation.RELU);
    /** The σ-VAE's starting σ = 1 is the official code's log σ = 0; the weighting replaces it from the first step. */
    static final VaeArchitecture GAUSSIAN = VaeArchitecture.gaussian(784, List.of(512, 256), 32, Activation.RELU, 1.0);

    private final Budget budget;

    /** With the default budget; {@code -Dbudget} reaches it through {@link #withBudget}. */
    public WeightingShootout() {
        this(DEFAULT);
    }

    /** With a given budget. */
    WeightingShootout(Budget budget) {
        this.budget = budget;
    }

    private Budget budget() {
        return budget;
    }

    @Override
    public List<String> budgets() {
        return List.of(DEFAULT.name(), SMOKE.name(), LONG.name());
    }

    @Override
    public WeightingShootout withBudget(String name) {
        return new WeightingShootout(budget(name));
    }

    @Override
    public String name() {
        return "weighting-shootout";
    }

    /** After the quickstart: the study the toolkit exists for. */
    @Override
    public int listingOrder() {
        return 10;
    }

    @Override
    public String summary() {
        return "every weighting scheme vs a β sweep on Fashion-MNIST, one model and budget; -Dbudget=smoke for a quick check, -Dbudget=long for longer training of the leading schemes";
    }

    @Override
    public String question() {
        Budget b = budget();
        return """
                **Question.** Given one model, one data set and one training budget, which way of weighting the KL term
                against reconstruction should you use, and for what?

                Every scheme runs with the defaults of its paper (docs/theory.md §2) on Fashion-MNIST, dynamically binarised,
                MLP 784-512-256-32 ReLU, next to a β sweep that traces the rate–distortion curve (Alemi et al. 2018).
                Decoders: Bernoulli in every row except the two **σ-VAE** rows (Gaussian, one shared calibrated σ); their
                Rec and ELBO are Gaussian densities of the same binary targets and are **not comparable** with the
                Bernoulli rows' (compare their rate and active units instead). **GECO** trains the Bernoulli network
                through the squared error of its mean (κ = %s, a per-pixel MSE of %s, about what β = 1 reaches;
                binarisation alone leaves 0.080); **capacity** and **ControlVAE** both aim at a rate of %s nats.
                Schedules that the papers define in epochs keep them (%s); the others scale with the run%s.
                In the rate–distortion plane the dashed lines join the rows of a group: the β sweep (the R–D curve the
                others are read against), the free-bits λ sweep, and the σ-VAE's two ways of calibrating σ.
                """.formatted(GECO_KAPPA, fmt(GECO_KAPPA * GECO_KAPPA, 3), fmt(KL_TARGET, 0), warmUpNote(b.epochs()),
                b == LONG ? "" : ", and a second warm-up row (**" + WARMUP_QUARTER.label() + "**) lasts the first quarter"
                        + " of any run, so that one warm-up row is followed by training at β = 1 at every budget")
                + (b == SMOKE ? "\n**Budget `" + b.name() + "`:** " + b.epochs() + " epoch(s) on the first "
                + b.trainLimit() + " training and " + b.testLimit() + " test images, " + b.seeds()
                + " seed(s): a check that everything runs, not a result.\n" : "")
                + (b == LONG ? "\n**Budget `long`:** the " + LEADING.size() + " leading schemes only, " + b.epochs()
                + " epochs instead of " + EPOCHS + ", " + b.seeds() + " seeds. Every " + CURVE_EVERY + " epochs each run"
                + " records its test IW-NLL (K = 100) on the first 1,000 test images (the *test curve*), with the same"
                + " importance samples at every point; the final metrics use all 10,000. Schedules keep their papers'"
                + " settings, so the warm-up is the first 10 epochs and cyclical annealing's 4 cycles stretch over the"
                + " whole run.\n" : "");
    }

    /** What the warm-up's paper length of 10 epochs means in a run of {@code epochs}. */
    private static String warmUpNote(int epochs) {
        int n = (int) LinearWarmup.paperDefaults().length().amount();
        if (epochs > n) return "the warm-up's " + n + " epochs are the first " + n + " of this run's " + epochs;
        if (epochs == n) return "the warm-up's " + n + " epochs are this whole run: β reaches 1 only at the last step";
        return "the warm-up's " + n + " epochs are longer than this run's " + epochs + ": β never reaches 1";
    }

    @Override
    public int seeds() {
        return budget().seeds();
    }

    @Override
    public List<Arm> arms() {
        Budget b = budget();
        DataConfig data = new DataConfig(DataSources.FASHION_MNIST, Binarization.DYNAMIC, b.trainLimit(), b.testLimit());
        TrainConfig train = new TrainConfig(b.epochs(), 128, 1e-3).withCurveEvery(b == LONG ? CURVE_EVERY : 0);
        List<Arm> arms = new ArrayList<>();
        for (double beta : BETAS) arms.add(new Arm(new ConstantBeta(beta).label(), SWEEP, data, BERNOULLI, new ConstantBeta(beta), train));
        arms.add(new Arm(meanLabel(), "", data, BERNOULLI, new MeanReduction(0.1), train));
        List<Weighting> schemes = List.of(LinearWarmup.paperDefaults(), WARMUP_QUARTER, SigmoidAnnealing.defaults(),
                CyclicalAnnealing.paperDefaults(), CapacityAnnealing.paperDefaults(), Geco.withTarget(GECO_KAPPA),
                ControlVae.paperGains(KL_TARGET));
        for (Weighting w : schemes) {
            String label = w instanceof Geco ? w.label() + " (SSE)" : w.label();
            arms.add(new Arm(label, "", data, BERNOULLI, w, train));
        }
        for (FreeBits f : List.of(FreeBits.paperDefaults(), new FreeBits(1)))
            arms.add(new Arm(f.label(), FREE_BITS, data, BERNOULLI, f, train));
        for (SigmaVae s : List.of(SigmaVae.learned(), SigmaVae.optimal()))
            arms.add(new Arm(s.label() + " (Gaussian)", SIGMA_VAE, data, GAUSSIAN, s, train));
        if (b == LONG) arms.removeIf(a -> !LEADING.contains(a.label()));
        return arms;
    }

    /** The schemes the long budget trains: β = 1 and the schemes a reader is most likely to pick instead. */
    static final List<String> LEADING = List.of(new ConstantBeta(1).label(), LinearWarmup.paperDefaults().label(),
            CyclicalAnnealing.paperDefaults().label(), FreeBits.paperDefaults().label(),
            ControlVae.paperGains(KL_TARGET).label(), SigmaVae.optimal().label() + " (Gaussian)", meanLabel());

    private static String meanLabel() {
        MeanReduction mean = new MeanReduction(0.1);
        return mean.label() + String.format(Locale.ROOT, " (β_eff=%.3g)",
                mean.betaEffective(BERNOULLI.inputDim(), BERNOULLI.latentDim()));
    }

    /** The default budget's runs of the long budget's configurations, from the canonical run store; empty if none. */
    private List<RunRecord> defaultBudgetRuns() {
        Path runsDir = Path.of(System.getProperty("vaelab.reports", "reports"), name(), "runs");
        List<RunRecord> out = new ArrayList<>();
        for (RunConfig c : Overrides.none().runs(new WeightingShootout(DEFAULT)))
            if (LEADING.contains(c.label())) RunFiles.findLatest(runsDir, c).filter(r -> !r.failed()).ifPresent(out::add);
        return out;
    }

    // ------------------------------------------------------------------ discussion

    /** Seed means of one configuration, and its runs for paired comparisons. */
    private record Row(String label, boolean gaussian, Summary elbo, double rec, double kl, double au,
                       Map<TraceKey, Double> lastWeights, List<RunRecord> runs) {

        /** {@code metric} by seed, for {@link Ranking} and {@link PairedComparison}. */
        Map<Long, Double> bySeed(MetricId metric) {
            return RunRecord.bySeed(runs, metric);
        }

        Summary summary(MetricId metric) {
            return Summary.of(bySeed(metric).values().stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * Written from the numbers of this run: nothing here is decided in advance. Every "better", "tied" or "worse" is
     * a paired comparison over the seeds the rows share ({@link Ranking}); the likelihood is the IW-NLL bound, not
     * the ELBO, which β = 1 maximises by construction.
     */
    @Override
    public String discussion(List<RunRecord> runs) {
        Map<String, List<RunRecord>> byLabel = new LinkedHashMap<>();
        for (RunRecord r : runs) byLabel.computeIfAbsent(r.config().label(), k -> new ArrayList<>()).add(r);
        Map<String, Row> rows = new LinkedHashMap<>();
        byLabel.forEach((label, rs) -> rows.put(label, row(label, rs)));
        List<Row> bernoulli = rows.values().stream().filter(r -> !r.gaussian()).toList();
        List<Row> sweep = new ArrayList<>();
        for (double b : BETAS) {
            Row r = rows.get(new ConstantBeta(b).label());
            if (r != null) sweep.add(r);
        }
        Row elbo1 = rows.get(new ConstantBeta(1).label());
        int d = BERNOULLI.latentDim();
        boolean haveNll = !bernoulli.isEmpty() && bernoulli.stream().allMatch(r -> !r.bySeed(MetricId.IW_NLL).isEmpty());
        MetricId likelihood = haveNll ? MetricId.IW_NLL : MetricId.ELBO;
        String likelihoodName = haveNll ? "test IW-NLL" : "test ELBO";
        StringBuilder sb = new StringBuilder();
        if (bernoulli.isEmpty()) return "";
        if (budget() == LONG)
            sb.append(ShootoutConvergence.of(runs, defaultBudgetRuns(), CONVERGENCE_WINDOW, new ConstantBeta(1).label()))
                    .append("\n**The long runs read as the default budget's discussion reads them:**\n\n");
        Ranking byLikelihood = rank(bernoulli, likelihood);
        sb.append("- **Best ").append(likelihoodName).append(" (Bernoulli rows):** ").append(byLikelihood.sentence(2))
                .append(".\n");
        if (budget() == SMOKE)
            sb.append("\n*Budget `").append(budget().name()).append("`: too short to rank the schemes; the sentences below")
                    .append(" only show what the report computes.*\n\n");
        if (haveNll) {
            Ranking byElbo = rank(bernoulli, MetricId.ELBO);
            sb.append("- By test ELBO (a lower bound that β = 1 maximises by construction): ").append(byElbo.sentence(2))
                    .append(".\n");
        }
        int minSeeds = bernoulli.stream().mapToInt(r -> r.runs().size()).min().orElse(0);
        if (minSeeds < 5)
            sb.append("- Some rows have only ").append(minSeeds).append(" seed(s): a tie here may hide a real difference,"
                    + " and a paired interval from so few seeds is wide (the default is 5 seeds).\n");
        if (sweep.size() >= 2) {
            Row lo = sweep.get(0), hi = sweep.get(sweep.size() - 1);
            sb.append(String.format(Locale.ROOT, "- **The β sweep** from %s to %s moves the rate from %s to %s nats, the"
                            + " distortion from %s to %s nats and the active units from %s to %s of %d.%n",
                    lo.label(), hi.label(), fmt(lo.kl(), 1), fmt(hi.kl(), 1), fmt(lo.rec(), 1), fmt(hi.rec(), 1),
                    fmt(lo.au(), 1), fmt(hi.au(), 1), d));
            List<RdSlopes.Point> points = new ArrayList<>();
            for (int i = 0; i < BETAS.length; i++) {
                Row r = rows.get(new ConstantBeta(BETAS[i]).label());
                if (r != null) points.add(new RdSlopes.Point(BETAS[i], r.kl(), r.rec()));
            }
            sb.append("- **β = −∂D/∂R** (Alemi et al. 2018): the slope −ΔD/ΔR between neighbouring points of the sweep, from"
                    + " the seed means: ").append(RdSlopes.describe(RdSlopes.of(points))).append(".\n");
        }

        // Every other Bernoulli scheme against β = 1, paired over seeds.
        List<Row> schemes = bernoulli.stream().filter(r -> !sweep.contains(r)).toList();
        if (!schemes.isEmpty() && !sweep.isEmpty() && elbo1 != null) {
            sb.append("\n| scheme | ").append(haveNll ? "IW-NLL − IW-NLL(β=1)" : "ELBO − ELBO(β=1)")
                    .append(" (paired, 95% CI) | rate R | distortion D | active units | nearest β in rate |\n")
                    .append("|---|---:|---:|---:|---:|---|\n");
            for (Row r : schemes) {
                Row near = sweep.stream().min(Comparator.comparingDouble(s -> Math.abs(s.kl() - r.kl()))).orElseThrow();
                sb.append("| ").append(r.label()).append(" | ").append(paired(r, elbo1, likelihood)).append(" | ")
                        .append(fmt(r.kl(), 1)).append(" | ").append(fmt(r.rec(), 1)).append(" | ")
                        .append(fmt(r.au(), 1)).append(" | ").append(near.label()).append(" |\n");
            }
            sb.append('\n');
        }

        sb.append("**What to use when.** Each line is computed from the runs above; \"not separable\" means the paired")
                .append(" 95% interval of the difference over shared seeds contains 0.\n\n");
        sb.append("- *For the best test likelihood* (").append(likelihoodName).append("): ").append(byLikelihood.sentence(2))
                .append(".\n");

        // Posterior collapse: the best likelihood among rows that keep (nearly) every latent dimension active.
        double wanted = 0.9 * d;
        List<Row> full = bernoulli.stream().filter(r -> r.au() >= wanted).toList();
        if (!full.isEmpty()) {
            Ranking inFull = rank(full, likelihood);
            Row f = rows.get(inFull.best().label());
            sb.append(String.format(Locale.ROOT, "- *To avoid posterior collapse*, among the %d rows with at least %s of %d"
                    + " units active: %s", full.size(), fmt(wanted, 1), d, inFull.sentence(2)));
            Row best = rows.get(byLikelihood.best().label());
            if (f != best) sb.append(String.format(Locale.ROOT, ". Against the best row %s (%s active units): %s",
                    best.label(), fmt(best.au(), 1), paired(f, best, likelihood)));
            sb.append(".\n");
        }
        List<String> saturated = MarkdownReport.saturatedMiRows(byLabel);
        if (!saturated.isEmpty())
            sb.append("- *Mutual information* cannot rank ").append(saturated.size()).append(" of ").append(rows.size())
                    .append(" rows: their MI is within 0.1 nats of its bound log N (").append(String.join(", ", saturated))
                    .append("). Active units and the rate separate them instead.\n");

        // Rate targets: which scheme reaches the rate and at what distortion.
        List<Row> rateTargeting = rows.values().stream()
                .filter(r -> r.label().startsWith("capacity") || r.label().startsWith("ControlVAE")).toList();
        if (!rateTargeting.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Row r : rateTargeting) {
                Summary kl = r.summary(MetricId.KL);
                parts.add(String.format(Locale.ROOT, "%s ends at a rate of %s nats (95%% CI %s to %s) with a distortion of %s",
                        r.label(), fmt(kl.mean(), 1), fmt(kl.ciLow(), 1), fmt(kl.ciHigh(), 1), fmt(r.rec(), 1)));
            }
            sb.append(String.format(Locale.ROOT, "- *To get a chosen rate* (target %s nats): %s", fmt(KL_TARGET, 0), String.join("; ", parts)));
            // Distortions are comparable only where both reached the rate (within 10% of the target).
            List<String> missed = rateTargeting.stream().filter(r -> Math.abs(r.kl() - KL_TARGET) > 0.1 * KL_TARGET)
                    .map(Row::label).toList();
            if (!missed.isEmpty()) {
                sb.append(". Off target by more than 10%: ").append(String.join(", ", missed));
            } else if (rateTargeting.size() == 2) {
                Row a = rateTargeting.get(0), b = rateTargeting.get(1);
                sb.append(String.format(Locale.ROOT, ". Distortion of %s minus %s at the same target: %s", a.label(), b.label(),
                        paired(a, b, MetricId.REC)));
            }
            sb.append(".\n");
        }
        for (Row r : rows.values()) {
            if (!r.label().startsWith("GECO")) continue;
            Double cma = r.lastWeights().get(TraceKey.CONSTRAINT_MA), lambda = r.lastWeights().get(TraceKey.LAMBDA);
            if (cma == null || lambda == null) continue;
            double mse = cma + GECO_KAPPA * GECO_KAPPA;
            sb.append(String.format(Locale.ROOT, "- *To get a chosen reconstruction error:* %s ends training at a per-pixel MSE of"
                            + " about %s (moving average, mean over seeds) for a target of %s: the constraint is %s; λ = %s."
                            + " It picks its own rate, %s nats; its %s against β=1: %s.%n", r.label(), fmt(mse, 4),
                    fmt(GECO_KAPPA * GECO_KAPPA, 4), cma <= 0 ? "met" : "not met", String.format(Locale.ROOT, "%.3g", lambda),
                    fmt(r.kl(), 1), likelihoodName, elbo1 == null ? "–" : paired(r, elbo1, likelihood)));
        }
        Row recipe = rows.values().stream().filter(r -> r.label().startsWith("mean")).findFirst().orElse(null);
        if (recipe != null && !sweep.isEmpty()) {
            Row near = sweep.stream().min(Comparator.comparingDouble(s -> Math.abs(s.kl() - recipe.kl()))).orElseThrow();
            sb.append(String.format(Locale.ROOT, "- *The mean-reduction recipe* (%s) is a fixed β in disguise: it lands nearest to %s in"
                            + " rate and keeps %s active units", recipe.label(), near.label(), fmt(recipe.au(), 1)));
            if (elbo1 != null) sb.append("; its ").append(likelihoodName).append(" against β=1: ")
                    .append(paired(recipe, elbo1, likelihood));
            sb.append(". Choose β on purpose instead.\n");
        }
        for (Row r : rows.values()) {
            if (!r.label().startsWith("free bits")) continue;
            double lambda = Double.parseDouble(r.label().replaceAll("[^0-9.]", ""));
            sb.append(String.format(Locale.ROOT, "- *Free bits %s* puts a floor of λ·d = %s nats under the rate; it ends at %s nats"
                            + " with %s active units; its %s against β=1: %s.%n", r.label().substring("free bits ".length()),
                    fmt(lambda * d, 0), fmt(r.kl(), 1), fmt(r.au(), 1), likelihoodName,
                    elbo1 == null ? "–" : paired(r, elbo1, likelihood)));
        }
        for (Row r : rows.values()) {
            if (!r.gaussian()) continue;
            Double sigma = r.lastWeights().get(TraceKey.SIGMA);
            sb.append(String.format(Locale.ROOT, "- *No β to tune (σ-VAE):* %s keeps a rate of %s nats with %s active units",
                    r.label(), fmt(r.kl(), 1), fmt(r.au(), 1)));
            if (sigma != null) sb.append(String.format(Locale.ROOT, "; its σ ends at %s, an implied β = 2σ² = %s on summed squared error",
                    String.format(Locale.ROOT, "%.3g", sigma), String.format(Locale.ROOT, "%.3g", 2 * sigma * sigma)));
            sb.append(" (Gaussian decoder: its likelihood is not comparable with the Bernoulli rows').\n");
        }
        sb.append("- *For disentanglement* this report has no answer: Fashion-MNIST has no ground-truth factors to score.\n")
                .append("\n*Not tested here:* other architectures (convolutional, deeper), other learning rates and"
                        + " initialisations")
                .append(budget() == LONG ? " (whether the runs had stopped improving is in the long-budget section above).\n"
                        : ", and training to convergence: every row stops after " + budget().epochs() + " epoch(s), so a"
                        + " ranking that rests on a gap of a few nats may change with a longer budget"
                        + " (`-Dbudget=long` trains the leading schemes for " + LONG_EPOCHS + " epochs).\n");
        return sb.toString();
    }

    /** The rows ranked by {@code metric}: lower is better for IW-NLL and Rec, higher for the ELBO. */
    private static Ranking rank(List<Row> rows, MetricId metric) {
        Map<String, Map<Long, Double>> values = new LinkedHashMap<>();
        for (Row r : rows) values.put(r.label(), r.bySeed(metric));
        return Ranking.of(metric.toString(), metric != MetricId.ELBO, values);
    }

    /** {@code a − b} in {@code metric}, paired over shared seeds, with its interval and a word on what it shows. */
    private static String paired(Row a, Row b, MetricId metric) {
        Map<Long, Double> x = a.bySeed(metric), y = b.bySeed(metric);
        long shared = x.keySet().stream().filter(y::containsKey).count();
        if (shared < 2) return "no shared seeds to compare";
        PairedComparison c = PairedComparison.bySeed(x, y);
        String word = ShootoutConvergence.word(c, metric != MetricId.ELBO);
        return String.format(Locale.ROOT, "%+.2f ± %.2f (%s, n = %d)", c.meanDifference(), c.halfWidth(), word, c.n());
    }

    private static Row row(String label, List<RunRecord> rs) {
        double[] elbo = rs.stream().mapToDouble(r -> r.metrics().get(MetricId.ELBO)).toArray();
        double rec = rs.stream().mapToDouble(r -> r.metrics().get(MetricId.REC)).average().orElse(Double.NaN);
        double kl = rs.stream().mapToDouble(r -> r.metrics().get(MetricId.KL)).average().orElse(Double.NaN);
        double au = rs.stream().mapToDouble(r -> r.metrics().get(MetricId.ACTIVE_UNITS)).average().orElse(Double.NaN);
        // The last value of each traced weight, averaged over seeds.
        Map<TraceKey, Double> last = new LinkedHashMap<>();
        for (RunRecord r : rs) {
            StepLog log = r.steps();
            if (log == null || log.size() == 0) continue;
            log.weights().forEach((k, col) -> last.merge(k, col[col.length - 1] / rs.size(), Double::sum));
        }
        boolean gaussian = rs.get(0).config().model().likelihood() == Likelihood.GAUSSIAN;
        return new Row(label, gaussian, Summary.of(elbo), rec, kl, au, last, List.copyOf(rs));
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
