package org.vaelab.experiments;

import static org.vaelab.experiments.Claims.BETAS;
import static org.vaelab.experiments.Claims.beta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.vaelab.claims.Claim;
import org.vaelab.claims.Comparison;
import org.vaelab.claims.Direction;
import org.vaelab.claims.Rule;
import org.vaelab.claims.SeedTable;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.MigMetric;
import org.vaelab.metrics.MutualInformationMetric;
import org.vaelab.metrics.RdSlopes;

/**
 * The claims of {@link Claims}, each written down with its rule before any run: the paper, the claim, the quantity,
 * how one seed's effect is formed, the setting, how it departs from the paper's, and the margin of every "no cost",
 * "holds at" or "matches" claim. Margins are chosen to be small next to the effects the papers report and large next
 * to the Monte-Carlo error of the estimates (IW-NLL ≤ 0.01 nats here).
 */
final class ClaimsCatalogue {

    /** GECO's training constraint at the last step, C_ma / κ² (from steps.csv), under an id of the experiment's own. */
    static final MetricId GECO_CONSTRAINT = MetricId.model("final_constraint_ma_over_kappa2");

    private ClaimsCatalogue() {
    }

    /** The claims, in report order. */
    static List<Claim> all(Claims.Budget b) {
        String digits = "MNIST digits (" + limits(b, "7,996 / 2,004") + "), dynamically binarised; MLP 784-200-200-50 tanh,"
                + " Bernoulli decoder; Adam 1e-3, batch 100, " + epochs(b.digitsEpochs()) + "; " + seeds(b.seeds());
        String grey = digits.replace("dynamically binarised", "grey levels (not binarised)").replace("Bernoulli decoder", "Gaussian decoder");
        String sprites = "generated sprites (" + limits(b, "10,000 / 2,000") + ", 64×64 binary, 5 known factors); MLP 4096-256-10"
                + " ReLU, Bernoulli; Adam 1e-3, batch 100, " + epochs(b.spritesEpochs()) + "; " + seeds(b.seeds());
        String shortRun = "a run of " + epochs(b.digitsEpochs()) + " on " + (b.trainLimit() == 0 ? "7,996" : b.trainLimit())
                + " images, far from the papers' hundreds to thousands of epochs on 60,000, so nothing here is at convergence";
        String b1 = beta(1);
        List<String> sweep = Arrays.stream(BETAS).mapToObj(Claims::beta).toList();
        List<Claim> c = new ArrayList<>();

        c.add(new Claim("alemi18-convex", "Alemi et al. 2018 (arXiv:1711.00464)",
                "a β sweep traces a convex rate–distortion frontier", "smallest chord excess of the (R, D) points", "nats", 2,
                new Comparison.PerSeed("for each interior β of the sweep, the distortion of the chord between its neighbours"
                        + " minus its own distortion, the smallest of these (> 0 iff every point lies below its chord)",
                        sweep, ClaimsCatalogue::convexity),
                new Rule.Directional(Direction.INCREASE),
                digits + "; β ∈ {0.25, 0.5, 1, 2, 4}; R and D on the test set",
                "the paper sweeps β on statically binarised MNIST with convolutional and autoregressive models; here a"
                        + " small MLP, five β, " + shortRun));
        c.add(new Claim("alemi18-slope", "Alemi et al. 2018 (arXiv:1711.00464)",
                "along the frontier β = −∂D/∂R", "RMS of log(secant slope / √(β_i·β_{i+1}))", "", 3,
                new Comparison.PerSeed("for each pair of neighbouring β, the secant slope −ΔD/ΔR of their (R, D) points on"
                        + " a log scale against the geometric mean of the two β; the root mean square over the four pairs."
                        + " If each model minimises its own D + β·R, the slope lies between the two β, i.e. within ½·ln 2 of"
                        + " their geometric mean", sweep, ClaimsCatalogue::slopeMismatch),
                new Rule.Equivalent(0.5 * Math.log(2)),
                digits + "; β ∈ {0.25, 0.5, 1, 2, 4}; R and D on the test set",
                "as alemi18-convex; the derivative is a secant between neighbouring β, so the margin is the bracket the"
                        + " secant must lie in (½·ln 2 for β doubling), not a tolerance of our choosing"));

        c.add(new Claim("sonderby16-nll", "Sønderby et al. 2016 (arXiv:1602.02282); Bowman et al. 2016",
                "KL warm-up improves the test log-likelihood over β = 1", "test IW-NLL (K = 5,000; 100 in the re-runs)", "nats", 2,
                new Comparison.Paired(Claims.WARMUP_L, b1, MetricId.IW_NLL), new Rule.Directional(Direction.DECREASE),
                digits + "; β rises linearly from 0 to 1 over the first " + pct(Claims.WARMUP_FRACTION) + " of the run",
                "Sønderby et al. warm up deep (ladder) VAEs with batch normalisation, Bowman et al. an LSTM VAE on text;"
                        + " both state the warm-up in epochs or steps of far longer runs, so here it is a fraction of the"
                        + " budget (our choice: a quarter, leaving three quarters at β = 1); one stochastic layer; " + shortRun));
        c.add(new Claim("sonderby16-au", "Sønderby et al. 2016 (arXiv:1602.02282); Bowman et al. 2016",
                "KL warm-up keeps more latent units active than β = 1", "active units (of 50)", "", 1,
                new Comparison.Paired(Claims.WARMUP_L, b1, MetricId.ACTIVE_UNITS), new Rule.Directional(Direction.INCREASE),
                digits + "; warm-up as in sonderby16-nll; a unit is active if its posterior mean varies across test images"
                        + " with variance > 0.01 (Burda et al.)", "as sonderby16-nll; units die slowly, so a short run may"
                        + " leave every unit above the threshold in both arms: then the count cannot separate them (guarded)",
                allActive(Claims.WARMUP_L, b1)));

        c.add(new Claim("kingma16-au", "Kingma et al. 2016 (arXiv:1606.04934)",
                "free bits keep more latent units active than β = 1", "active units (of 50)", "", 1,
                new Comparison.Paired(Claims.FREE_BITS_L, b1, MetricId.ACTIVE_UNITS), new Rule.Directional(Direction.INCREASE),
                digits + "; λ = 0.25 nats per latent dimension (openai/iaf's value)",
                "the paper grants free bits per group of latents in IAF models; here per dimension in a plain VAE; " + shortRun
                        + "; guarded as sonderby16-au", allActive(Claims.FREE_BITS_L, b1)));
        c.add(new Claim("kingma16-nll", "Kingma et al. 2016 (arXiv:1606.04934)",
                "free bits cost no test log-likelihood", "test IW-NLL (K = 5,000; 100 in the re-runs)", "nats", 2,
                new Comparison.Paired(Claims.FREE_BITS_L, b1, MetricId.IW_NLL), new Rule.NonInferior(Direction.DECREASE, 1),
                digits + "; as kingma16-au",
                "as kingma16-au; \"no cost\" is read as non-inferiority with a margin of 1 nat (about 1% of the NLL"
                        + " here): a gain is not a cost"));

        c.add(new Claim("fu19-mi", "Fu et al. 2019 (arXiv:1903.10145)",
                "cyclical annealing keeps more mutual information than monotonic warm-up", "MI I(x; z), q(z) over the test set",
                "nats", 2, new Comparison.Paired(Claims.CYCLICAL_L, Claims.WARMUP_L, MetricId.MI),
                new Rule.Directional(Direction.INCREASE),
                digits + "; M = 4 cycles, R = 0.5 (the paper's), against the warm-up of sonderby16-nll",
                "the paper: LSTM VAEs on text and dialogue; here images; MI cannot exceed log 2,004 = 7.60 nats on this"
                        + " test set, so it is guarded: a row at that bound cannot be ranked", saturatedMi()));
        c.add(new Claim("fu19-rate", "Fu et al. 2019 (arXiv:1903.10145)",
                "cyclical annealing keeps more KL (rate) than monotonic warm-up", "test rate R", "nats", 2,
                new Comparison.Paired(Claims.CYCLICAL_L, Claims.WARMUP_L, MetricId.KL), new Rule.Directional(Direction.INCREASE),
                digits + "; as fu19-mi", "as fu19-mi; the rate R ≥ I(x; z) is the bound the paper's MI argument rests on"));
        c.add(new Claim("fu19-distortion", "Fu et al. 2019 (arXiv:1903.10145)",
                "cyclical annealing reaches a reconstruction similar to monotonic warm-up's", "test distortion D", "nats", 2,
                new Comparison.Paired(Claims.CYCLICAL_L, Claims.WARMUP_L, MetricId.REC), new Rule.Equivalent(2),
                digits + "; as fu19-mi", "as fu19-mi; \"similar\" is read as equivalence within ±2 nats (about 2% of D here)"));

        c.add(new Claim("shao20-setpoint", "Shao et al. 2020 (arXiv:2004.05988)",
                "ControlVAE holds the KL at its set point", "test rate R − set point", "nats", 2,
                new Comparison.Offset(Claims.CONTROL_L, MetricId.KL, Claims.KL_TARGET),
                new Rule.Equivalent(0.05 * Claims.KL_TARGET),
                digits + "; set point " + (int) Claims.KL_TARGET + " nats (above β = 1's rate), the paper's gains K_p = 0.01,"
                        + " K_i = 10⁻⁴, β ∈ [0, 1]",
                "the paper controls the KL of the training batches; here the test rate is judged, within ±5% of the set"
                        + " point; " + shortRun));
        c.add(new Claim("rezende18-constraint", "Rezende & Viola 2018 (arXiv:1810.00597)",
                "GECO meets its reconstruction constraint", "final training constraint C_ma / κ²", "", 3,
                new Comparison.Offset(Claims.GECO_L, GECO_CONSTRAINT, 0), new Rule.NonInferior(Direction.DECREASE, 0.05),
                digits + "; κ = " + Claims.GECO_KAPPA + " (per-pixel MSE target " + String.format(Locale.ROOT, "%.4f", Claims.GECO_KAPPA * Claims.GECO_KAPPA)
                        + "), λ₀ = 1, α = 0.99, ν = 0.1 (ν is not given in the paper)",
                "the paper trains larger convolutional models on other image data; here the Bernoulli network is"
                        + " trained through the"
                        + " squared error of its mean; \"meets\" is read as a moving-average constraint at most 5% of κ² above"
                        + " 0 at the end of training (C_ma/κ² < 0.05)"));
        c.add(new Claim("rybkin21-sigma", "Rybkin et al. 2021 (arXiv:2006.13202)",
                "the σ-VAE (optimal σ) matches or beats the best fixed-σ Gaussian VAE without tuning",
                "test IW-NLL (K = 5,000; 100 in the re-runs), Gaussian densities of the grey images", "nats", 2,
                new Comparison.PerSeed(Claims.SIGMA_VAE_L + " − the fixed-σ arm with the lowest mean IW-NLL over seeds (chosen"
                        + " on the test set, which favours the fixed σ), paired by seed", rybkinArms(), ClaimsCatalogue::sigmaVsBest),
                new Rule.NonInferior(Direction.DECREASE, 1),
                grey + "; fixed σ ∈ {0.05, 0.1, 0.2} at β = 1 against σ* = RMS error of each batch",
                "the paper judges convolutional VAEs on natural images by likelihood and by sample quality (FID);"
                        + " here the likelihood"
                        + " only, a grid of three σ; \"matches\" is non-inferiority within 1 nat; " + shortRun));

        c.add(new Claim("burda16-k", "Burda et al. 2016 (arXiv:1509.00519)",
                "the importance-weighted bound tightens monotonically with K", "smallest drop of IW-NLL between successive K",
                "nats", 3, new Comparison.PerSeed("the IW-NLL of β = 1 from the first K' = 1, 10, … samples of each test image"
                        + " and with all K; the smallest decrease between successive K (> 0 iff monotone)", List.of(b1),
                        (t, seed) -> kDrop(t, b1, seed)),
                new Rule.Directional(Direction.INCREASE),
                digits + "; β = 1; K' = 1, 10, 100, 1,000 and K = 5,000 from the same samples (nested, so the drops are paired);"
                        + " 1, 10, 100 in the re-runs",
                "a theorem of the paper (its Theorem 1), checked here as a property of vaelab's estimator on trained"
                        + " models, up to the paper's K = 5,000"));
        c.add(new Claim("burda16-au", "Burda et al. 2016 (arXiv:1509.00519)",
                "a larger β leaves fewer active units", "slope of active units against log₂ β", "units per doubling", 2,
                new Comparison.PerSeed("least-squares slope of the active units of the five β against log₂ β", sweep,
                        ClaimsCatalogue::activeUnitSlope),
                new Rule.Directional(Direction.DECREASE),
                digits + "; β ∈ {0.25, 0.5, 1, 2, 4}; Burda et al.'s own architecture",
                "the paper defines the count and compares VAEs with IWAEs at β = 1 on 60,000 MNIST images after 3,280"
                        + " passes; it does not vary β, so this row tests the usual reading of its account (units that pay"
                        + " KL without helping the likelihood are switched off, more so when the KL weighs more); " + shortRun));

        c.add(new Claim("higgins17-mig", "Higgins et al. 2017 (β-VAE, ICLR)",
                "β > 1 disentangles better than β = 1", "test MIG (Chen et al. 2018)", "", 3,
                new Comparison.Paired(Claims.SPRITES_B4, Claims.SPRITES_B1, MigMetric.MIG), new Rule.Directional(Direction.INCREASE),
                sprites + "; β = 4 (the paper's dSprites value) against β = 1",
                "the paper uses dSprites (737,280 images), a larger MLP and its own disentanglement score; here 10,000"
                        + " generated sprites of the same design, a small MLP, MIG, " + epochs(b.spritesEpochs())));
        c.add(new Claim("burgess18-distortion", "Burgess et al. 2018 (arXiv:1804.03599)",
                "capacity annealing reconstructs better than the β-VAE", "test distortion D", "nats", 2,
                new Comparison.Paired(Claims.SPRITES_CAP, Claims.SPRITES_B4, MetricId.REC), new Rule.Directional(Direction.DECREASE),
                sprites + "; γ = 1000, C_max = 25 nats reached at half-time, against β = 4",
                "the paper raises C over 10⁵ iterations with a convolutional network on dSprites; here C reaches 25 nats"
                        + " at half of a run of " + epochs(b.spritesEpochs())));
        c.add(new Claim("burgess18-mig", "Burgess et al. 2018 (arXiv:1804.03599)",
                "capacity annealing disentangles about as well as the β-VAE", "test MIG", "", 3,
                new Comparison.Paired(Claims.SPRITES_CAP, Claims.SPRITES_B4, MigMetric.MIG),
                new Rule.NonInferior(Direction.INCREASE, 0.05),
                sprites + "; as burgess18-distortion",
                "as burgess18-distortion; \"comparable\" is non-inferiority: MIG at most 0.05 below the β-VAE's"));
        return c;
    }

    private static String limits(Claims.Budget b, String all) {
        return b.trainLimit() == 0 && b.testLimit() == 0 ? all : "first " + b.trainLimit() + " / " + b.testLimit();
    }

    private static String epochs(int n) {
        return n == 1 ? "1 epoch" : n + " epochs";
    }

    private static String seeds(int n) {
        return n == 1 ? "seed 1" : "seeds 1–" + n;
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * f);
    }

    /** The arms of the σ-VAE claim: the σ-VAE and every fixed σ. */
    private static List<String> rybkinArms() {
        List<String> arms = new ArrayList<>(List.of(Claims.SIGMA_VAE_L));
        for (double s : Claims.FIXED_SIGMAS) arms.add(Claims.sigmaLabel(s));
        return arms;
    }

    // ------------------------------------------------------------------ per-seed statistics

    /** Rate and distortion of the sweep's arms for one seed, in β order. */
    private static double[][] rateDistortion(SeedTable t, long seed) {
        double[][] rd = new double[BETAS.length][];
        for (int i = 0; i < BETAS.length; i++)
            rd[i] = new double[]{t.get(beta(BETAS[i]), seed, MetricId.KL), t.get(beta(BETAS[i]), seed, MetricId.REC)};
        for (int i = 1; i < rd.length; i++)
            if (!(rd[i][0] < rd[i - 1][0]))
                throw new IllegalArgumentException("the rate does not fall from " + beta(BETAS[i - 1]) + " to "
                        + beta(BETAS[i]) + String.format(Locale.ROOT, " (%.2f → %.2f nats): no frontier to test", rd[i - 1][0], rd[i][0]));
        return rd;
    }

    /** The smallest chord excess over the sweep's interior points (rates fall as β grows). */
    static double convexity(SeedTable t, long seed) {
        double[][] rd = rateDistortion(t, seed);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 1; i < rd.length - 1; i++) {
            double[] hi = rd[i - 1], mid = rd[i], lo = rd[i + 1];   // rates: hi > mid > lo
            double chord = lo[1] + (hi[1] - lo[1]) * (mid[0] - lo[0]) / (hi[0] - lo[0]);
            min = Math.min(min, chord - mid[1]);
        }
        return min;
    }

    /** RMS over neighbouring β of log(chord slope / √(β_i β_{i+1})), the chords from {@link RdSlopes}. */
    static double slopeMismatch(SeedTable t, long seed) {
        double[][] rd = rateDistortion(t, seed);
        List<RdSlopes.Point> points = new ArrayList<>();
        for (int i = 0; i < rd.length; i++) points.add(new RdSlopes.Point(BETAS[i], rd[i][0], rd[i][1]));
        double ss = 0;
        List<RdSlopes.Chord> chords = RdSlopes.of(points);
        for (RdSlopes.Chord c : chords) {
            if (!(c.slope() > 0))
                throw new IllegalArgumentException(String.format(Locale.ROOT, "from %s to %s the distortion fell as the"
                        + " rate fell (chord slope %.3f): no β fits", beta(c.from().beta()), beta(c.to().beta()), c.slope()));
            double r = Math.log(c.slope() / Math.sqrt(c.from().beta() * c.to().beta()));
            ss += r * r;
        }
        return Math.sqrt(ss / chords.size());
    }

    /** Least-squares slope of active units against log₂ β. */
    static double activeUnitSlope(SeedTable t, long seed) {
        int n = BETAS.length;
        double mx = 0, my = 0;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.log(BETAS[i]) / Math.log(2);
            y[i] = t.get(beta(BETAS[i]), seed, MetricId.ACTIVE_UNITS);
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    /** The smallest decrease of the IW-NLL between successive K (1, 10, …, the run's K). */
    static double kDrop(SeedTable t, String arm, long seed) {
        int k = (int) t.get(arm, seed, MetricId.IW_K);
        List<Double> nll = new ArrayList<>();
        for (int p : org.vaelab.metrics.IwNll.prefixes(k)) nll.add(t.get(arm, seed, MetricId.iwNllAt(p)));
        nll.add(t.get(arm, seed, MetricId.IW_NLL));
        if (nll.size() < 2) throw new IllegalArgumentException("K = " + k + " has no smaller K' to compare with");
        double min = Double.POSITIVE_INFINITY;
        for (int i = 1; i < nll.size(); i++) min = Math.min(min, nll.get(i - 1) - nll.get(i));
        return min;
    }

    /** The σ-VAE's IW-NLL minus that of the fixed σ with the lowest mean IW-NLL over every seed in the table. */
    static double sigmaVsBest(SeedTable t, long seed) {
        String best = null;
        double bestMean = Double.POSITIVE_INFINITY;
        for (double s : Claims.FIXED_SIGMAS) {
            String arm = Claims.sigmaLabel(s);
            double mean = t.seeds(arm).stream().mapToDouble(x -> t.get(arm, x, MetricId.IW_NLL)).average().orElse(Double.NaN);
            if (mean < bestMean) {
                bestMean = mean;
                best = arm;
            }
        }
        if (best == null) throw new IllegalArgumentException("no fixed-σ arm has an IW-NLL");
        return t.get(Claims.SIGMA_VAE_L, seed, MetricId.IW_NLL) - t.get(best, seed, MetricId.IW_NLL);
    }

    /**
     * Withholds an active-unit comparison when both arms have every latent unit active on every shared seed: the count
     * is at its ceiling and cannot show which keeps more.
     */
    private static Claim.Guard allActive(String a, String b) {
        return t -> {
            int d = Claims.DIGITS.latentDim();
            SortedSet<Long> shared = new TreeSet<>(t.seeds(a));
            shared.retainAll(t.seeds(b));
            if (shared.isEmpty()) return Optional.empty();
            for (long seed : shared)
                for (String arm : List.of(a, b)) {
                    var au = t.value(arm, seed, MetricId.ACTIVE_UNITS);
                    if (au.isEmpty() || au.getAsDouble() < d) return Optional.empty();
                }
            return Optional.of("every one of the " + d + " units is active in both arms on every seed: the count is at its"
                    + " ceiling and cannot separate them");
        };
    }

    /** Withholds an MI comparison when an arm's MI is within the saturation margin of its bound log B on any seed. */
    private static Claim.Guard saturatedMi() {
        return t -> {
            List<String> at = new ArrayList<>();
            for (String arm : List.of(Claims.CYCLICAL_L, Claims.WARMUP_L))
                for (long seed : t.seeds(arm)) {
                    var mi = t.value(arm, seed, MetricId.MI);
                    var b = t.value(arm, seed, MetricId.MI_BATCH);
                    if (mi.isPresent() && b.isPresent() && MutualInformationMetric.saturated(mi.getAsDouble(), b.getAsDouble())) {
                        at.add(arm + String.format(Locale.ROOT, " (seed %d: %.2f of log %d = %.2f)", seed,
                                mi.getAsDouble(), (long) b.getAsDouble(), Math.log(b.getAsDouble())));
                        break;
                    }
                }
            return at.isEmpty() ? Optional.empty() : Optional.of("MI within " + MutualInformationMetric.SATURATION_NATS
                    + " nats of its bound log B for " + String.join(", ", at) + ": the estimate cannot rank these arms");
        };
    }
}
